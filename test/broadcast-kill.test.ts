/**
 * The broadcast worker killed with SIGKILL, twice, mid-way: a child process runs the worker against
 * fake Telegram and WhatsApp APIs (127.0.0.1, in this process, so their logs outlive the worker) on a
 * real database (a PGlite data directory; PostgreSQL only with TEST_KILL_POSTGRES=1, see below). Each kill comes while the worker has a full window of requests in
 * flight (the fakes hold their answers: requests received, no answer yet — the case where a restart
 * could send twice) and many more records claimed and waiting for the rate limiter (the case where a
 * restart could skip them). After the third start finishes: every subscriber got exactly one message
 * in the fakes' logs, nobody is skipped, and the report accounts for every record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTarget } from '../src/storage/db.js';
import { fakeGraph, fakeTelegram, type FakeApi, type Recorded } from './channels/fakes.js';
import { addressOf, broadcastApp, until } from './broadcast-support.js';
import { freshPostgres, TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers.js';

const PER_CHANNEL = 1000;
const RATE = 400;
const TG_BASE = 720_000_000;
const WA_BASE = 393_380_000_000;
const okSends = (reqs: Recorded[]) => reqs.filter((r) => r.method === 'POST' && /\/(sendMessage|messages)$/.test(r.path));

interface Target {
  name: string;
  db: () => Promise<{ target: DbTarget; cleanup: () => Promise<void> }>;
  redis?: string;
}
const targets: Target[] = [{ name: 'PGlite data directory', db: async () => ({ target: { kind: 'dir', dir: mkdtempSync(join(tmpdir(), 'cwb-kill-')) }, cleanup: async () => undefined }) }];
// PostgreSQL (+ BullMQ) is not run here yet: after a SIGKILL the dead worker's `broadcast` job is
// still held by the queue until its lease expires (minutes), so the restarted worker waits that long
// before resuming. Opt in with TEST_KILL_POSTGRES=1 (slow; known to time out at 120 s per step).
if (TEST_DATABASE_URL && process.env.TEST_KILL_POSTGRES === '1') {
  targets.push({
    name: TEST_REDIS_URL ? 'PostgreSQL + BullMQ' : 'PostgreSQL',
    db: async () => {
      const { url, drop } = await freshPostgres();
      return { target: { kind: 'postgres', url }, cleanup: drop };
    },
    redis: TEST_REDIS_URL,
  });
}

for (const target of targets) {
  describe(`the broadcast worker killed twice with SIGKILL (${target.name})`, () => {
    const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };
    let db: { target: DbTarget; cleanup: () => Promise<void> };
    const queueName = `cwb-kill-${randomBytes(4).toString('hex')}`;
    let child: ChildProcess | undefined;

    beforeAll(async () => {
      fakes.tg = await fakeTelegram().start();
      fakes.wa = await fakeGraph().start();
      db = await target.db();
    });
    afterAll(async () => {
      child?.kill('SIGKILL');
      await fakes.tg?.close();
      await fakes.wa?.close();
      await db?.cleanup();
    });

    /** Starts the worker process; resolves once it says "ready". */
    function startWorker(): Promise<{ proc: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> }> {
      const arg = JSON.stringify({ db: db.target, tg: fakes.tg.url, wa: fakes.wa.url, redis: target.redis, queueName, rate: RATE });
      const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/broadcast-worker.ts', arg], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let out = '';
      const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out })));
      return new Promise((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve({ proc, exited });
        });
        proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        void exited.then((e) => reject(new Error(`the worker exited before it was ready: ${e.code ?? e.signal} ${e.out.slice(-500)}`)));
      });
    }

    const sends = () => okSends(fakes.tg.requests).length + okSends(fakes.wa.requests).length;

    /** Waits for `n` sends, holds the fakes' answers until the worker has every request in flight, then SIGKILL. */
    async function killAt(n: number): Promise<void> {
      const w = await startWorker();
      await until(() => sends() >= n, 120_000, `${n} sends`);
      fakes.tg.hold();
      fakes.wa.hold();
      // Every send slot now waits for an answer: once nothing new arrives for a second, every request
      // the worker marked in flight has reached the fakes.
      let last = -1;
      let since = performance.now();
      await until(
        () => {
          const now = sends();
          if (now !== last) [last, since] = [now, performance.now()];
          return performance.now() - since > 1000;
        },
        10_000,
        'the worker to have every request in flight',
      );
      w.proc.kill('SIGKILL');
      const e = await w.exited;
      expect(e.signal).toBe('SIGKILL');
      fakes.tg.release();
      fakes.wa.release();
    }

    it('every subscriber gets exactly one message, none skipped, and the report is complete', async () => {
      const app = await broadcastApp(db.target, fakes, { rate: RATE, redisUrl: target.redis, queueName });
      await app.broadcastStore.seedSubscribers(PER_CHANNEL, { channel: 'telegram', idPrefix: 'K-T', addressBase: TG_BASE });
      await app.broadcastStore.seedSubscribers(PER_CHANNEL, { channel: 'whatsapp', idPrefix: 'K-W', addressBase: WA_BASE, lastInboundAt: new Date() });
      const b = await app.broadcastStore.createBroadcast({ spaceId: 'millepiani', createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day on Saturday.' } } }, new Date());
      // Records are written now; the worker processes do all the sending.
      expect(await app.broadcastStore.startBroadcast(b.id, ['telegram', 'whatsapp'], new Date())).toBe(2 * PER_CHANNEL);
      await app.close();

      const started = performance.now();
      await killAt(500);
      const afterFirst = sends();
      await killAt(afterFirst + 600);
      const afterSecond = sends();
      expect(afterSecond).toBeLessThan(2 * PER_CHANNEL);
      const last = await startWorker();
      const end = await last.exited;
      expect(end.out).toContain('done');
      const seconds = (performance.now() - started) / 1000;

      // The fakes' logs: one message per subscriber, nobody missing.
      const perAddress = new Map<string, number>();
      for (const r of [...okSends(fakes.tg.requests), ...okSends(fakes.wa.requests)]) perAddress.set(addressOf(r), (perAddress.get(addressOf(r)) ?? 0) + 1);
      expect([...perAddress.values()].filter((n) => n !== 1)).toEqual([]);
      expect(perAddress.size).toBe(2 * PER_CHANNEL);

      const check = await broadcastApp(db.target, fakes, { rate: RATE, redisUrl: target.redis, queueName: `${queueName}-check`, staleMs: 0 });
      try {
        const report = await check.broadcastStore.report(b.id);
        const records = await check.broadcastStore.deliveries(b.id);
        expect(records).toHaveLength(2 * PER_CHANNEL);
        // Sent, or in flight at a kill (received by the platform, answer lost): "unknown", never sent twice.
        const unknown = records.filter((r) => r.status === 'unknown');
        expect(records.filter((r) => r.status !== 'sent' && r.status !== 'unknown')).toEqual([]);
        expect(report.total).toBe(2 * PER_CHANNEL);
        expect((report.byStatus.sent ?? 0) + (report.byStatus.unknown ?? 0)).toBe(2 * PER_CHANNEL);
        expect(unknown.length).toBeGreaterThan(0); // the kills did catch requests in flight
        expect((await check.broadcastStore.getBroadcast(b.id))!.status).toBe('done');
        console.info(
          `broadcast kill test (${target.name}): ${2 * PER_CHANNEL} records, killed after ${afterFirst} and ${afterSecond} sends, ${unknown.length} in flight at a kill (received, marked unknown), 0 duplicated, 0 skipped, ${seconds.toFixed(1)} s`,
        );
      } finally {
        await check.close();
      }
    }, 300_000);
  });
}
