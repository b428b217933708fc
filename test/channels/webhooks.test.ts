/**
 * End to end: createApp with TELEGRAM_* and WHATSAPP_* pointed at local fakes, served by the assembly
 * `coworkbot start` serves (staff pages and their middleware included), real fixture payloads in,
 * and the exact replies the fake APIs receive.
 */
import { request } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { serveAssembly } from '../browser.js';
import { testConfig } from '../helpers.js';
import { channelEnv, fakeGraph, fakeTelegram, fixture, hubSignature, telegramUpdate, whatsappBody, type FakeApi } from './fakes.js';

const SECRET = 'tg-secret_123';
const APP_SECRET = 'meta-app-secret';
const VERIFY = 'verify-me';
const PHONE_ID = '106540352242922';

let app: App;
let url: string;
let server: ServerType;
let tg: FakeApi;
let graph: FakeApi;

beforeAll(async () => {
  tg = await fakeTelegram().start();
  graph = await fakeGraph().start();
  app = await createApp({
    config: testConfig(channelEnv(tg, graph, { token: '123:TEST', secret: SECRET, appSecret: APP_SECRET, verify: VERIFY, phoneId: PHONE_ID })),
    db: { kind: 'memory' },
    embeddedQueue: true,
  });
  await app.start(2);
  ({ url, server } = await serveAssembly(app));
});
afterAll(async () => {
  server?.close();
  await app?.close();
  await tg?.close();
  await graph?.close();
});

async function messageCount(): Promise<number> {
  const rows = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
  return rows[0]!.n;
}
/** Waits until every received message is handled and every send job has run. */
async function settle(): Promise<void> {
  await app.bot.idle();
  await app.queue.drain(10_000);
}
/** `secret: null` sends no secret header at all. */
const postTelegram = (body: string | object, secret: string | null = SECRET) =>
  fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/**
 * Posts a body the server may refuse before reading it all (413): node:http reports the answer even
 * when the server closes the connection while we are still writing (fetch would throw instead).
 */
function postRaw(path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => (/EPIPE|ECONNRESET/.test(String(err)) ? undefined : reject(err)));
    req.end(body);
  });
}
const sign = (raw: string, secret = APP_SECRET) => hubSignature(raw, secret);
/** `signature: null` sends no signature header at all. */
const postWhatsApp = (raw: string, signature: string | null = sign(raw)) =>
  fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature !== null ? { 'X-Hub-Signature-256': signature } : {}) },
    body: raw,
  });
const sentTo = (fake: FakeApi, field: string, value: string | number) => fake.requests.filter((r) => r.body[field] === value);

describe('Telegram webhook', () => {
  it('answers a real text update: stored, 200, and the reply reaches the Bot API', async () => {
    const res = await postTelegram(telegramUpdate('text.json', 1001));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: 'message' });
    await settle();
    const sends = sentTo(tg, 'chat_id', 1001);
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(sends.every((s) => s.path === '/bot123:TEST/sendMessage')).toBe(true);
    const last = sends.at(-1)!.body as { reply_markup: { inline_keyboard: { callback_data: string }[][] } };
    // The question (a coworking space for tomorrow) is answered: where? with the filters as buttons.
    expect(last.reply_markup.inline_keyboard.flat().map((b) => b.callback_data)).toContain('know:list');
    const person = await app.store.findPerson('telegram', '1001');
    expect(person?.language).toBe('ar');
  });

  it('rejects a wrong or missing secret with 401 and stores nothing', async () => {
    const before = await messageCount();
    expect((await postTelegram(telegramUpdate('text.json', 1002), 'wrong')).status).toBe(401);
    expect((await postTelegram(telegramUpdate('text.json', 1002), null)).status).toBe(401);
    expect((await postTelegram(telegramUpdate('text.json', 1002), `${SECRET}x`)).status).toBe(401);
    expect(await messageCount()).toBe(before);
    expect(await app.store.findPerson('telegram', '1002')).toBeUndefined();
  });

  it('answers malformed JSON with 400 and an oversized body with 413, storing nothing', async () => {
    const before = await messageCount();
    expect((await postTelegram('{"update_id": 1, "message": ')).status).toBe(400);
    const huge = JSON.stringify({ update_id: 5, pad: 'x'.repeat(1_100_000) });
    expect(await postRaw('/webhooks/telegram', { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, huge)).toBe(413);
    const bad = await postTelegram(fixture('telegram/bad-no-from.json'));
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({ ok: true, outcome: 'rejected' });
    expect(await messageCount()).toBe(before);
  });

  it('acknowledges group, channel and unknown updates without storing them', async () => {
    const before = await messageCount();
    for (const f of ['group-text.json', 'channel-post.json', 'unknown-type.json']) {
      const res = await postTelegram(fixture(`telegram/${f}`));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, outcome: 'ignored' });
    }
    expect(await messageCount()).toBe(before);
  });

  it('gives one reply to the same update delivered 5 times', async () => {
    const update = telegramUpdate('start.json', 1003);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => postTelegram(update).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await settle();
    const person = await app.store.findPerson('telegram', '1003');
    const history = await app.store.history(person!.id);
    expect(history.filter((m) => m.direction === 'in')).toHaveLength(1);
    const outbound = history.filter((m) => m.direction === 'out');
    expect(outbound.length).toBeGreaterThan(0);
    expect(outbound.every((m) => m.status === 'sent')).toBe(true);
    expect(sentTo(tg, 'chat_id', 1003)).toHaveLength(outbound.length);
  });

  it('answers a callback query and handles the pressed button', async () => {
    await postTelegram(telegramUpdate('text.json', 1004, 9_000_001));
    await settle();
    const res = await postTelegram(telegramUpdate('callback.json', 1004, 9_000_002));
    expect(res.status).toBe(200);
    await settle();
    expect(tg.requests.filter((r) => r.path.endsWith('/answerCallbackQuery')).map((r) => r.body.callback_query_id)).toContain('2623919743580281347');
    const person = await app.store.findPerson('telegram', '1004');
    const inbound = (await app.store.history(person!.id)).filter((m) => m.direction === 'in');
    expect(inbound.at(-1)!.body).toEqual({ type: 'choice', id: 'menu:spaces' });
  });

  it('opens the deep link payload of /start space_<id>', async () => {
    const spy = vi.spyOn(app.bot, 'receive');
    await postTelegram(telegramUpdate('start-deeplink.json', 1005));
    expect(spy.mock.calls.at(-1)![0]).toMatchObject({ startPayload: 'space_millepiani', address: '1005' });
    spy.mockRestore();
    await settle();
  });

  it('marks a person who blocked the bot unreachable, and a 403 on send does too', async () => {
    await postTelegram(telegramUpdate('text.json', 1006, 9_000_003));
    await settle();
    await postTelegram(telegramUpdate('my-chat-member-blocked.json', 1006, 9_000_004));
    expect((await app.store.findPerson('telegram', '1006'))!.unreachable).toBe(true);

    tg.failNext('sendMessage', 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await postTelegram(telegramUpdate('sticker.json', 1007, 9_000_005));
    await settle();
    const person = (await app.store.findPerson('telegram', '1007'))!;
    expect(person.unreachable).toBe(true);
    const out = (await app.store.history(person.id)).filter((m) => m.direction === 'out');
    expect(out.some((m) => m.status === 'failed' && m.error?.includes('403'))).toBe(true);
    // Anything queued after the 403 is not attempted.
    const before = tg.requests.length;
    await app.bot.outbox.enqueue(person.id, 'telegram', [{ text: 'Later' }], { at: new Date() });
    await settle();
    expect(tg.requests.length).toBe(before);
    expect((await app.store.history(person.id)).at(-1)).toMatchObject({ status: 'failed', error: expect.stringContaining('unreachable') });
  });

  it('answers 503 when the message cannot be stored, so Telegram retries', async () => {
    const before = await messageCount();
    const spy = vi.spyOn(app.store, 'resolvePerson').mockRejectedValueOnce(new Error('database down'));
    const res = await postTelegram(telegramUpdate('text.json', 1008));
    expect(res.status).toBe(503);
    spy.mockRestore();
    expect(await messageCount()).toBe(before);
    // The retry succeeds.
    expect((await postTelegram(telegramUpdate('text.json', 1008))).status).toBe(200);
    await settle();
    expect(await app.store.findPerson('telegram', '1008')).toBeDefined();
  });
});

describe('WhatsApp webhook', () => {
  it('answers the verification handshake only with the right token', async () => {
    const ok = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('1158201444');
  });

  it('retries a two-call message from its second call: the long text already delivered is not sent again', async () => {
    const from = '393330000013';
    await postWhatsApp(whatsappBody('text.json', from, 'p13'));
    await settle();
    const person = (await app.store.findPerson('whatsapp', from))!;
    // Over 1024 characters with buttons: WhatsApp needs the text, then the buttons, as two calls.
    const long = 'Una frase semplice per provare. '.repeat(40).trim();
    graph.failWhen((r) => r.body.to === from && r.body.type === 'interactive', 500, { error: { message: 'temporary', code: 1, error_subcode: 2 } });
    const before = sentTo(graph, 'to', from).length;
    const [stored] = await app.bot.outbox.enqueue(person.id, 'whatsapp', [{ text: long, choices: [{ id: 'cmd:menu', label: 'Menu' }] }], { at: new Date() });
    const types = () =>
      sentTo(graph, 'to', from)
        .slice(before)
        .map((q) => String(q.body.type));
    await vi.waitFor(() => expect(types()).toEqual(['text', 'interactive', 'interactive']), { timeout: 10_000 });
    await settle();
    const row = (await app.db.query<{ status: string; parts_sent: number }>('SELECT status, parts_sent FROM messages WHERE id = $1', [stored!.id]))[0];
    expect(row).toEqual({ status: 'sent', parts_sent: 1 });
  });

  it('answers a real text webhook: the Graph API gets the reply, with buttons or a list', async () => {
    const res = await postWhatsApp(whatsappBody('text.json', '393330000001', 'a1'));
    expect(res.status).toBe(200);
    await settle();
    const sends = sentTo(graph, 'to', '393330000001');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(sends.every((s) => s.path === `/v24.0/${PHONE_ID}/messages` && s.headers.authorization === 'Bearer WA-TOKEN')).toBe(true);
    const menu = sends.at(-1)!.body as { type: string; interactive: { type: string; action: { button: string; sections: { rows: { id: string; title: string }[] }[] } } };
    expect(menu.type).toBe('interactive');
    expect(menu.interactive.type).toBe('list');
    const rows = menu.interactive.action.sections[0]!.rows;
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r.title.length).toBeLessThanOrEqual(24);
    expect(menu.interactive.action.button.length).toBeLessThanOrEqual(20);
  });

  it('rejects a missing, wrong or tampered signature with 401 and stores nothing', async () => {
    const before = await messageCount();
    const raw = whatsappBody('text.json', '393330000002', 'a2');
    expect((await postWhatsApp(raw, null)).status).toBe(401);
    expect((await postWhatsApp(raw, sign(raw, 'other-secret'))).status).toBe(401);
    expect((await postWhatsApp(raw, 'sha256=zz')).status).toBe(401);
    expect((await postWhatsApp(raw.replace('Ciao', 'Ciaa'), sign(raw))).status).toBe(401);
    expect(await messageCount()).toBe(before);
  });

  it('answers an oversized body with 413 and malformed JSON with 400, storing nothing', async () => {
    const before = await messageCount();
    const huge = JSON.stringify({ object: 'whatsapp_business_account', pad: 'x'.repeat(3 * 1024 * 1024) });
    expect(await postRaw('/webhooks/whatsapp', { 'X-Hub-Signature-256': sign(huge) }, huge)).toBe(413);
    const broken = '{"object":"whatsapp_business_account","entry":[';
    expect((await postWhatsApp(broken)).status).toBe(400);
    for (const f of ['bad-missing-entry.json', 'bad-wrong-object.json', 'bad-no-messages.json']) {
      const raw = JSON.stringify(fixture(`whatsapp/${f}`));
      const res = await postWhatsApp(raw);
      expect(res.status).toBe(200);
    }
    expect(await messageCount()).toBe(before);
  });

  it('answers a voice note (no speech-to-text configured) with buttons that include a person', async () => {
    await postWhatsApp(whatsappBody('text.json', '393330000008', 'a8-0'));
    await settle();
    const before = sentTo(graph, 'to', '393330000008').length;
    expect((await postWhatsApp(whatsappBody('audio-voice.json', '393330000008', 'a8-1'))).status).toBe(200);
    await settle();
    const replies = sentTo(graph, 'to', '393330000008').slice(before);
    expect(replies).toHaveLength(1);
    const body = replies[0]!.body as { interactive: { body: { text: string }; action: { sections: { rows: { id: string }[] }[] } } };
    expect(body.interactive.body.text).toMatch(/voice|vocal/i);
    expect(body.interactive.action.sections[0]!.rows.map((r) => r.id)).toContain('cmd:human');
  });

  it('pages a long list: "more" sends the rest once, and a choice from page 2 works', async () => {
    const who = '393330000009';
    await postWhatsApp(whatsappBody('text.json', who, 'a9-0'));
    await settle();
    const textMsg = (file: string, tag: string, text: string) => {
      const b = JSON.parse(whatsappBody(file, who, tag));
      b.entry[0].changes[0].value.messages[0].text.body = text;
      return JSON.stringify(b);
    };
    const tap = (tag: string, id: string) => {
      const b = JSON.parse(whatsappBody('list-reply.json', who, tag));
      b.entry[0].changes[0].value.messages[0].interactive.list_reply.id = id;
      return JSON.stringify(b);
    };
    let seen = sentTo(graph, 'to', who).length;
    await postWhatsApp(textMsg('text.json', 'a9-1', 'language'));
    await settle();
    type ListBody = { interactive: { body: { text: string }; action: { sections: { rows: { id: string }[] }[] } } };
    const picker = sentTo(graph, 'to', who).slice(seen);
    const rows = (picker.at(-1)!.body as ListBody).interactive.action.sections[0]!.rows.map((r) => r.id);
    expect(rows).toHaveLength(10);
    expect(rows[9]).toMatch(/^wa:more:\d+$/);

    seen = sentTo(graph, 'to', who).length;
    await Promise.all([postWhatsApp(tap('a9-2', rows[9]!)), postWhatsApp(tap('a9-2', rows[9]!))]);
    await settle();
    const page2 = sentTo(graph, 'to', who).slice(seen);
    expect(page2).toHaveLength(1);
    const rows2 = (page2[0]!.body as ListBody).interactive.action.sections[0]!.rows.map((r) => r.id);
    expect(rows2).toHaveLength(7);
    expect(rows2.every((id) => id.startsWith('lang:'))).toBe(true);

    await postWhatsApp(tap('a9-3', 'lang:uk'));
    await settle();
    expect((await app.store.findPerson('whatsapp', who))!.language).toBe('uk');

    // A "more" id of someone else's message is not honoured: the core answers "no longer available".
    seen = sentTo(graph, 'to', who).length;
    await postWhatsApp(tap('a9-4', 'wa:more:1'));
    await settle();
    const stale = sentTo(graph, 'to', who).slice(seen);
    expect(stale.length).toBeGreaterThan(0);
    const inbound = (await app.store.history((await app.store.findPerson('whatsapp', who))!.id)).filter((m) => m.direction === 'in');
    expect(inbound.at(-1)!.body).toEqual({ type: 'choice', id: 'wa:more:1' });
  });

  it('stores every message of a multi-message webhook', async () => {
    expect((await postWhatsApp(whatsappBody('multiple-messages.json', '393330000003', 'a3'))).status).toBe(200);
    await settle();
    expect(await app.store.findPerson('whatsapp', '393330000003')).toBeDefined();
    expect(await app.store.findPerson('whatsapp', '3933300000031')).toBeDefined();
  });

  it('gives one reply to the same message delivered 5 times', async () => {
    const raw = whatsappBody('text.json', '393330000004', 'a4');
    const statuses = await Promise.all(Array.from({ length: 5 }, () => postWhatsApp(raw).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await settle();
    const person = (await app.store.findPerson('whatsapp', '393330000004'))!;
    const history = await app.store.history(person.id);
    expect(history.filter((m) => m.direction === 'in')).toHaveLength(1);
    const out = history.filter((m) => m.direction === 'out');
    expect(sentTo(graph, 'to', '393330000004')).toHaveLength(out.length);
  });

  it('applies delivery statuses by wamid and never moves a status backwards', async () => {
    await postWhatsApp(whatsappBody('text.json', '393330000005', 'a5'));
    await settle();
    const person = (await app.store.findPerson('whatsapp', '393330000005'))!;
    const out = (await app.store.history(person.id)).filter((m) => m.direction === 'out');
    const target = out[0]!;
    expect(target.status).toBe('sent');
    const statusBody = (file: string) => {
      const b = fixture(`whatsapp/${file}`) as { entry: { changes: { value: { statuses: { id: string }[] } }[] }[] };
      b.entry[0]!.changes[0]!.value.statuses[0]!.id = target.externalId!;
      return JSON.stringify(b);
    };
    const statusOf = async () => (await app.store.getMessage(target.id))!.status;
    await postWhatsApp(statusBody('status-read.json'));
    expect(await statusOf()).toBe('read');
    await postWhatsApp(statusBody('status-delivered.json'));
    await postWhatsApp(statusBody('status-sent.json'));
    await postWhatsApp(statusBody('status-failed.json'));
    expect(await statusOf()).toBe('read');

    const other = out[1]!;
    const failed = JSON.parse(statusBody('status-failed.json'));
    failed.entry[0].changes[0].value.statuses[0].id = other.externalId;
    await postWhatsApp(JSON.stringify(failed));
    const stored = (await app.store.getMessage(other.id))!;
    expect(stored.status).toBe('failed');
    expect(stored.error).toContain('131047');
  });

  it('holds a reply when the person is outside the 24-hour window (nothing sent)', async () => {
    await postWhatsApp(whatsappBody('text.json', '393330000006', 'a6'));
    await settle();
    const person = (await app.store.findPerson('whatsapp', '393330000006'))!;
    await app.store.touchPerson(person.id, new Date(Date.now() - 25 * 3600_000), true);
    const before = graph.requests.length;
    await app.bot.outbox.enqueue(person.id, 'whatsapp', [{ text: 'A late answer' }], { at: new Date(), author: 'facilitator:1' });
    await settle();
    expect(graph.requests.length).toBe(before);
    const last = (await app.store.history(person.id)).at(-1)!;
    expect(last.status).toBe('held');
  });

  it('answers 503 when the message cannot be stored, so Meta retries', async () => {
    const spy = vi.spyOn(app.store, 'resolvePerson').mockRejectedValueOnce(new Error('database down'));
    const res = await postWhatsApp(whatsappBody('text.json', '393330000007', 'a7'));
    expect(res.status).toBe(503);
    spy.mockRestore();
    expect(await app.store.findPerson('whatsapp', '393330000007')).toBeUndefined();
  });
});

describe('a handoff through the real webhooks', () => {
  async function facilitator(email: string): Promise<number> {
    return (await app.handoff.accounts.create(email, 'facilitator', 'not-used-here', null, new Date())).id;
  }

  it('Telegram: the person asks for a human, a facilitator answers, the bot stays silent, then resumes', async () => {
    const chat = 7701;
    const ask = telegramUpdate('text.json', chat, 990_001) as { message: { text: string; message_id: number } };
    // Written in Arabic: the person's language follows what they write (their Telegram is set to Arabic too).
    ask.message.text = 'أريد أن أتكلم مع شخص من فريقكم';
    expect((await postTelegram(ask)).status).toBe(200);
    await settle();
    const person = (await app.store.findPerson('telegram', String(chat)))!;
    expect((await app.store.getConversation(person.id)).mode).toBe('waiting');
    const c = (await app.handoff.cases.openCase(person.id))!;
    const staff = await facilitator('tg-handoff@example.org');
    expect(await app.handoff.claim(c.id, staff)).toBe(true);
    await app.handoff.reply(app.bot.outbox, c, staff, 'Hello, I am Sara from the team.');
    await settle();
    expect(person.language).toBe('ar');
    // The person writes Arabic: the facilitator's English reply is marked left-to-right (a leading LRM), so it reads right.
    expect(sentTo(tg, 'chat_id', chat).some((r) => r.body.text === '\u200EHello, I am Sara from the team.')).toBe(true);

    const before = sentTo(tg, 'chat_id', chat).length;
    const more = telegramUpdate('text.json', chat, 990_002) as { message: { text: string; message_id: number } };
    more.message.text = 'thank you, I have a question about a desk';
    more.message.message_id += 1;
    expect((await postTelegram(more)).status).toBe(200);
    await settle();
    expect(sentTo(tg, 'chat_id', chat).length).toBe(before); // the bot is silent while a person answers

    expect(await app.handoff.close(app.bot.outbox, c.id, staff, 'released')).toBe(true);
    await settle();
    const again = telegramUpdate('text.json', chat, 990_003) as { message: { text: string; message_id: number } };
    again.message.text = 'menu';
    again.message.message_id += 2;
    await postTelegram(again);
    await settle();
    expect((await app.store.getConversation(person.id)).mode).toBe('bot');
    expect(sentTo(tg, 'chat_id', chat).length).toBeGreaterThan(before + 1); // the release note and the menu
  });

  it('WhatsApp: the same path, and the facilitator reply reaches the Graph API', async () => {
    const from = '393330007702';
    const raw = (text: string, tag: string) => {
      const b = JSON.parse(whatsappBody('text.json', from, tag)) as { entry: { changes: { value: { messages: { text: { body: string } }[] } }[] }[] };
      b.entry[0]!.changes[0]!.value.messages[0]!.text.body = text;
      return JSON.stringify(b);
    };
    expect((await postWhatsApp(raw('operatore', 'ho1'))).status).toBe(200);
    await settle();
    const person = (await app.store.findPerson('whatsapp', from))!;
    expect((await app.store.getConversation(person.id)).mode).not.toBe('bot');
    const c = (await app.handoff.cases.openCase(person.id))!;
    const staff = await facilitator('wa-handoff@example.org');
    expect(await app.handoff.claim(c.id, staff)).toBe(true);
    await app.handoff.reply(app.bot.outbox, c, staff, 'Ciao, sono Sara del team.');
    await settle();
    const toPerson = graph.requests.filter((r) => r.body.to === from);
    expect(toPerson.some((r) => JSON.stringify(r.body).includes('Ciao, sono Sara del team.'))).toBe(true);
    const before = graph.requests.filter((r) => r.body.to === from && r.body.type !== undefined && r.body.status === undefined).length;
    await postWhatsApp(raw('grazie mille per la risposta', 'ho2'));
    await settle();
    expect(graph.requests.filter((r) => r.body.to === from && r.body.type !== undefined && r.body.status === undefined).length).toBe(before);
  });
});
