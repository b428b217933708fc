/**
 * Prometheus metrics (prom-client) for the people who keep the server alive: messages in and out per
 * channel, reply latency, queue depth, send errors by platform code, handoffs waiting and their age,
 * broadcast progress. Counters move where the work happens (the core's {@link CoreObserver}, every
 * channel's `send`); the queue, handoff and broadcast figures are read from the database at scrape
 * time, so they are right whichever process did the work.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChannelAdapter, SendResult } from '../channels/channel.js';
import type { Clock } from '../clock.js';
import type { CoreObserver } from '../core/observer.js';
import type { ChannelName } from '../core/types.js';
import type { JobQueue } from '../queue/queue.js';
import { lastBackupAt } from '../storage/backup.js';
import type { OpsStore } from '../storage/ops-store.js';
import { VERSION } from '../version.js';

/** Reply latency buckets (seconds): a chat answer is expected within a second or two. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];
/** Inbound messages remembered for the latency figure; older ones are forgotten (no unbounded growth). */
const MAX_PENDING = 5000;

/** Who wrote an outbound message, as a bounded label: `bot`, `facilitator`, `broadcast`, `other`. */
export function sourceOf(author: string | undefined): string {
  const kind = (author ?? 'bot').split(':')[0] ?? 'bot';
  return ['bot', 'facilitator', 'broadcast'].includes(kind) ? kind : 'other';
}

/**
 * The platform code of a failed send, as a bounded label: the HTTP or Graph error code
 * (`429`, `131047`), or `network`, `outside_window`, `other`.
 */
export function errorCodeOf(result: Extract<SendResult, { ok: false }>): string {
  const code = /^\w+ (\d{1,7}):/.exec(result.error)?.[1];
  if (code) return code;
  if (result.outsideWindow) return 'outside_window';
  if (/network/.test(result.error)) return 'network';
  return 'other';
}

export interface MetricsDeps {
  queue: JobQueue;
  ops: OpsStore;
  clock: Clock;
  /** BACKUP_DIR, when scheduled backups are on: the newest backup's time is shown. */
  backupDir?: string;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly received: Counter<'channel'>;
  private readonly sentTotal: Counter<'channel' | 'source'>;
  private readonly sendErrors: Counter<'channel' | 'code'>;
  private readonly latency: Histogram<'channel'>;
  private readonly queueJobs: Gauge<'state'>;
  private readonly handoffsWaiting: Gauge<'priority'>;
  private readonly handoffOldest: Gauge<'priority'>;
  private readonly handoffsClaimed: Gauge;
  private readonly broadcasts: Gauge<'status'>;
  private readonly broadcastDeliveries: Gauge<'broadcast' | 'kind' | 'status'>;
  private readonly databaseUp: Gauge;
  private readonly lastBackup: Gauge | undefined;
  /** Inbound message id → when it arrived (performance.now()), until its first reply is sent. */
  private readonly pending = new Map<number, number>();

  constructor(private readonly deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: 'coworkbot_build_info', help: 'The running version (always 1).', labelNames: ['version'], registers }).set({ version: VERSION }, 1);
    this.received = new Counter({ name: 'coworkbot_messages_received_total', help: 'Messages people sent, stored (duplicates not counted).', labelNames: ['channel'], registers });
    this.sentTotal = new Counter({
      name: 'coworkbot_messages_sent_total',
      help: 'Messages the platform accepted, by channel and source (bot, facilitator, broadcast, other).',
      labelNames: ['channel', 'source'],
      registers,
    });
    this.sendErrors = new Counter({
      name: 'coworkbot_send_errors_total',
      help: 'Failed send attempts by channel and platform code (429, 131047, network, outside_window, other). Retried attempts count each time.',
      labelNames: ['channel', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'coworkbot_reply_latency_seconds',
      help: "From a person's message arriving to the bot's first reply accepted by the platform (this process).",
      labelNames: ['channel'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.queueJobs = new Gauge({ name: 'coworkbot_queue_jobs', help: 'Jobs in the queue by state (waiting, active, failed after every attempt).', labelNames: ['state'], registers });
    this.handoffsWaiting = new Gauge({ name: 'coworkbot_handoffs_waiting', help: 'Handoff cases waiting for a facilitator, by priority (normal, high, safety).', labelNames: ['priority'], registers });
    this.handoffOldest = new Gauge({
      name: 'coworkbot_handoff_oldest_wait_seconds',
      help: 'How long the longest-waiting unclaimed case of each priority has waited (0 when none waits).',
      labelNames: ['priority'],
      registers,
    });
    this.handoffsClaimed = new Gauge({ name: 'coworkbot_handoffs_claimed', help: 'Handoff cases a facilitator has claimed and not closed.', registers });
    this.broadcasts = new Gauge({ name: 'coworkbot_broadcasts', help: 'Broadcasts with work ahead, by status (scheduled, sending).', labelNames: ['status'], registers });
    this.broadcastDeliveries = new Gauge({
      name: 'coworkbot_broadcast_deliveries',
      help: 'Delivery records of each broadcast being sent, by status (pending, sending, sent, delivered, read, failed, skipped, unknown).',
      labelNames: ['broadcast', 'kind', 'status'],
      registers,
    });
    this.databaseUp = new Gauge({ name: 'coworkbot_database_up', help: 'Whether the figures read at this scrape could be read (1) or not (0).', registers });
    this.lastBackup = deps.backupDir
      ? new Gauge({ name: 'coworkbot_last_backup_timestamp_seconds', help: 'When the newest scheduled backup in BACKUP_DIR was written (Unix time; 0: none yet).', registers })
      : undefined;
  }

  /** The core's hooks: messages received, and the first reply sent for the latency figure. */
  readonly core: CoreObserver = {
    received: (channel: ChannelName, messageId: number) => {
      this.received.inc({ channel });
      this.pending.set(messageId, performance.now());
      if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    },
    sent: (channel: ChannelName, inReplyTo: number | null) => {
      if (inReplyTo === null) return;
      const start = this.pending.get(inReplyTo);
      if (start === undefined) return;
      this.pending.delete(inReplyTo);
      this.latency.observe({ channel }, (performance.now() - start) / 1000);
    },
  };

  /** Counts every send of a channel (replies, facilitators, broadcasts, reminders) by its outcome. */
  instrument(adapter: ChannelAdapter): void {
    const send = adapter.send.bind(adapter);
    const channel = adapter.name;
    adapter.send = async (address, msg, ctx) => {
      let result: SendResult;
      try {
        result = await send(address, msg, ctx);
      } catch (err) {
        this.sendErrors.inc({ channel, code: 'exception' });
        throw err;
      }
      if (result.ok) this.sentTotal.inc({ channel, source: sourceOf(ctx.author) });
      else this.sendErrors.inc({ channel, code: errorCodeOf(result) });
      return result;
    };
  }

  /** Reads the queue, handoff and broadcast figures, then renders everything in the text format. */
  async render(): Promise<{ contentType: string; body: string }> {
    try {
      await this.refresh();
      this.databaseUp.set(1);
    } catch {
      this.databaseUp.set(0);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async refresh(): Promise<void> {
    const { queue, ops, clock, backupDir } = this.deps;
    if (backupDir && this.lastBackup) this.lastBackup.set((lastBackupAt(backupDir)?.getTime() ?? 0) / 1000);
    const counts = await queue.counts();
    for (const state of ['waiting', 'active', 'failed'] as const) this.queueJobs.set({ state }, counts[state]);
    const now = clock.now().getTime();
    for (const w of await ops.waitingHandoffs()) {
      this.handoffsWaiting.set({ priority: w.priority }, w.waiting);
      this.handoffOldest.set({ priority: w.priority }, w.oldest ? Math.max(0, (now - w.oldest.getTime()) / 1000) : 0);
    }
    this.handoffsClaimed.set(await ops.claimedHandoffs());
    const ahead = await ops.broadcastsAhead();
    for (const status of ['scheduled', 'sending'] as const) this.broadcasts.set({ status }, ahead[status]);
    // Only broadcasts in progress are listed: a finished one's series ends instead of lingering.
    this.broadcastDeliveries.reset();
    for (const b of await ops.broadcastProgress()) {
      for (const [status, n] of Object.entries(b.counts)) this.broadcastDeliveries.set({ broadcast: String(b.id), kind: b.kind, status }, n);
    }
  }
}
