/**
 * The channel registry, proven by a channel that is not in src/: test/fixtures/channels/pigeon/ (a
 * tiny JSON webhook protocol spoken to a local fake API) is registered by one line, served through
 * the assembly `coworkbot start` serves, and answers like Telegram and WhatsApp do. Nothing outside
 * its folder names it except that line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Assembly } from '../../src/assembly.js';
import { channelModules } from '../../src/channels/index.js';
import { systemClock } from '../../src/clock.js';
import { pigeonChannel } from '../fixtures/channels/pigeon/module.js';
import { testConfig } from '../helpers.js';
import { startAssembly, settled } from './assembled.js';
import { FakeApi } from './fakes.js';

const SECRET = 'coo-coo-secret';
const TOKEN = 'pigeon-token';
const registered = [...channelModules, pigeonChannel];

let served: Assembly;
let url: string;
let api: FakeApi;

beforeAll(async () => {
  let n = 0;
  api = await new FakeApi((r) => (r.method === 'POST' && r.path === '/messages' ? { status: 200, body: JSON.stringify({ id: `p${++n}` }) } : { status: 404, body: '{"error":"not found"}' })).start();
  const app = await createApp({
    config: testConfig(),
    env: { PIGEON_API_URL: api.url, PIGEON_TOKEN: TOKEN, PIGEON_SECRET: SECRET },
    channelModules: registered,
    db: { kind: 'memory' },
    embeddedQueue: true,
  });
  ({ served, url } = await startAssembly(app));
});
afterAll(async () => {
  await served?.close();
  await api?.close();
});

const settle = () => settled(served.app);
const post = (body: object, secret = SECRET) =>
  fetch(`${url}/webhooks/pigeon`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Pigeon-Secret': secret }, body: JSON.stringify(body) });
const sentTo = (address: string) => api.requests.filter((r) => r.method === 'POST' && r.path === '/messages' && r.body.to === address);

describe('a channel registered by one line', () => {
  it('takes a message at its webhook, served by the assembly, and the reply reaches its API', async () => {
    const res = await post({ id: 'm1', from: 'alice', text: 'hello', lang: 'en' });
    expect(res.status).toBe(200);
    await settle();
    const replies = sentTo('alice');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(String(replies[0]!.body.text).length).toBeGreaterThan(0);
    // Rendered for the channel's own capabilities (at most 10 buttons, 30 characters each).
    for (const r of replies) for (const c of r.body.choices as { label: string }[]) expect(c.label.length).toBeLessThanOrEqual(30);
    const person = await served.app.store.findPerson('pigeon', 'alice');
    expect(person?.language).toBe('en');

    // A tapped choice goes round the core like any channel's.
    const choice = replies.flatMap((r) => r.body.choices as { id: string }[])[0];
    expect(choice).toBeDefined();
    const before = api.requests.length;
    expect((await post({ id: 'm2', from: 'alice', choice: choice!.id })).status).toBe(200);
    await settle();
    expect(sentTo('alice').length).toBeGreaterThan(replies.length);
    expect(api.requests.length).toBeGreaterThan(before);
  });

  it('refuses a webhook without its secret, and a redelivered message is answered once', async () => {
    const before = api.requests.length;
    expect((await post({ id: 'm3', from: 'bob', text: 'hello' }, 'wrong')).status).toBe(401);
    await settle();
    expect(api.requests.length).toBe(before);
    expect((await post({ id: 'm4', from: 'bob', text: 'hello' })).status).toBe(200);
    await settle();
    const once = sentTo('bob').length;
    expect(once).toBeGreaterThan(0);
    expect((await post({ id: 'm4', from: 'bob', text: 'hello' })).status).toBe(200);
    await settle();
    expect(sentTo('bob').length).toBe(once);
  });

  it('is off without its settings, and never broadcasts (it did not ask to)', () => {
    const ctx = { config: testConfig(), store: served.app.store, translator: served.app.translator, clock: systemClock };
    expect(pigeonChannel.setup({ ...ctx, env: {} })).toBeUndefined();
    expect(() => pigeonChannel.setup({ ...ctx, env: { PIGEON_API_URL: api.url } })).toThrow(/PIGEON_TOKEN must be set/);
    expect([...served.app.channels.keys()]).toContain('pigeon');
    expect(served.app.channelSetups.get('pigeon')?.describe(false)).toBe('webhook at /webhooks/pigeon');
    expect(served.app.broadcasts.availableChannels()).not.toContain('pigeon');
  });
});

describe('one folder plus one line', () => {
  const root = join(import.meta.dirname, '..', '..');
  const folder = 'test/fixtures/channels/pigeon';
  const self = 'test/channels/registry.test.ts';
  function files(dir: string): string[] {
    return readdirSync(join(root, dir)).flatMap((name) => {
      const path = `${dir}/${name}`;
      if (name === 'node_modules' || name.startsWith('.')) return [];
      return statSync(join(root, path)).isDirectory() ? files(path) : [path];
    });
  }

  it("no file outside the test channel's folder names it, except the registration in this test", () => {
    const outside = ['src', 'test', 'scripts', 'bin', 'locales', 'flows', 'docs'].flatMap(files).filter((f) => !f.startsWith(`${folder}/`));
    const naming = outside.filter((f) => /\.(ts|js|json|md|ya?ml|sql)$/.test(f) && /pigeon/i.test(readFileSync(join(root, f), 'utf8')));
    expect(naming).toEqual([self]);
    // Here: one import of the channel; `registered` (the registration line) is what the app is given.
    const imports = readFileSync(join(root, self), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('import ') && l.includes(`'../${folder.slice('test/'.length)}/`));
    expect(imports).toHaveLength(1);
  });

  it("the test channel's folder uses only src/ (it is built like the real ones)", () => {
    for (const f of files(folder)) {
      const imports = [...readFileSync(join(root, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports.filter((i) => i.startsWith('.'))) {
        const target = relative(root, join(root, f, '..', i));
        expect(target.startsWith('src/') || target.startsWith(`${folder}/`), `${f} imports ${i}`).toBe(true);
      }
    }
  });
});
