/**
 * The production queue: BullMQ on Redis (`REDIS_URL`). Same contract as the embedded queue.
 * `enableOfflineQueue: false` on the producer makes `add` fail fast when Redis is down, so callers
 * can answer 5xx (platforms retry) instead of hanging.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { backoffMs, priorityValue, RetryLater, type JobHandler, type JobOptions, type JobQueue, type QueueCounts } from './queue.js';

export class BullQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue;
  private readonly producer: Redis;
  private worker: Worker | undefined;
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly redisUrl: string,
    private readonly name = 'coworkbot',
    private readonly log: Logger = silentLogger,
  ) {
    this.producer = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.producer.on('error', (err) => this.log.warn({ err: err.message }, 'redis: producer connection error'));
    this.queue = new Queue(name, { connection: this.producer });
  }

  async add(name: string, data: Record<string, unknown>, opts: JobOptions = {}): Promise<void> {
    await this.queue.add(name, data, jobOptions(opts));
  }

  /** Several jobs in one round trip to Redis (a turn's replies). */
  async addMany(jobs: { name: string; data: Record<string, unknown>; opts?: JobOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map(({ name, data, opts = {} }) => ({ name, data, opts: jobOptions(opts) })));
  }

  async reschedule(key: string, runAt: Date): Promise<boolean> {
    const id = key.replaceAll(':', '_');
    const job = await this.queue.getJob(id);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return false;
    // Removed and added again under the same id with the new delay (works for waiting and delayed jobs).
    await job.remove();
    await this.queue.add(job.name, job.data, { ...job.opts, jobId: id, delay: Math.max(0, runAt.getTime() - Date.now()) });
    return true;
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  async start(concurrency = 4): Promise<void> {
    if (this.worker) return;
    const connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (err) => this.log.warn({ err: err.message }, 'redis: worker connection error'));
    this.worker = new Worker(
      this.name,
      async (job: Job, token?: string) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`no handler for job ${job.name}`);
        try {
          await handler(job.data as Record<string, unknown>, { id: String(job.id), name: job.name, attempt: job.attemptsMade + 1 });
        } catch (err) {
          if (err instanceof RetryLater && token) {
            await job.moveToDelayed(Date.now() + err.delayMs, token);
            throw new DelayedError();
          }
          throw err;
        }
      },
      {
        connection,
        concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => backoffMs(attemptsMade) },
      },
    );
    this.worker.on('failed', (job, err) => this.log.warn({ job: job?.name, err: err.message }, 'queue: job failed'));
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'queue: worker error'));
    await this.worker.waitUntilReady();
  }

  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const c = await this.queue.getJobCounts('waiting', 'active', 'prioritized');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('queue: drain timed out');
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0),
      active: c.active ?? 0,
      failed: c.failed ?? 0,
    };
  }

  /** Removes every job of this queue (tests only). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.producer.disconnect();
  }
}

/** BullMQ's options for a job of the contract. */
function jobOptions(opts: JobOptions) {
  return {
    priority: priorityValue[opts.priority ?? 'reply'],
    jobId: opts.key?.replaceAll(':', '_'), // BullMQ ids may not contain ':'
    delay: opts.runAt ? Math.max(0, opts.runAt.getTime() - Date.now()) : undefined,
    attempts: opts.attempts ?? 8,
    backoff: { type: 'custom' },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}
