/**
 * A worker killed (SIGKILL) in the middle of sending replies: after a restart every reply reaches
 * the (fake) Bot API exactly once. The fake delivers a message when its answer reaches the sender,
 * like a request cut before the answer: such a send is retried, never counted twice.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { testConfig } from '../helpers.js';

/**
 * A Bot API that answers the first `answerFirst` sendMessage calls at once and then holds every
 * answer (the sends are in flight) until `release()`. It records the sends it completed.
 */
function countingBotApi(answerFirst: number) {
  const delivered: { chatId: number; text: string }[] = [];
  const held: (() => void)[] = [];
  let holding = true;
  let onHeld: (() => void) | undefined;
  let nextId = 1;
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { chat_id: number; text: string };
      if (!req.url?.endsWith('/sendMessage')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: true }));
        return;
      }
      const answer = () => {
        if (res.destroyed || req.socket.destroyed) return; // the sender died: nothing was delivered
        delivered.push({ chatId: Number(body.chat_id), text: body.text });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: { message_id: nextId++, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } }));
      };
      if (!holding || answered < answerFirst) {
        answered++;
        answer();
      } else {
        held.push(answer);
        onHeld?.();
      }
    });
  });
  return {
    delivered,
    /** Resolves when `n` sends are being held (every worker is blocked in a send). */
    waitForHeld(n: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (held.length >= n) resolve();
        };
        onHeld = check;
        check();
      });
    },
    /** Answers from now on. The held sends were cut before an answer (their sender was killed): not delivered. */
    release() {
      holding = false;
      held.length = 0;
      server.closeAllConnections();
    },
    async start(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('a worker killed while sending replies', () => {
  it('sends every reply exactly once after the restart', async () => {
    const api = countingBotApi(6);
    const url = await api.start();
    const dir = mkdtempSync(join(tmpdir(), 'cwb-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/send-and-die.ts', dir, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Six replies go out; then the four workers are each blocked in a send (answers held): kill.
    // A worker starts its next send only after marking the previous one, so the six are marked.
    await api.waitForHeld(4);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const beforeRestart = api.delivered.length;

    api.release();
    const app = await createApp({
      config: testConfig({ TELEGRAM_BOT_TOKEN: '123:TEST', TELEGRAM_API_ROOT: url, TELEGRAM_RATE_PER_CHAT: '1000' }),
      db: { kind: 'dir', dir },
      embeddedQueue: true,
      sweepMs: 0,
    });
    try {
      const rows = await app.db.query<{ id: string; status: string }>(`SELECT id, status FROM messages WHERE direction = 'out' ORDER BY id`);
      expect(rows.length).toBeGreaterThanOrEqual(16); // 8 people, a greeting and a menu each
      expect(rows.some((r) => r.status !== 'sent')).toBe(true); // the kill did interrupt the sending
      await app.start(4);
      await app.queue.drain(15_000);
      const after = await app.db.query<{ id: string; status: string }>(`SELECT id, status FROM messages WHERE direction = 'out' ORDER BY id`);
      expect(after.every((r) => r.status === 'sent')).toBe(true);
      // Exactly once: one delivery per stored reply, none twice.
      expect(api.delivered.length).toBe(after.length);
      const keys = api.delivered.map((d) => `${d.chatId}\u0000${d.text}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(beforeRestart).toBe(6);
    } finally {
      await app.close();
      await api.close();
    }
  });
});
