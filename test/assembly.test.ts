/**
 * The exact assembly `coworkbot start` serves ({@link assembleServer}), on a real socket, with both
 * channels configured against the loopback fake APIs: every public entry a person, a platform or a
 * staff member reaches, and the staff middleware kept to staff paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { addAccount, login } from './console-helpers.js';
import { channelEnv, fakeGraph, fakeTelegram, hubSignature, telegramUpdate, whatsappBody, type FakeApi } from './channels/fakes.js';
import { settled, startAssembly } from './channels/assembled.js';
import { testConfig } from './helpers.js';

const SECRET = 'assembly-secret';
const APP_SECRET = 'assembly-app-secret';
const VERIFY = 'assembly-verify';
const PHONE_ID = '106540352242922';

let served: Assembly;
let url: string;
let tg: FakeApi;
let graph: FakeApi;

beforeAll(async () => {
  tg = await fakeTelegram().start();
  graph = await fakeGraph().start();
  const app = await createApp({
    config: testConfig(channelEnv(tg, graph, { token: '123:ASSEMBLY', secret: SECRET, appSecret: APP_SECRET, verify: VERIFY, phoneId: PHONE_ID })),
    db: { kind: 'memory' },
    embeddedQueue: true,
  });
  ({ served, url } = await startAssembly(app));
  await addAccount(app, 'admin@example.org', 'admin');
});
afterAll(async () => {
  await served?.close();
  await tg?.close();
  await graph?.close();
});

const settle = () => settled(served.app);

const postTelegram = (body: object, secret: string) =>
  fetch(`${url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret }, body: JSON.stringify(body) });
const postWhatsApp = (raw: string, signature: string) =>
  fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': signature }, body: raw });

describe('the assembly coworkbot start serves', () => {
  it('serves the web chat page and its API', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form id="composer"');
    const created = await fetch(`${url}/api/chat/session`, { method: 'POST' });
    expect(created.status).toBe(200);
    const { session } = (await created.json()) as { session: string };
    const res = await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { replies: unknown[] }).replies.length).toBeGreaterThan(0);
  });

  it('answers a message of one very long word (over the database’s limit for a search word) like any other', async () => {
    const { session } = (await (await fetch(`${url}/api/chat/session`, { method: 'POST' })).json()) as { session: string };
    const say = async (text: string, id: string) =>
      (await (await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text, id }) })).json()) as {
        replies: { text: string }[];
      };
    await say('hello', 'long-1');
    const sorry = served.app.translator.for('en')('core:error');
    // 6,000 letters, and 2,100 Arabic letters (4,200 bytes): PostgreSQL refuses a tsquery word over 2,047 bytes.
    for (const [text, id] of [
      ['a'.repeat(6000), 'long-2'],
      ['ب'.repeat(2100), 'long-3'],
    ] as const) {
      const r = await say(text, id);
      expect(r.replies.length).toBeGreaterThan(0);
      expect(r.replies.map((m) => m.text).join('\n')).not.toContain(sorry);
    }
  });

  it('takes a Telegram update with the right secret (200, reply at the Bot API) and refuses a wrong one (401)', async () => {
    const ok = await postTelegram(telegramUpdate('text.json', 7001), SECRET);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, outcome: 'message' });
    await settle();
    const sends = tg.requests.filter((r) => r.path === '/bot123:ASSEMBLY/sendMessage' && r.body.chat_id === 7001);
    expect(sends.length).toBeGreaterThan(0);

    const wrong = await postTelegram(telegramUpdate('text.json', 7002), 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(await served.app.store.findPerson('telegram', '7002')).toBeUndefined();
  });

  it('answers the WhatsApp handshake and takes a signed body (200, reply at the Graph API), refusing a forged one', async () => {
    const hand = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=8842`);
    expect(hand.status).toBe(200);
    expect(await hand.text()).toBe('8842');
    expect((await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=8842`)).status).toBe(403);

    const raw = whatsappBody('text.json', '393337000001', 'assembly1');
    const ok = await postWhatsApp(raw, hubSignature(raw, APP_SECRET));
    expect(ok.status).toBe(200);
    await settle();
    expect(graph.requests.filter((r) => r.path === `/v24.0/${PHONE_ID}/messages` && r.body.to === '393337000001').length).toBeGreaterThan(0);

    const forged = whatsappBody('text.json', '393337000002', 'assembly2');
    expect((await postWhatsApp(forged, hubSignature(forged, 'someone-else'))).status).toBe(401);
    expect(await served.app.store.findPerson('whatsapp', '393337000002')).toBeUndefined();
  });

  it('logs staff in, and takes a staff POST only with its CSRF token', async () => {
    const { status, client } = await login(url, 'admin@example.org');
    expect(status).toBe(303);
    expect(client!.csrf).not.toBe('');
    const form = { title: 'Assembly check', text_en: 'A canned reply' };
    const refused = await client!.post('/console/canned', form, { csrf: null });
    expect(refused.status).toBe(403);
    const forged = await client!.post('/console/canned', form, { csrf: 'not-the-token' });
    expect(forged.status).toBe(403);
    const accepted = await client!.post('/console/canned', form);
    expect(accepted.status).toBe(303);
    expect((await served.app.handoff.cases.cannedReplies()).map((k) => k.title)).toContain('Assembly check');
    // Logging out is a staff POST too.
    expect((await client!.post('/logout', {}, { csrf: null })).status).toBe(403);
    expect((await client!.post('/logout', {})).status).toBe(303);
  });
});
