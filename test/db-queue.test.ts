/**
 * The embedded queue's claims (`DbQueue`, on PGlite and on PostgreSQL): what the shared contract in
 * queue.contract.test.ts cannot say about a table of jobs — locks that expire, the claim's index.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DbQueue } from '../src/queue/db-queue.js';
import type { Db } from '../src/storage/db.js';
import { dbTargetNames, openTestDb } from './helpers.js';

describe.each(dbTargetNames())('DbQueue on %s', (name) => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
  async function open(lockMs: number): Promise<{ db: Db; queue: DbQueue }> {
    const t = await openTestDb(name);
    const queue = new DbQueue(t.db, undefined, 20, lockMs);
    closers.push(t.close, () => queue.close());
    return { db: t.db, queue };
  }

  it('runs a job claimed by a process that died once its lock expired, not before', async () => {
    const { db, queue } = await open(300);
    const ran: { at: number; attempt: number }[] = [];
    queue.handle('orphan', async (_d, job) => void ran.push({ at: Date.now(), attempt: job.attempt }));
    await queue.start(2);
    // Claimed by another process (its token), which then died: active, locked for 600 ms more.
    const [row] = await db.query<{ until: Date }>(
      `INSERT INTO jobs (name, data, status, attempts, locked_by, locked_until)
       VALUES ('orphan', '{}', 'active', 1, 'dead-process', now() + interval '600 milliseconds') RETURNING locked_until AS until`,
    );
    const until = new Date(row!.until).getTime();
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toEqual([]); // still locked
    for (let i = 0; i < 100 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(ran.length).toBe(1);
    expect(ran[0]!.at).toBeGreaterThanOrEqual(until - 50); // clocks: the database's and this process's
    expect(ran[0]!.attempt).toBe(2);
    await queue.drain();
    expect(await db.query(`SELECT id FROM jobs`)).toEqual([]);
  });

  it('claims the next waiting job from the index of waiting jobs, in priority order', async () => {
    const { db, queue } = await open(60_000);
    await queue.add('later', { n: 1 }, { priority: 'bulk' });
    await queue.add('first', { n: 2 }, { priority: 'reply' });
    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM jobs WHERE status = 'waiting' AND run_at <= now() AND name = ANY($1)
         ORDER BY priority, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [['later', 'first']],
      )
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('jobs_waiting');
    const order: string[] = [];
    queue.handle('later', async () => void order.push('later'));
    queue.handle('first', async () => void order.push('first'));
    await queue.start(1);
    await queue.drain();
    expect(order).toEqual(['first', 'later']);
  });
});
