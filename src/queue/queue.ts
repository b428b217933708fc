/**
 * The queue port: outbound sends and background jobs. Two implementations pass the same contract
 * tests (`test/queue.contract.test.ts`): {@link DbQueue} (embedded default, jobs stored in the
 * database so a restart loses nothing) and {@link BullQueue} (BullMQ on Redis, `REDIS_URL`).
 */

/** Replies to people go before bulk work (broadcasts, reminders). */
export type JobPriority = 'reply' | 'bulk';

export interface JobOptions {
  priority?: JobPriority;
  /** A job with the same key that is still waiting or active is not added again. */
  key?: string;
  /** Do not run before this time. */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 8). */
  attempts?: number;
}

export interface JobInfo {
  id: string;
  name: string;
  attempt: number;
}

/** Throw from a handler to run the job again later without counting it as a failure of the code. */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason = 'retry later',
  ) {
    super(reason);
  }
}

export type JobHandler = (data: Record<string, unknown>, job: JobInfo) => Promise<void>;

export interface QueueCounts {
  waiting: number;
  active: number;
  failed: number;
}

export interface JobQueue {
  readonly kind: 'db' | 'bullmq';
  add(name: string, data: Record<string, unknown>, opts?: JobOptions): Promise<void>;
  /** Adds several jobs in one round trip where the queue can (same meaning as {@link add} for each). */
  addMany?(jobs: { name: string; data: Record<string, unknown>; opts?: JobOptions }[]): Promise<void>;
  /**
   * Moves a job that is still waiting (added with `key`) to run at `runAt` instead. Returns false
   * when no such job is waiting (already run, running, or never added). Used when an event moves.
   */
  reschedule(key: string, runAt: Date): Promise<boolean>;
  /** Registers the handler for a job name. Call before {@link start}. */
  handle(name: string, handler: JobHandler): void;
  /** Starts the workers. `concurrency` jobs run at once. */
  start(concurrency?: number): Promise<void>;
  /** Resolves once no job is waiting (runnable now) or active. For tests and `simulate`. */
  drain(timeoutMs?: number): Promise<void>;
  counts(): Promise<QueueCounts>;
  /** Stops taking jobs, lets running ones finish, releases connections. */
  close(): Promise<void>;
}

/** Exponential backoff with jitter for attempt n (1-based), capped at 5 minutes. */
export function backoffMs(attempt: number): number {
  const base = Math.min(300_000, 500 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export const priorityValue: Record<JobPriority, number> = { reply: 1, bulk: 10 };
