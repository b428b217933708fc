/**
 * Malformed staff input on the assembly `coworkbot start` serves: NUL bytes, lone surrogates, bad
 * percent-encoding and out-of-range integers in paths, query strings and forms get 400 (or 404 for a
 * well-formed id that does not exist) — never 500 — and no stack trace reaches the log.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { createLogger } from '../src/logger.js';
import { addAccount, login, loginAttempt, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

const HUGE = '99999999999999999999';
let served: Assembly;
let url: string;
let admin: StaffClient;
let personId: string;
let caseId: number;
const lines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7' }), db: { kind: 'memory' }, embeddedQueue: true, log: createLogger('info', sink) });
  served = assembleServer(app);
  url = `http://127.0.0.1:${(await served.listen(0, '127.0.0.1')).port}`;
  await addAccount(app, 'admin@example.org', 'admin');
  admin = (await login(url, 'admin@example.org')).client!;
  await app.bot.handle({ channel: 'web', address: 'w_inputinputinputinputinput', externalId: 'i1', receivedAt: new Date(), content: { type: 'text', text: 'talk to a person' } });
  personId = (await app.store.findPerson('web', 'w_inputinputinputinputinput'))!.id;
  caseId = (await app.handoff.cases.openCase(personId))!.id;
});
afterAll(() => served?.close());

describe('malformed staff input', () => {
  it.each([
    ['/console/c/P-%00AAAAAAA'],
    ['/console/audit?person=%00'],
    ['/console/audit?person=%ud800'],
    ['/console/audit?person=%E0%A4%A'],
    ['/staff/b/%00'],
    [`/staff/b/${HUGE}`],
    ['/insights?district=%00'],
    ['/translations?lang=%00'],
    ['/staff/poster/%00'],
  ])('GET %s → 400 or 404, never 500', async (path) => {
    const res = await admin.get(path);
    expect([400, 404], `${path}: ${res.status}`).toContain(res.status);
  });

  it('POST forms with NUL bytes or out-of-range integers → 400 or 404, never 500', async () => {
    const posts: [string, Record<string, string>][] = [
      [`/console/c/${personId}/claim`, { case: HUGE }],
      [`/console/c/${personId}/claim`, { case: '1e400' }],
      [`/console/c/${personId}/claim`, { case: '\u0000' }],
      [`/console/c/${personId}/note`, { body: 'a note \u0000 with a NUL' }],
      [`/console/canned/${HUGE}/delete`, {}],
      ['/console/canned/not-a-number/delete', {}],
      ['/console/canned', { title: 'T\u0000', text_en: 'x' }],
      ['/console/users', { email: 'a\u0000@example.org', role: 'facilitator', space: '' }],
      [`/insights/gaps/${HUGE}`, { action: 'handled' }],
      ['/insights/gaps/%00', { action: 'handled' }],
      ['/staff/new', { text_en: 'hello\u0000', followers: '1' }],
      [`/staff/b/${HUGE}/send`, {}],
      [`/translations/${HUGE}`, { text: 'x' }],
    ];
    await admin.post(`/console/c/${personId}/claim`, { case: String(caseId) });
    posts.push([`/console/c/${personId}/reassign`, { case: String(caseId), to: HUGE }]);
    for (const [path, form] of posts) {
      const res = await admin.post(path, form);
      expect([400, 404, 409], `${path} ${JSON.stringify(form)}: ${res.status}`).toContain(res.status);
    }
    // The login form too.
    const res = await loginAttempt(url, 'admin@example.org\u0000', 'x');
    expect([400, 401]).toContain(res.status);
  });

  it('logs no stack trace and no 500 for any of them', () => {
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; err?: unknown; level: number });
    expect(parsed.filter((l) => JSON.stringify(l).includes('    at '))).toEqual([]);
    expect(parsed.filter((l) => l.msg === 'web: request failed')).toEqual([]);
  });
});
