/** Voice notes with a speech-to-text endpoint configured: downloaded, transcribed, echoed, answered as text. */
import { createHmac } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { serveAssembly } from '../browser.js';
import { testConfig } from '../helpers.js';
import { fakeGraph, fakeOpenAi, fakeTelegram, fixture, fixtureText, type FakeApi } from './fakes.js';

describe('voice notes with TRANSCRIBE_MODEL set', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let tg: FakeApi;
  let graph: FakeApi;
  let stt: FakeApi;
  beforeAll(async () => {
    [tg, graph, stt] = await Promise.all([fakeTelegram().start(), fakeGraph().start(), fakeOpenAi('where is a quiet space near Termini').start()]);
    app = await createApp({
      config: testConfig({
        TELEGRAM_BOT_TOKEN: '123:TEST',
        TELEGRAM_WEBHOOK_SECRET: 's',
        TELEGRAM_API_ROOT: tg.url,
        TELEGRAM_RATE_PER_CHAT: '1000',
        WHATSAPP_ACCESS_TOKEN: 'WA',
        WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
        WHATSAPP_APP_SECRET: 'as',
        WHATSAPP_VERIFY_TOKEN: 'vt',
        WHATSAPP_API_URL: graph.url,
        OPENAI_BASE_URL: `${stt.url}/v1`,
        OPENAI_API_KEY: 'sk-test',
        TRANSCRIBE_MODEL: 'whisper-1',
      }),
      db: { kind: 'memory' },
      embeddedQueue: true,
    });
    await app.start(1);
    ({ url, server } = await serveAssembly(app));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await Promise.all([tg?.close(), graph?.close(), stt?.close()]);
  });

  const settle = async () => {
    await app.bot.idle();
    await app.queue.drain(10_000);
  };

  it('Telegram: getFile + download, transcription, then "I understood: …" and an answer to the text', async () => {
    const res = await fetch(`${url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 's' },
      body: fixtureText('telegram/voice.json'),
    });
    expect(res.status).toBe(200);
    await settle();
    const fileId = (fixture('telegram/voice.json') as { message: { voice: { file_id: string } } }).message.voice.file_id;
    expect(tg.requests.find((r) => r.path.endsWith('/getFile'))?.body).toEqual({ file_id: fileId });
    expect(tg.requests.some((r) => r.path === '/file/bot123:TEST/voice/file_1.oga')).toBe(true);
    const call = stt.requests.find((r) => r.path === '/v1/audio/transcriptions')!;
    expect(call.headers.authorization).toBe('Bearer sk-test');
    expect(String(call.body.raw)).toContain('whisper-1');
    const texts = tg.requests.filter((r) => r.path.endsWith('/sendMessage')).map((r) => String(r.body.text));
    expect(texts.some((t) => t.includes('where is a quiet space near Termini'))).toBe(true);
  });

  it('WhatsApp: media lookup + download with the token, then the echo', async () => {
    const raw = fixtureText('whatsapp/audio-voice.json');
    const sig = `sha256=${createHmac('sha256', 'as').update(raw).digest('hex')}`;
    expect((await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': sig }, body: raw })).status).toBe(200);
    await settle();
    expect(graph.requests.find((r) => r.method === 'GET' && r.path === '/v24.0/5922825418367543')?.headers.authorization).toBe('Bearer WA');
    expect(graph.requests.find((r) => r.path === '/media/5922825418367543')?.headers.authorization).toBe('Bearer WA');
    const sent = graph.requests.filter((r) => r.method === 'POST').map((r) => JSON.stringify(r.body));
    expect(sent.some((b) => b.includes('where is a quiet space near Termini'))).toBe(true);
  });

  it('falls back to "cannot listen yet" with buttons when the service fails', async () => {
    stt.failNext('/v1/audio/transcriptions', 500, { error: { message: 'boom' } });
    stt.failNext('/v1/audio/transcriptions', 500, { error: { message: 'boom' } });
    const before = tg.requests.length;
    const update = fixture('telegram/voice.json') as { update_id: number; message: { message_id: number } };
    update.update_id += 1;
    update.message.message_id += 1;
    await fetch(`${url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 's' }, body: JSON.stringify(update) });
    await settle();
    const sends = tg.requests.slice(before).filter((r) => r.path.endsWith('/sendMessage'));
    expect(sends).toHaveLength(1);
    const markup = sends[0]!.body.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    expect(markup.inline_keyboard.flat().map((b) => b.callback_data)).toContain('cmd:human');
  });
});
