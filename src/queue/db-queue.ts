/**
 * The embedded queue: jobs live in the `jobs` table, so a crash or restart loses nothing. Workers
 * claim jobs with `FOR UPDATE SKIP LOCKED`, so several processes on one PostgreSQL share the work.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { silentLogger } from '../logger.js';
import { oneRow, type Db, type Queryable } from '../storage/db.js';
import { jsonColumn, jsonObject } from '../storage/json-column.js';
import { backoffMs, priorityValue, RetryLater, type JobHandler, type JobOptions, type JobQueue, type QueueCounts } from './queue.js';

/** A claimed job as read back; `data` is checked by {@link jobData} before its handler sees it. */
type JobRow = { id: string; name: string; data: unknown; attempts: number; max_attempts: number; key: string | null };

/** `jobs.data`: the handler's arguments, an object (only the outer shape is checked; handlers read their fields). */
const jobData = jsonColumn('jobs', 'data', jsonObject);

const LOCK_MS = 5 * 60_000;
/** How often a process looks for active jobs whose lock expired (their process died or hung) to run them again. */
const EXPIRED_CHECK_MS = 5_000;

export class DbQueue implements JobQueue {
  readonly kind = 'db' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private running = false;
  private active = 0;
  private concurrency = 4;
  /** Wakers of the loops sleeping until the next poll: a new job wakes one (see {@link wakeOne}). */
  private idle: (() => void)[] = [];
  private loops: Promise<void>[] = [];
  private idleWaiters: (() => void)[] = [];
  /** This process's mark on the jobs it claims. */
  private readonly token = randomUUID();
  /** Ids of the jobs this process is running now. */
  private readonly runningIds = new Set<string>();
  /** A claim or a completion may have been committed without this process knowing (see 101_job_claims.sql). */
  private uncertain = false;
  /** When this process next looks for expired locks (see {@link releaseExpired}). */
  private nextExpiredCheck = 0;

  /**
   * @param pollMs how long an idle loop sleeps before it looks for a job again (a job added by this
   *   process wakes one at once)
   * @param lockMs how long a claim holds a job: a job whose process died is runnable again after it
   */
  constructor(
    private readonly db: Db,
    private readonly log: Logger = silentLogger,
    private readonly pollMs = 250,
    private readonly lockMs = LOCK_MS,
  ) {}

  async add(name: string, data: Record<string, unknown>, opts: JobOptions = {}): Promise<void> {
    await this.db.query(
      `INSERT INTO jobs (name, data, priority, key, run_at, max_attempts) VALUES ($1, $2, $3, $4, COALESCE($5, now()), $6)
       ON CONFLICT (key) DO NOTHING`,
      [name, JSON.stringify(data), priorityValue[opts.priority ?? 'reply'], opts.key ?? null, opts.runAt ?? null, opts.attempts ?? 8],
    );
    this.wakeOne();
  }

  async addMany(jobs: { name: string; data: Record<string, unknown>; opts?: JobOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.db.query(
      `INSERT INTO jobs (name, data, priority, key, run_at, max_attempts)
       SELECT j->>'name', j->'data', (j->>'priority')::int, j->>'key', COALESCE((j->>'runAt')::timestamptz, now()), (j->>'attempts')::int
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(j, n) ORDER BY n
       ON CONFLICT (key) DO NOTHING`,
      [
        JSON.stringify(
          jobs.map(({ name, data, opts = {} }) => ({
            name,
            data,
            priority: priorityValue[opts.priority ?? 'reply'],
            key: opts.key ?? null,
            runAt: opts.runAt?.toISOString() ?? null,
            attempts: opts.attempts ?? 8,
          })),
        ),
      ],
    );
    this.wakeOne();
  }

  async reschedule(key: string, runAt: Date): Promise<boolean> {
    const rows = await this.db.query(`UPDATE jobs SET run_at = $2 WHERE key = $1 AND status = 'waiting' RETURNING id`, [key, runAt]);
    this.wakeOne();
    return rows.length > 0;
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  async start(concurrency = 4): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.concurrency = concurrency;
    // Jobs left active by a process that stopped are runnable again once their lock expires;
    // on the embedded database only this process exists, so release them now.
    if (this.db.kind === 'pglite') await this.db.query(`UPDATE jobs SET status = 'waiting', locked_until = NULL WHERE status = 'active'`);
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop());
  }

  private async loop(): Promise<void> {
    // The job this loop finished last, deleted by its next claim (one round trip for both). It stays
    // in `runningIds` until then, so a release of lost claims leaves it alone.
    let done: string | undefined;
    while (this.running) {
      let job: JobRow | undefined;
      try {
        if (this.uncertain) await this.releaseLostClaims();
        if (Date.now() >= this.nextExpiredCheck) await this.releaseExpired();
        job = await this.claim(done);
        if (done !== undefined) this.runningIds.delete(done);
        done = undefined;
      } catch (err) {
        this.uncertain = true;
        this.log.warn({ err: String(err) }, 'queue: could not claim a job');
      }
      if (!job) {
        this.notifyIdle();
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            this.idle = this.idle.filter((w) => w !== wake);
            resolve();
          };
          const t = setTimeout(wake, this.pollMs);
          this.idle.push(wake);
        });
        continue;
      }
      this.active++;
      try {
        if (await this.run(job)) done = String(job.id);
      } finally {
        if (done === undefined) this.runningIds.delete(String(job.id));
        this.active--;
      }
    }
    if (done !== undefined) await this.remove(done);
  }

  /** Deletes a finished job on its own (the loop is stopping, so no claim will). */
  private async remove(id: string): Promise<void> {
    await this.db
      .query(`DELETE FROM jobs WHERE id = $1`, [id])
      .catch((err: unknown) => {
        // Done but not deleted: released again when the process starts again, then run again
        // (handlers are idempotent: a send claims its message first).
        this.uncertain = true;
        this.log.warn({ jobId: id, err: errorText(err) }, 'queue: a finished job could not be removed');
      })
      .finally(() => this.runningIds.delete(id));
  }

  /**
   * Wakes one sleeping loop. Each loop has its own waker: a single shared one was replaced by every
   * loop that went to sleep, so a job added while the last sleeper was already busy waited for a poll.
   */
  private wakeOne(): void {
    this.idle[0]?.();
  }

  /** Jobs this process claimed but is not running (their claim's answer was lost): runnable again. */
  private async releaseLostClaims(): Promise<void> {
    this.uncertain = false;
    await this.db.query(
      `UPDATE jobs SET status = 'waiting', locked_until = NULL, attempts = greatest(attempts - 1, 0)
       WHERE status = 'active' AND locked_by = $1 AND NOT (id::text = ANY($2::text[]))`,
      [this.token, [...this.runningIds]],
    );
  }

  /**
   * Makes active jobs whose lock expired waiting again (their process died, or their handler ran past
   * the lock), every {@link EXPIRED_CHECK_MS} at most: the claim itself reads only waiting jobs, the
   * first entry of their own index (migration 175), instead of every job's entry.
   */
  private async releaseExpired(): Promise<void> {
    this.nextExpiredCheck = Date.now() + Math.min(EXPIRED_CHECK_MS, this.lockMs);
    await this.db.query(`UPDATE jobs SET status = 'waiting', locked_until = NULL WHERE status = 'active' AND locked_until < now()`);
  }

  /** Claims the next runnable job, deleting `done` (the job this loop finished) in the same statement. */
  private async claim(done?: string): Promise<JobRow | undefined> {
    const names = [...this.handlers.keys()];
    if (names.length === 0) {
      if (done !== undefined) await this.db.query(`DELETE FROM jobs WHERE id = $1`, [done]);
      return undefined;
    }
    const rows = await this.db.query<JobRow>(
      `WITH done AS (DELETE FROM jobs WHERE id = $4::bigint)
       UPDATE jobs SET status = 'active', attempts = attempts + 1, locked_until = now() + ($2 || ' milliseconds')::interval, locked_by = $3
       WHERE id = (
         SELECT id FROM jobs
         WHERE status = 'waiting' AND run_at <= now() AND name = ANY($1)
           AND id IS DISTINCT FROM $4::bigint
         ORDER BY priority, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, name, data, attempts, max_attempts, key`,
      [names, String(this.lockMs), this.token, done ?? null],
    );
    return rows[0];
  }

  /** Runs a claimed job; true when it is done (to delete), false when its failure or retry is recorded. */
  private async run(job: JobRow): Promise<boolean> {
    const handler = this.handlers.get(job.name)!;
    this.runningIds.add(String(job.id));
    try {
      // Parsed inside the try: a malformed row fails as this job (recorded in last_error), not the loop.
      await handler(jobData.parse(job.data, job.id), { id: String(job.id), name: job.name, attempt: job.attempts });
      return true;
    } catch (err) {
      const retryLater = err instanceof RetryLater;
      const exhausted = !retryLater && job.attempts >= job.max_attempts;
      const delay = retryLater ? err.delayMs : backoffMs(job.attempts);
      // A job that asked to run again later (the broadcast schedule check every 30 s, the next batch)
      // did not fail: debug only. A thrown error is a failure.
      if (retryLater) this.log.debug({ job: job.name, jobId: job.id, inMs: delay, reason: err.message }, 'queue: job rescheduled');
      else if (exhausted) this.log.error({ job: job.name, jobId: job.id, attempt: job.attempts, err: errorText(err) }, 'queue: job failed for good');
      else this.log.warn({ job: job.name, jobId: job.id, attempt: job.attempts, err: errorText(err) }, 'queue: job failed');
      // The failure is often the database itself going away: keep trying to record it for a while,
      // or the job would stay locked (active) until its lock expires minutes later.
      for (let tries = 0; ; tries++) {
        try {
          await this.db.query(
            `UPDATE jobs SET status = $2, run_at = now() + ($3 || ' milliseconds')::interval, last_error = $4, locked_until = NULL,
             attempts = CASE WHEN $5 THEN attempts - 1 ELSE attempts END WHERE id = $1`,
            [job.id, exhausted ? 'failed' : 'waiting', String(delay), errorText(err), retryLater],
          );
          break;
        } catch (e) {
          if (tries >= 60 || !this.running) {
            this.uncertain = true;
            this.log.error({ err: String(e) }, 'queue: could not record a failure');
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      return false;
    }
  }

  private notifyIdle(): void {
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rows = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE (status = 'waiting' AND run_at <= now()) OR status = 'active'`);
      if (Number(oneRow(rows).n) === 0 && this.active === 0) return;
      this.wakeOne();
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('queue: drain timed out');
  }

  async counts(): Promise<QueueCounts> {
    const rows = await this.db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM jobs GROUP BY status`);
    const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { waiting: get('waiting'), active: get('active'), failed: get('failed') };
  }

  async close(): Promise<void> {
    this.running = false;
    for (const wake of [...this.idle]) wake();
    await Promise.all(this.loops);
    this.loops = [];
  }
}

/**
 * Erasure step (`Store.onErase`): deletes the stored jobs that name the person (`data.personId`), in
 * the erasure's transaction. This module owns the `jobs` table; the table exists whichever queue runs.
 */
export async function eraseJobsOf(q: Queryable, personId: string): Promise<void> {
  await q.query(`DELETE FROM jobs WHERE data->>'personId' = $1`, [personId]);
}

function errorText(err: unknown): string {
  return errorMessage(err);
}
