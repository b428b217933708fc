/**
 * Subscriptions and the staff portal: opting in and out from the bot (in the person's language),
 * "stop" at once and confirmed, the unsubscribe button in every broadcast, the WhatsApp template
 * outside the 24-hour window and the messaging-limit tier pausing and resuming a broadcast, and a
 * staff account that cannot see or touch another space's broadcasts.
 */
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import { authRoutes } from '../src/web/auth.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { RetryLater } from '../src/queue/queue.js';
import { fakeGraph, fakeTelegram, type FakeApi } from './channels/fakes.js';
import { addressOf, broadcastApp, TEMPLATE } from './broadcast-support.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { serveApp } from './browser.js';

let app: App;
const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };
let n = 0;

/** A message from a Telegram person; waits until the replies went out. Returns the texts they got. */
async function say(chat: string, content: { type: 'text'; text: string } | { type: 'choice'; id: string }, languageHint = 'en', startPayload?: string): Promise<{ text: string; buttons: string[] }[]> {
  const before = fakes.tg.requests.length;
  await app.bot.handle({ channel: 'telegram', address: chat, externalId: `m${++n}`, receivedAt: new Date(), content, languageHint, startPayload });
  await app.queue.drain();
  return fakes.tg.requests
    .slice(before)
    .filter((r) => addressOf(r) === chat)
    .map((r) => ({
      text: String(r.body.text ?? ''),
      buttons: ((r.body.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).map((row) => row[0]!.callback_data),
    }));
}

async function personOf(chat: string): Promise<string> {
  return (await app.store.findPerson('telegram', chat))!.id;
}

async function runToEnd(id: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      await app.broadcasts.runBatch(id);
      return;
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
      if ((await app.broadcastStore.pendingInfo(id)).pending > 0 && err.delayMs > 1000) return; // waiting (the tier)
    }
  }
}

beforeAll(async () => {
  fakes.tg = await fakeTelegram().start();
  fakes.wa = await fakeGraph().start();
  app = await broadcastApp({ kind: 'memory' }, fakes, { rate: 1000, env: { WHATSAPP_MESSAGING_LIMIT: '3' } });
  await app.start(2);
});
afterAll(async () => {
  await app.close();
  await fakes.tg.close();
  await fakes.wa.close();
});

describe('subscriptions from the bot', () => {
  it('"my subscriptions" shows nothing at first, then all events once turned on, in the person\'s language', async () => {
    await say('101', { type: 'text', text: 'ciao' }, 'it');
    const first = await say('101', { type: 'text', text: 'le mie iscrizioni' });
    expect(first[0]!.text).toBe('Ora non ricevi messaggi sugli eventi.');
    expect(first[0]!.buttons).toContain('bc:all:on');
    const on = await say('101', { type: 'choice', id: 'bc:all:on' });
    expect(on[0]!.text).toMatch(/^Fatto\. Ti scriverò di tutti gli eventi/);
    const mine = await say('101', { type: 'choice', id: 'bc:my' });
    expect(mine[0]!.text).toBe('Ricevi messaggi su:\n• tutti gli eventi');
    expect(mine[0]!.buttons).toEqual(expect.arrayContaining(['bc:all:off', 'flow:subscriptions', 'bc:stop']));
  });

  it('follows a space and shows the topics and area chosen in the subscriptions flow', async () => {
    await say('102', { type: 'text', text: 'hello' });
    const pid = await personOf('102');
    // A poster's QR code: /start follow_millepiani.
    const followed = await say('102', { type: 'text', text: '/start' }, 'en', 'follow_millepiani');
    expect(followed[0]!.text).toMatch(/^Done\. I will tell you about events at \u2068?[^\u2069]+\u2069?\. Write “stop” to stop\.$/);
    await app.flowStore.savePreferences(pid, 'subscriptions', { topics: ['courses', 'jobs'], district: 'east', agree: true }, new Date());
    const mine = await say('102', { type: 'text', text: 'my subscriptions' });
    expect(mine[0]!.text.replace(/[\u2068\u2069]/g, '')).toMatch(/^You get messages about:\n• the space [^\n]+\n• topics: Courses, workshops; Jobs, opportunities\n• area: East$/);
    expect(mine[0]!.buttons).toContain('bc:unfollow:millepiani');
    const counts = await app.broadcastStore.audienceCounts({ topics: ['jobs'], allEvents: false }, ['telegram']);
    expect(counts).toEqual([{ channel: 'telegram', lang: 'en', people: 1 }]);
    expect(await app.broadcastStore.audienceCounts({ districts: ['west'], allEvents: false }, ['telegram'])).toEqual([]);
  });

  it('"stop" ends every subscription at once and says so; nothing is sent afterwards', async () => {
    const reply = await say('102', { type: 'text', text: 'stop' });
    expect(reply[0]!.text).toBe('Done. You will get no more messages from me about events. You can still write to me at any time.');
    const pid = await personOf('102');
    expect(await app.broadcastStore.follows(pid)).toEqual([]);
    expect(await app.broadcastStore.flowSubscription(pid)).toBeUndefined();
    expect(await app.broadcastStore.audienceCounts({ spaces: ['millepiani'], topics: ['jobs'], districts: ['east'] }, ['telegram'])).toEqual([
      { channel: 'telegram', lang: 'it', people: 1 }, // only 101 (all events) is left
    ]);
  });

  it('a broadcast carries an unsubscribe button that works at once', async () => {
    await say('103', { type: 'text', text: 'hello' });
    await say('103', { type: 'text', text: 'notifications' });
    await say('103', { type: 'choice', id: 'bc:all:on' });
    const b = await app.broadcastStore.createBroadcast(
      { spaceId: 'millepiani', createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day on Saturday.', it: 'Open day sabato.' } } },
      new Date(),
    );
    fakes.tg.clear();
    expect(await app.broadcasts.start(b.id)).toBe(2); // 101 (it) and 103 (en); 102 said stop
    await runToEnd(b.id);
    const got = fakes.tg.requests.filter((r) => r.path.endsWith('/sendMessage'));
    expect(got.map((r) => [addressOf(r), r.body.text]).sort()).toEqual([
      ['101', 'Open day sabato.'],
      ['103', 'Open day on Saturday.'],
    ]);
    for (const r of got) expect(JSON.stringify(r.body.reply_markup)).toContain('"callback_data":"cmd:stop"');
    const reply = await say('103', { type: 'choice', id: 'cmd:stop' });
    expect(reply[0]!.text).toMatch(/^Done\. You will get no more messages/);
    expect((await app.broadcastStore.report(b.id)).optedOutSince).toBe(1);
    expect(await app.broadcastStore.audienceCounts({ allEvents: true }, ['telegram'])).toEqual([{ channel: 'telegram', lang: 'it', people: 1 }]);
  });
});

describe('WhatsApp outside the 24-hour window', () => {
  it('uses the approved template with parameters, and the messaging-limit tier pauses and resumes the broadcast', async () => {
    const clock = app.clock as FixedClock | undefined;
    expect(clock instanceof FixedClock).toBe(false); // the real clock: the tier is checked with explicit times below
    await app.broadcastStore.seedSubscribers(5, { channel: 'whatsapp', idPrefix: 'P-WOUT', addressBase: 39_333_000_0000, lastInboundAt: null });
    const b = await app.broadcastStore.createBroadcast(
      {
        spaceId: 'millepiani',
        createdBy: 'test',
        audience: { allEvents: true, languages: ['en'] },
        messages: { text: { en: 'Open day on Saturday at 10:00.\nCome and see.' }, title: { en: 'Open day, Saturday 10:00' } },
      },
      new Date(),
    );
    fakes.wa.clear();
    await app.broadcasts.start(b.id);
    await runToEnd(b.id);
    const sends = fakes.wa.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sends).toHaveLength(3); // the tier (WHATSAPP_MESSAGING_LIMIT=3) is full
    for (const r of sends) {
      expect(r.body.type).toBe('template');
      expect(r.body.template).toEqual({
        name: TEMPLATE,
        language: { code: 'en', policy: 'deterministic' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Open day, Saturday 10:00' }] }],
      });
    }
    const rep = await app.broadcastStore.report(b.id);
    expect(rep.byStatus).toEqual({ sent: 3, pending: 2 });
    expect((await app.broadcastStore.getBroadcast(b.id))!.status).toBe('sending');
    const info = await app.broadcastStore.pendingInfo(b.id);
    expect(info.nextAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000); // paused until the oldest send leaves the 24 h
    // A day later the tier has room again: the broadcast resumes and finishes.
    await app.db.query(`UPDATE broadcast_deliveries SET sent_at = sent_at - interval '25 hours', claimed_at = claimed_at - interval '25 hours' WHERE broadcast_id = $1 AND status = 'sent'`, [b.id]);
    await app.db.query(`UPDATE broadcast_deliveries SET not_before = now() WHERE broadcast_id = $1 AND status = 'pending'`, [b.id]);
    await runToEnd(b.id);
    expect((await app.broadcastStore.report(b.id)).byStatus).toEqual({ sent: 5 });
    expect(new Set(fakes.wa.requests.map(addressOf)).size).toBe(5);
    expect((await app.broadcastStore.getBroadcast(b.id))!.status).toBe('done');
  });
});

describe('the staff portal', () => {
  let server: ServerType;
  let url: string;
  let mine: StaffClient;
  let other: StaffClient;
  let coordinator: StaffClient;

  async function client(email: string): Promise<StaffClient> {
    const c = (await login(url, email)).client!;
    const page = await (await c.get('/staff')).text();
    const csrf = /<meta name="csrf" content="([^"]+)"/.exec(page)![1]!;
    const post = c.post;
    return { ...c, csrf, post: (path, form, opts = {}) => post(path, form, { ...opts, csrf: opts.csrf === null ? null : (opts.csrf ?? csrf) }) };
  }

  beforeAll(async () => {
    ({ url, server } = await serveApp(app, [authRoutes(app), staffPortal(app)]));
    await addAccount(app, 'staff@millepiani.example', 'staff', undefined, 'millepiani');
    await addAccount(app, 'staff@other.example', 'staff', undefined, 'other-space');
    await addAccount(app, 'coord@example.org', 'coordinator');
    mine = await client('staff@millepiani.example');
    other = await client('staff@other.example');
    coordinator = await client('coord@example.org');
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('staff create an announcement for their own space, see the reach and the preview', async () => {
    const res = await mine.post('/staff/new', { text_en: 'Free Italian class on Monday.', all_events: '1', followers: '1', space: 'other-space' });
    expect(res.status).toBe(303);
    const path = res.headers.get('location')!;
    const b = (await app.broadcastStore.getBroadcast(Number(path.split('/').pop())))!;
    expect(b.spaceId).toBe('millepiani'); // a staff account cannot write for another space
    const page = await (await mine.get(path)).text();
    expect(page).toContain('Free Italian class on Monday.');
    expect(page).toMatch(/It will reach <span id="reach">\d+<\/span>/);
    expect(page).toContain(`Template <b>${TEMPLATE}</b>`);
  });

  it("a staff account cannot see, send, schedule or cancel another space's broadcast; a coordinator can see it", async () => {
    const theirs = await app.broadcastStore.createBroadcast({ spaceId: 'other-space', createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Theirs' } } }, new Date());
    expect((await mine.get(`/staff/b/${theirs.id}`)).status).toBe(404);
    expect((await mine.get(`/staff/b/${theirs.id}/status`, 'application/json')).status).toBe(404);
    expect((await mine.post(`/staff/b/${theirs.id}/send`, {})).status).toBe(404);
    expect((await mine.post(`/staff/b/${theirs.id}/schedule`, { at: '2099-01-01T10:00' })).status).toBe(404);
    expect((await mine.post(`/staff/b/${theirs.id}/cancel`, {})).status).toBe(404);
    expect((await app.broadcastStore.getBroadcast(theirs.id))!.status).toBe('draft');
    expect(await (await mine.get('/staff')).text()).not.toContain('Theirs');
    expect(await (await other.get('/staff')).text()).toContain('Theirs');
    expect((await coordinator.get(`/staff/b/${theirs.id}`)).status).toBe(200);
    // Without the CSRF token nothing changes.
    expect((await other.post(`/staff/b/${theirs.id}/cancel`, {}, { csrf: null })).status).toBe(403);
    expect((await app.broadcastStore.getBroadcast(theirs.id))!.status).toBe('draft');
  });

  it('refuses people who are not logged in and facilitators', async () => {
    expect((await fetch(`${url}/staff`, { redirect: 'manual', headers: { accept: 'text/html' } })).status).toBe(302);
    await addAccount(app, 'fac@example.org', 'facilitator');
    const fac = (await login(url, 'fac@example.org')).client!;
    expect((await fac.get('/staff')).status).toBe(403);
  });
});
