/**
 * Staff on Telegram: a one-time code from the portal's /staff/link page links the chat (wrong,
 * expired and used codes refused); a linked staff member runs /newevent (title, day, time, skip the
 * description, free, confirm) and the event is at once in the bot's answers; an unlinked person's
 * /newevent gets the ordinary answer; unlinking in the portal ends it.
 */
import { randomUUID } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { parseDay } from '../src/broadcast/staff-chat.js';
import { FixedClock } from '../src/clock.js';
import type { HandleResult } from '../src/core/types.js';
import { authRoutes } from '../src/web/auth.js';
import { serveApp } from './browser.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

// Thursday 26 November 2026, 10:00 in Rome.
const NOW = new Date('2026-11-26T10:00:00+01:00');
let app: App;
let url: string;
let server: ServerType;
let clock: FixedClock;
let staff: StaffClient;

async function client(email: string, password: string): Promise<StaffClient> {
  const c = (await login(url, email, password)).client!;
  const page = await (await c.get('/staff/link')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const post = c.post;
  return { ...c, csrf, post: (path, form, opts = {}) => post(path, form, { ...opts, csrf: opts.csrf === null ? null : (opts.csrf ?? csrf) }) };
}
async function newCode(): Promise<string> {
  const res = await staff.post('/staff/link/code', {});
  expect(res.status).toBe(200);
  return /<code id="link-code">\/link ([A-Z0-9]{8})<\/code>/.exec(await res.text())![1]!;
}
const chat =
  (address: string) =>
  (content: { type: 'text'; text: string } | { type: 'choice'; id: string }): Promise<HandleResult> =>
    app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: clock.now(), content, languageHint: 'en' });
const text = (r: HandleResult) => r.replies.map((m) => m.text ?? '').join('\n');

beforeAll(async () => {
  clock = new FixedClock(NOW);
  app = await createApp({ config: testConfig({ TELEGRAM_BOT_USERNAME: 'CoworkRomaBot' }), db: { kind: 'memory' }, embeddedQueue: true, clock, floodControl: false });
  ({ url, server } = await serveApp(app, [authRoutes(app), staffPortal(app)]));
  await addAccount(app, 'anna@millepiani.example', 'staff', 'a long staff password', 'millepiani');
  staff = await client('anna@millepiani.example', 'a long staff password');
});
afterAll(async () => {
  server?.close();
  await app?.close();
});

describe('staff on Telegram', () => {
  const anna = chat(`w-anna-${randomUUID()}`);
  const stranger = chat(`w-str-${randomUUID()}`);

  it("an unlinked person's /newevent gets the ordinary answer", async () => {
    // Compared with another newcomer's first unknown command (the answer changes with repeated misses).
    const other = chat(`w-other-${randomUUID()}`);
    await other({ type: 'text', text: 'hello' });
    const ordinary = text(await other({ type: 'text', text: '/xyzzy' }));
    await stranger({ type: 'text', text: 'hello' });
    const r = await stranger({ type: 'text', text: '/newevent' });
    expect(text(r)).toBe(ordinary);
    expect(text(r)).not.toMatch(/title|event/i);
  });

  it('refuses a wrong, an expired and a used code; a fresh code links the chat', async () => {
    await anna({ type: 'text', text: 'hello' });
    expect(text(await anna({ type: 'text', text: '/link ABCD2345' }))).toContain('This code does not work');
    const old = await newCode();
    clock.advance(11 * 60_000);
    expect(text(await anna({ type: 'text', text: `/link ${old}` }))).toContain('too old');
    const page = await (await staff.get('/staff/link')).text();
    expect(page).toContain('No chat is linked.');
    const code = await newCode();
    expect(text(await anna({ type: 'text', text: `/link ${code.toLowerCase()}` }))).toContain('this chat is linked to your staff account (space: millepiani)');
    expect(text(await stranger({ type: 'text', text: `/link ${code}` }))).toContain('already used');
    expect(await (await staff.get('/staff/link')).text()).toMatch(/A chat is linked since/);
    // Only the hash is stored.
    const rows = await app.db.query<{ code_hash: string }>('SELECT code_hash FROM staff_link_codes');
    expect(rows.map((r) => r.code_hash)).not.toContain(code);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash))).toBe(true);
  });

  it('/newevent: a few questions create an event the bot answers about', async () => {
    expect(text(await anna({ type: 'text', text: '/newevent' }))).toBe('New event. What is the title?');
    expect(text(await anna({ type: 'text', text: 'CV clinic for newcomers' }))).toContain('Which day?');
    expect(text(await anna({ type: 'text', text: '31/02' }))).toContain('I did not understand the day');
    expect(text(await anna({ type: 'text', text: '3/12' }))).toContain('At what time');
    expect(text(await anna({ type: 'text', text: '25:00' }))).toContain('like 18:30');
    expect(text(await anna({ type: 'text', text: '18:30' }))).toContain('A short description?');
    expect(text(await anna({ type: 'choice', id: 'staff:skip' }))).toBe('Is it free or paid?');
    const check = await anna({ type: 'choice', id: 'staff:price:free' });
    expect(text(check)).toContain('CV clinic for newcomers');
    expect(text(check)).toContain('Thursday 3 December, 18:30');
    const done = await anna({ type: 'choice', id: 'staff:ok' });
    expect(text(done)).toContain('The event is online');
    const open = done.replies[0]!.choices!.find((c) => c.id.startsWith('know:e:'))!;
    const events = await app.staffContent.listEvents('millepiani');
    expect(events.map((e) => [e.title.en, e.price, e.createdBy])).toContainEqual(['CV clinic for newcomers', 'free', expect.stringMatching(/^staff:\d+$/)]);
    // The bot's event answers know it at once.
    const card = await anna({ type: 'choice', id: open.id });
    expect(text(card)).toContain('CV clinic for newcomers');
  });

  it('"cancel" stops the flow; after unlinking in the portal /newevent is ordinary again', async () => {
    await anna({ type: 'text', text: '/newevent' });
    expect(text(await anna({ type: 'text', text: 'cancel' }))).toBe('OK, nothing was created.');
    expect((await staff.post('/staff/link/unlink', {})).status).toBe(303);
    const r = text(await anna({ type: 'text', text: '/newevent' }));
    expect(r).toMatch(/^Sorry, I d/);
    expect(r).not.toContain('title');
  });

  it('reads days the way people write them', () => {
    expect(parseDay('3/12', NOW, 'Europe/Rome')).toEqual({ y: 2026, m: 12, d: 3 });
    expect(parseDay('2/1', NOW, 'Europe/Rome')).toEqual({ y: 2027, m: 1, d: 2 });
    expect(parseDay('2026-11-30', NOW, 'Europe/Rome')).toEqual({ y: 2026, m: 11, d: 30 });
    expect(parseDay('25.11.2026', NOW, 'Europe/Rome')).toBeUndefined();
    expect(parseDay('tomorrow', NOW, 'Europe/Rome')).toBeUndefined();
  });
});
