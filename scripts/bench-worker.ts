/**
 * One bot process of `BENCH_PROCESSES=N npm run bench -- pipeline` (scripts/bench.ts): a full app
 * (`createApp`) on the PostgreSQL database and Redis the parent names, receiving the messages the
 * parent sends over IPC and telling it when each one's turn is done (its replies sent).
 *
 * Environment: BENCH_WORKER_DB (a postgres:// URL), BENCH_WORKER_REDIS, BENCH_WORKER_QUEUE (the
 * BullMQ queue all the processes share).
 */
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import type { InboundMessage } from '../src/core/types.js';

/** What the parent sends. */
export type ToWorker = { type: 'message'; seq: number; inbound: Omit<InboundMessage, 'receivedAt'> } | { type: 'cpu' } | { type: 'drain' } | { type: 'close' };
/** What a worker answers. */
export type FromWorker = { type: 'ready' } | { type: 'done'; seq: number; replies: number; error?: string } | { type: 'cpu'; ms: number } | { type: 'drained' } | { type: 'closed' };

const send = (m: FromWorker) => process.send?.(m);

const url = process.env.BENCH_WORKER_DB;
if (!url || !process.send) throw new Error('bench-worker runs as a child of scripts/bench.ts (BENCH_PROCESSES)');
const config = parseConfig({ LOG_LEVEL: 'silent', ...(process.env.BENCH_WORKER_REDIS ? { REDIS_URL: process.env.BENCH_WORKER_REDIS } : {}) });
const app = await createApp({ config, db: { kind: 'postgres', url }, queueName: process.env.BENCH_WORKER_QUEUE ?? 'bench-processes' });
await app.start(4);

process.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'message':
      app.bot
        .receive({ ...m.inbound, receivedAt: new Date() })
        .then((r) => r.done)
        .then(
          (result) => send({ type: 'done', seq: m.seq, replies: result.replies.length }),
          (err: unknown) => send({ type: 'done', seq: m.seq, replies: 0, error: String(err) }),
        );
      break;
    case 'cpu': {
      const u = process.cpuUsage();
      send({ type: 'cpu', ms: (u.user + u.system) / 1000 });
      break;
    }
    case 'drain':
      void app.queue
        .drain(120_000)
        .catch(() => undefined)
        .then(() => send({ type: 'drained' }));
      break;
    case 'close':
      void app.close().finally(() => {
        send({ type: 'closed' });
        process.exit(0);
      });
      break;
  }
});
send({ type: 'ready' });
