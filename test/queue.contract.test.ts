/**
 * One contract, every queue: the embedded queue on PGlite (always), on PostgreSQL
 * (TEST_DATABASE_URL) and BullMQ on Redis (TEST_REDIS_URL).
 */
import { mkdtempSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BullQueue } from '../src/queue/bullmq-queue.js';
import { DbQueue } from '../src/queue/db-queue.js';
import { RetryLater, type JobQueue } from '../src/queue/queue.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { createLogger, type Logger } from '../src/logger.js';
import { freshPostgres, TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers.js';

interface Impl {
  name: string;
  /** Makes a queue; calling it again with the same `persist` handle gives a queue over the same jobs. */
  make(persist?: unknown, durable?: boolean, log?: Logger): Promise<{ queue: JobQueue; persist: unknown; dispose: () => Promise<void> }>;
}

const impls: Impl[] = [
  {
    name: 'embedded queue on PGlite',
    async make(persist, durable, log) {
      // A directory (slower to create) only where a test restarts the queue over the same jobs.
      const dir = (persist as string | undefined) ?? (durable ? mkdtempSync(join(tmpdir(), 'cwb-q-')) : undefined);
      const db = await openDatabase(dir ? { kind: 'dir', dir } : { kind: 'memory' });
      const queue = new DbQueue(db, log, 20);
      return {
        queue,
        persist: dir,
        dispose: async () => {
          await queue.close();
          await db.close();
        },
      };
    },
  },
];
if (TEST_DATABASE_URL) {
  impls.push({
    name: 'embedded queue on PostgreSQL',
    async make(persist, _durable, log) {
      const p = (persist as { url: string; drop: () => Promise<void> } | undefined) ?? (await freshPostgres());
      const db: Db = await openDatabase({ kind: 'postgres', url: p.url });
      const queue = new DbQueue(db, log, 20);
      return {
        queue,
        persist: p,
        dispose: async () => {
          await queue.close();
          await db.close();
        },
      };
    },
  });
}
if (TEST_REDIS_URL) {
  impls.push({
    name: 'BullMQ on Redis',
    async make(persist, _durable, log) {
      const name = (persist as string | undefined) ?? `test-${Math.random().toString(36).slice(2)}`;
      const queue = new BullQueue(TEST_REDIS_URL!, name, log);
      return { queue, persist: name, dispose: async () => queue.close() };
    },
  });
}

describe.each(impls)('$name', (impl) => {
  const disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (disposers.length) await disposers.pop()!();
  });
  async function make(persist?: unknown, durable = false, log?: Logger) {
    const q = await impl.make(persist, durable, log);
    disposers.push(q.dispose);
    return q;
  }

  it('runs an added job with its data', async () => {
    const { queue } = await make();
    const seen: unknown[] = [];
    queue.handle('greet', async (data) => void seen.push(data));
    await queue.start(2);
    await queue.add('greet', { to: 'a', n: 1 });
    await queue.drain();
    expect(seen).toEqual([{ to: 'a', n: 1 }]);
  });

  it('runs jobs added together, each once, and not one whose key is already waiting', async () => {
    const { queue } = await make();
    const seen: unknown[] = [];
    queue.handle('greet', async (data) => void seen.push(data.n));
    await queue.add('greet', { n: 0 }, { key: 'g0' });
    expect(queue.addMany).toBeDefined();
    await queue.addMany!([
      { name: 'greet', data: { n: 0 }, opts: { key: 'g0' } },
      { name: 'greet', data: { n: 1 }, opts: { key: 'g1' } },
      { name: 'greet', data: { n: 2 }, opts: { key: 'g2', priority: 'bulk' } },
    ]);
    await queue.start(1);
    await queue.drain();
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('runs replies before bulk jobs', async () => {
    const { queue } = await make();
    const order: string[] = [];
    queue.handle('job', async (data) => void order.push(String(data.id)));
    for (let i = 0; i < 5; i++) await queue.add('job', { id: `bulk${i}` }, { priority: 'bulk' });
    await queue.add('job', { id: 'reply' }, { priority: 'reply' });
    await queue.start(1);
    await queue.drain();
    expect(order[0]).toBe('reply');
    expect(order).toHaveLength(6);
  });

  it('does not add a job whose key is already waiting', async () => {
    const { queue } = await make();
    let runs = 0;
    queue.handle('once', async () => void runs++);
    await queue.add('once', {}, { key: 'k1' });
    await queue.add('once', {}, { key: 'k1' });
    await queue.start(1);
    await queue.drain();
    expect(runs).toBe(1);
  });

  it('retries a failing job and succeeds', async () => {
    const { queue } = await make();
    let attempts = 0;
    queue.handle('flaky', async () => {
      attempts++;
      if (attempts < 2) throw new RetryLater(50, 'busy');
    });
    await queue.start(1);
    await queue.add('flaky', {});
    const deadline = Date.now() + 10_000;
    while (attempts < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await queue.drain();
    expect(attempts).toBe(2);
  });

  it('logs a rescheduled job (RetryLater) as no failure, and a job that throws as one', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const { queue } = await make(undefined, false, createLogger('info', sink));
    let checks = 0;
    let broken = 0;
    queue.handle('schedule-check', async () => {
      if (++checks < 3) throw new RetryLater(30, 'next schedule check');
    });
    queue.handle('broken', async () => {
      if (++broken < 2) throw new Error('a bug');
    });
    await queue.start(1);
    await queue.add('schedule-check', {});
    const deadline = Date.now() + 10_000;
    while (checks < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await queue.drain();
    expect(checks).toBe(3);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]); // nothing at warn or above
    await queue.add('broken', {});
    while (broken < 2 && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 25));
    await queue.drain();
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['queue: job failed']);
  });

  it('delays a job until runAt', async () => {
    const { queue } = await make();
    const ranAt: number[] = [];
    queue.handle('later', async () => void ranAt.push(Date.now()));
    await queue.start(1);
    const due = Date.now() + 400;
    await queue.add('later', {}, { runAt: new Date(due) });
    const deadline = Date.now() + 10_000;
    while (ranAt.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(ranAt[0]).toBeGreaterThanOrEqual(due - 50);
  });

  it('reschedules a waiting job by its key (an event moved)', async () => {
    const { queue } = await make();
    const ranAt: number[] = [];
    queue.handle('moved', async () => void ranAt.push(Date.now()));
    await queue.start(1);
    await queue.add('moved', {}, { key: 'moved:1', runAt: new Date(Date.now() + 60_000) });
    const due = Date.now() + 300;
    expect(await queue.reschedule('moved:1', new Date(due))).toBe(true);
    expect(await queue.reschedule('never:added', new Date(due))).toBe(false);
    const deadline = Date.now() + 10_000;
    while (ranAt.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(ranAt).toHaveLength(1);
    expect(ranAt[0]).toBeGreaterThanOrEqual(due - 50);
    expect(await queue.reschedule('moved:1', new Date(due))).toBe(false); // already run
  });

  it('keeps jobs across a restart: a job added but not run is run by the next worker', async () => {
    const first = await make(undefined, true);
    await first.queue.add('survive', { id: 42 });
    await first.dispose();
    disposers.pop();
    const second = await make(first.persist);
    const seen: unknown[] = [];
    second.queue.handle('survive', async (d) => void seen.push(d.id));
    await second.queue.start(1);
    await second.queue.drain();
    expect(seen).toEqual([42]);
  });

  it('counts waiting jobs', async () => {
    const { queue } = await make();
    await queue.add('idle', {});
    await queue.add('idle', {});
    expect((await queue.counts()).waiting).toBe(2);
  });
});
