/**
 * A worker killed (SIGKILL) in the middle of sending replies: after a restart every reply reaches
 * the (fake) Bot API exactly once. The fake delivers a message when its answer reaches the sender,
 * like a request cut before the answer: such a send is retried, never counted twice.
 * And killed in the middle of a burst (120 people writing at once, turns still being handled):
 * after a restart every message has exactly one reply set, the one it would have had without the
 * kill (a first message gets the welcome), and each reaches the API once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { OutboundMessage } from '../../src/core/types.js';
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
    close: () =>
      new Promise<void>((r) => {
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

describe('a process killed in the middle of a burst of 120 people', () => {
  it('gives every message exactly one reply set after the restart, the welcome for a first message', async () => {
    // What a new person writing "hello" gets when nothing goes wrong.
    const reference = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, sweepMs: 0 });
    const expected = (await reference.bot.handle({ channel: 'telegram', address: '1', externalId: 'ref', receivedAt: new Date(), content: { type: 'text', text: 'hello' } })).replies.map(
      (m) => m.text,
    );
    await reference.close();
    expect(expected.length).toBeGreaterThan(1);

    // The API holds every answer until the restart: a send cut by the kill was never delivered.
    const api = countingBotApi(0);
    const url = await api.start();
    const dir = mkdtempSync(join(tmpdir(), 'cwb-burst-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/burst-and-die.ts', dir, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // It kills itself (SIGKILL) in the middle of the burst.
    expect(await exited).toBe('SIGKILL');
    api.release();

    const app = await createApp({
      config: testConfig({ TELEGRAM_BOT_TOKEN: '123:TEST', TELEGRAM_API_ROOT: url, TELEGRAM_RATE_PER_CHAT: '1000', TELEGRAM_RATE_PER_SECOND: '1000' }),
      db: { kind: 'dir', dir },
      embeddedQueue: true,
      sweepMs: 0,
    });
    try {
      const inbound = await app.db.query<{ id: string; processed: boolean }>(`SELECT id, processed_at IS NOT NULL AS processed FROM messages WHERE direction = 'in'`);
      expect(inbound.length).toBeGreaterThan(30);
      expect(inbound.some((m) => !m.processed)).toBe(true); // the kill did land in the middle of the burst
      await app.start(4);
      await app.bot.idle();
      await app.queue.drain(30_000);

      const rows = await app.db.query<{ address: string; id: string; direction: string; body: OutboundMessage; in_reply_to: string | null }>(
        `SELECT a.address, m.id, m.direction, m.body, m.in_reply_to FROM messages m JOIN channel_addresses a ON a.person_id = m.person_id ORDER BY m.id`,
      );
      type Person = { inbound: string[]; replies: Map<string, (string | undefined)[]> };
      const people = new Map<string, Person>();
      for (const r of rows) {
        const p: Person = people.get(r.address) ?? { inbound: [], replies: new Map() };
        people.set(r.address, p);
        if (r.direction === 'in') p.inbound.push(r.id);
        else p.replies.set(r.in_reply_to!, [...(p.replies.get(r.in_reply_to!) ?? []), r.body.text]);
      }
      const wrong: string[] = [];
      for (const [address, p] of people) {
        for (const id of p.inbound) {
          const got = p.replies.get(id) ?? [];
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${address}: ${JSON.stringify(got.map((t) => t?.slice(0, 30)))}`);
        }
      }
      expect(wrong).toEqual([]);
      // Each stored reply reached the API exactly once.
      const after = await app.db.query<{ status: string }>(`SELECT status FROM messages WHERE direction = 'out'`);
      expect(after.every((r) => r.status === 'sent')).toBe(true);
      expect(api.delivered.length).toBe(after.length);
      const keys = api.delivered.map((d) => `${d.chatId}\u0000${d.text}`);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await app.close();
      await api.close();
    }
  }, 180_000);
});
