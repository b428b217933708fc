/** `coworkbot start` as a real process: serves the web chat, and stops cleanly on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGraph, fakeTelegram, hubSignature, telegramUpdate, whatsappBody, whatsappRemapped } from './channels/fakes.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

describe('coworkbot start', () => {
  it('serves the web chat on embedded defaults, says where, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cwb-start-'));
    const { child, output } = await start({ PORT: String(port), DATA_DIR: dataDir });
    expect(output()).toContain(`http://127.0.0.1:${port}/`);
    expect(output()).toContain(`embedded PGlite in ${dataDir}`);

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form id="composer"');
    const { session } = await (await fetch(`http://127.0.0.1:${port}/api/chat/session`, { method: 'POST' })).json();
    const reply = await (
      await fetch(`http://127.0.0.1:${port}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello' }) })
    ).json();
    expect(reply.replies.length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // The data directory is released: a second start on it works and keeps the conversation.
    const again = await start({ PORT: String(port), DATA_DIR: dataDir });
    const history = await (await fetch(`http://127.0.0.1:${port}/api/chat/history?session=${session}`)).json();
    expect(history.messages.length).toBeGreaterThanOrEqual(2);
    const exited2 = new Promise<number | null>((r) => again.child.on('exit', (code) => r(code)));
    again.child.kill('SIGTERM');
    expect(await exited2).toBe(0);
  });

  it('answers a real Telegram update and a signed WhatsApp body with 200 when both channels are configured, and the replies reach the APIs', async () => {
    const tg = await fakeTelegram().start();
    const graph = await fakeGraph().start();
    const port = await freePort();
    const { child } = await start({
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cwb-start-channels-')),
      TELEGRAM_BOT_TOKEN: '123456:SMOKE',
      TELEGRAM_WEBHOOK_SECRET: 'smoke-secret',
      TELEGRAM_API_ROOT: tg.url,
      WHATSAPP_ACCESS_TOKEN: 'smoke-token',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_APP_SECRET: 'smoke-app-secret',
      WHATSAPP_VERIFY_TOKEN: 'smoke-verify',
      WHATSAPP_API_URL: graph.url,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const update = await fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'smoke-secret' },
        body: JSON.stringify(telegramUpdate('start.json', 4242)),
      });
      expect(update.status).toBe(200);
      const hand = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=smoke-verify&hub.challenge=77`);
      expect(await hand.text()).toBe('77');
      const raw = whatsappBody('text.json', '393339990001', 'smoke1');
      const signed = await fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': hubSignature(raw, 'smoke-app-secret') },
        body: raw,
      });
      expect(signed.status).toBe(200);
      // A person with a username and no phone number in the webhook: answered by BSUID.
      const bsuid = 'IT.9900000000000000001';
      const noPhone = whatsappRemapped('bsuid-only-text.json', () => bsuid, 'smoke2');
      const byBsuid = await fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': hubSignature(noPhone, 'smoke-app-secret') },
        body: noPhone,
      });
      expect(byBsuid.status).toBe(200);
      const deadline = Date.now() + 30_000;
      const reached = () => ({
        telegram: tg.requests.filter((r) => r.path === '/bot123456:SMOKE/sendMessage' && r.body.chat_id === 4242).length,
        whatsapp: graph.requests.filter((r) => r.path.endsWith('/106540352242922/messages') && r.body.to === '393339990001').length,
        bsuid: graph.requests.filter((r) => r.path.endsWith('/106540352242922/messages') && r.body.recipient === bsuid && r.body.to === undefined).length,
      });
      while ((reached().telegram === 0 || reached().whatsapp === 0 || reached().bsuid === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(reached().telegram).toBeGreaterThan(0);
      expect(reached().whatsapp).toBeGreaterThan(0);
      expect(reached().bsuid).toBeGreaterThan(0);
    } finally {
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      await exited;
      await tg.close();
      await graph.close();
    }
  });

  it('refuses a wrong setting with one clear line', async () => {
    const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(78);
    expect(err.trim()).toBe('Configuration error: PORT must be a TCP port number (1-65535) (got "eighty").');
  });
});
