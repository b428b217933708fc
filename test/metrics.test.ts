/**
 * Prometheus `/metrics` on the assembly `coworkbot start` serves, on a real socket: closed to
 * anonymous outside access (loopback only without a token, bearer token with one), and the figures
 * move when messages go through Telegram and WhatsApp (fake APIs on loopback), when a send fails,
 * when a safety case waits and while a broadcast is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { FixedClock } from '../src/clock.js';
import { errorCodeOf, sourceOf } from '../src/metrics/metrics.js';
import { isLoopback, operatorAccess } from '../src/metrics/route.js';
import { VERSION } from '../src/version.js';
import { fakeGraph, fakeTelegram, fixture, hubSignature, telegramUpdate, whatsappBody, type FakeApi } from './channels/fakes.js';
import { settled, startAssembly } from './channels/assembled.js';
import { testConfig } from './helpers.js';

const SECRET = 'metrics-secret';
const APP_SECRET = 'metrics-app-secret';
const PHONE_ID = '106540352242922';
const TOKEN = 'a-metrics-token-of-32-characters';

let served: Assembly;
let url: string;
let tg: FakeApi;
let graph: FakeApi;
const clock = new FixedClock(new Date());

beforeAll(async () => {
  tg = await fakeTelegram().start();
  graph = await fakeGraph().start();
  const app = await createApp({
    config: testConfig({
      TELEGRAM_BOT_TOKEN: '123:METRICS',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_RATE_PER_CHAT: '1000',
      WHATSAPP_ACCESS_TOKEN: 'WA-TOKEN',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'metrics-verify',
      WHATSAPP_API_URL: graph.url,
    }),
    db: { kind: 'memory' },
    embeddedQueue: true,
    clock,
  });
  ({ served, url } = await startAssembly(app));
});
afterAll(async () => {
  await served?.close();
  await tg?.close();
  await graph?.close();
});

const settle = () => settled(served.app);

/** Scrapes /metrics and reads one series (0 when absent). */
async function scrape(headers: Record<string, string> = {}): Promise<{ status: number; text: string; value: (series: string) => number }> {
  const res = await fetch(`${url}/metrics`, { headers });
  const text = await res.text();
  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  return { status: res.status, text, value };
}

const postTelegram = (chatId: number, updateId: number) =>
  fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
    body: JSON.stringify(telegramUpdate('text.json', chatId, updateId)),
  });

describe('who may read /metrics', () => {
  it('answers a loopback request without a token, in the Prometheus text format, with the version', async () => {
    const m = await scrape();
    expect(m.status).toBe(200);
    expect(m.text).toContain('# TYPE coworkbot_messages_received_total counter');
    expect(m.text).toContain('# TYPE coworkbot_reply_latency_seconds histogram');
    expect(m.value(`coworkbot_build_info{version="${VERSION}"}`)).toBe(1);
    expect(m.value('coworkbot_database_up')).toBe(1);
  });

  it('refuses a request that came through a proxy, and one with no socket address, when no token is set', async () => {
    expect((await scrape({ 'X-Forwarded-For': '203.0.113.7' })).status).toBe(403);
    expect((await scrape({ Forwarded: 'for=203.0.113.7' })).status).toBe(403);
    expect((await served.web.request('/metrics')).status).toBe(403);
  });

  it('refuses outside addresses without a token; with a token, only the right bearer token (from anywhere)', () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ remoteAddress, header: (n: string) => headers[n.toLowerCase()] });
    expect(operatorAccess(req('203.0.113.7'), undefined)).toMatchObject({ ok: false, status: 403 });
    expect(operatorAccess(req('::ffff:10.1.2.3'), undefined)).toMatchObject({ ok: false, status: 403 });
    expect(operatorAccess(req('::ffff:127.0.0.1'), undefined)).toEqual({ ok: true });
    expect(operatorAccess(req('203.0.113.7', { authorization: `Bearer ${TOKEN}` }), TOKEN)).toEqual({ ok: true });
    expect(operatorAccess(req('127.0.0.1'), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(operatorAccess(req('127.0.0.1', { authorization: 'Bearer wrong' }), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect([isLoopback('127.8.9.10'), isLoopback('::1'), isLoopback('128.0.0.1'), isLoopback(undefined)]).toEqual([true, true, false, false]);
  });

  it('with METRICS_TOKEN set, the assembly takes only the right bearer token, even on loopback', async () => {
    const app = await createApp({ config: testConfig({ METRICS_TOKEN: TOKEN }), db: { kind: 'memory' }, embeddedQueue: true });
    const other = assembleServer(app);
    try {
      const { port } = await other.listen(0, '127.0.0.1');
      const get = (headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}/metrics`, { headers });
      const anonymous = await get();
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get({ Authorization: 'Bearer not-the-token-at-all-000000000' })).status).toBe(401);
      const ok = await get({ Authorization: `Bearer ${TOKEN}`, 'X-Forwarded-For': '203.0.113.7' });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('coworkbot_queue_jobs');
    } finally {
      await other.close();
    }
  });
});

describe('the figures move', () => {
  it('counts a Telegram message in, the reply out and its latency', async () => {
    const before = await scrape();
    expect((await postTelegram(8101, 8101)).status).toBe(200);
    await settle();
    const after = await scrape();
    expect(after.value('coworkbot_messages_received_total{channel="telegram"}')).toBe(before.value('coworkbot_messages_received_total{channel="telegram"}') + 1);
    expect(after.value('coworkbot_messages_sent_total{channel="telegram",source="bot"}')).toBeGreaterThan(before.value('coworkbot_messages_sent_total{channel="telegram",source="bot"}'));
    expect(after.value('coworkbot_reply_latency_seconds_count{channel="telegram"}')).toBe(before.value('coworkbot_reply_latency_seconds_count{channel="telegram"}') + 1);
    expect(after.value('coworkbot_reply_latency_seconds_bucket{le="+Inf",channel="telegram"}')).toBe(after.value('coworkbot_reply_latency_seconds_count{channel="telegram"}'));
    // The same update again is a duplicate: not counted.
    await postTelegram(8101, 8101);
    await settle();
    expect((await scrape()).value('coworkbot_messages_received_total{channel="telegram"}')).toBe(after.value('coworkbot_messages_received_total{channel="telegram"}'));
  });

  it('counts send errors by platform code (Telegram 403, WhatsApp 131026)', async () => {
    tg.failNext('/sendMessage', 403, fixture('telegram/api-responses/error-403-blocked.json'));
    await postTelegram(8102, 8102);
    await settle();
    graph.failNext('/messages', 400, fixture('whatsapp/api-responses/error-131026.json'));
    const raw = whatsappBody('text.json', '393338100001', 'metrics1');
    const res = await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': hubSignature(raw, APP_SECRET) }, body: raw });
    expect(res.status).toBe(200);
    await settle();
    const m = await scrape();
    expect(m.value('coworkbot_send_errors_total{channel="telegram",code="403"}')).toBe(1);
    expect(m.value('coworkbot_send_errors_total{channel="whatsapp",code="131026"}')).toBe(1);
    expect(m.value('coworkbot_messages_received_total{channel="whatsapp"}')).toBe(1);
  });

  it('shows a waiting safety case and its age, until a facilitator claims it', async () => {
    const session = ((await (await fetch(`${url}/api/chat/session`, { method: 'POST' })).json()) as { session: string }).session;
    await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'I want to hurt myself' }) });
    await settle();
    expect((await scrape()).value('coworkbot_handoffs_waiting{priority="safety"}')).toBe(1);
    clock.advance(11 * 60_000);
    const waited = await scrape();
    expect(waited.value('coworkbot_handoff_oldest_wait_seconds{priority="safety"}')).toBeGreaterThanOrEqual(11 * 60);
    expect(waited.value('coworkbot_handoffs_waiting{priority="normal"}')).toBe(0);
    const [open] = await served.app.handoff.cases.queue();
    const staff = await served.app.db.query<{ id: string }>(`INSERT INTO staff_users (email, role, password_hash) VALUES ('f@example.org', 'facilitator', 'x') RETURNING id`);
    expect(await served.app.handoff.cases.claim(open!.id, Number(staff[0]!.id), clock.now())).toBe(true);
    const claimed = await scrape();
    expect(claimed.value('coworkbot_handoffs_waiting{priority="safety"}')).toBe(0);
    expect(claimed.value('coworkbot_handoff_oldest_wait_seconds{priority="safety"}')).toBe(0);
    expect(claimed.value('coworkbot_handoffs_claimed')).toBe(1);
  });

  it('shows a broadcast in progress, then counts its messages as sent by source', async () => {
    const { app } = served;
    for (const chat of [8201, 8202, 8203]) await postTelegram(chat, chat);
    await settle();
    for (const chat of [8201, 8202, 8203]) {
      const person = await app.store.findPerson('telegram', String(chat));
      await app.broadcastStore.follow(person!.id, 'all', '', clock.now());
    }
    const b = await app.broadcastStore.createBroadcast({ spaceId: null, createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day on Friday.' } } }, clock.now());
    tg.hold();
    expect(await app.broadcasts.start(b.id)).toBe(3);
    const during = await scrape();
    expect(during.value('coworkbot_broadcasts{status="sending"}')).toBe(1);
    const series = (status: string) => during.value(`coworkbot_broadcast_deliveries{broadcast="${b.id}",kind="announcement",status="${status}"}`);
    expect(series('pending') + series('sending')).toBe(3);
    tg.release();
    await settle();
    for (let i = 0; i < 50 && (await app.broadcastStore.getBroadcast(b.id))?.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
    const after = await scrape();
    expect(after.value('coworkbot_broadcasts{status="sending"}')).toBe(0);
    expect(after.text).not.toContain(`broadcast="${b.id}"`);
    expect(after.value('coworkbot_messages_sent_total{channel="telegram",source="broadcast"}')).toBe(3);
  });

  it('shows queue depth from the queue', async () => {
    await served.app.queue.add('metrics-test-later', {}, { runAt: new Date(Date.now() + 3_600_000), key: 'metrics-later' });
    expect((await scrape()).value('coworkbot_queue_jobs{state="waiting"}')).toBeGreaterThanOrEqual(1);
  });
});

describe('labels stay bounded', () => {
  it('maps authors and platform errors to a few values', () => {
    expect([sourceOf(undefined), sourceOf('bot'), sourceOf('facilitator:12'), sourceOf('broadcast:9'), sourceOf('person')]).toEqual(['bot', 'bot', 'facilitator', 'broadcast', 'other']);
    expect(errorCodeOf({ ok: false, retryable: true, error: 'telegram 429: Too Many Requests: retry after 3' })).toBe('429');
    expect(errorCodeOf({ ok: false, retryable: false, error: 'whatsapp 131047: Re-engagement message' })).toBe('131047');
    expect(errorCodeOf({ ok: false, retryable: true, error: 'whatsapp: network (socket hang up)' })).toBe('network');
    expect(errorCodeOf({ ok: false, retryable: false, outsideWindow: true, error: 'whatsapp: outside the 24-hour window, no template configured' })).toBe('outside_window');
    expect(errorCodeOf({ ok: false, retryable: false, error: 'telegram: not a chat id' })).toBe('other');
  });
});
