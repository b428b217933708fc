/**
 * The delivery engine. A broadcast is an audience and a message per language. Starting it writes one
 * delivery record per person (before anything is sent); a `broadcast` queue job (priority `bulk`)
 * then claims records in batches (`pending` → `sending`, one statement), sends each through the
 * channel adapter (whose token bucket paces it and lets live replies go first), and marks it `sent`
 * with the platform's message id. Each job run handles one batch and asks to run again, so a stopping
 * worker finishes at most one batch and a new one picks up the rest.
 *
 * Guarantees: a record is sent at most once (only the worker that claimed it sends it, and a record
 * left `sending` by a worker that died is marked `unknown`, never sent again); every `pending` record
 * is sent eventually (a 429 or network error puts it back as `pending`, the job re-runs until none is
 * left).
 */
import type { ChannelAdapter, SendResult } from '../channels/channel.js';
import type { Clock } from '../clock.js';
import { render } from '../core/render.js';
import { finishLabel } from '../i18n/bidi.js';
import type { ChannelName, OutboundMessage } from '../core/types.js';
import type { Translator } from '../i18n/i18n.js';
import { getLanguage } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { RetryLater, type JobQueue } from '../queue/queue.js';
import type { Broadcast, BroadcastMessages, BroadcastStore, ClaimedDelivery } from '../storage/broadcast-store.js';

export const BROADCAST_JOB = 'broadcast';
export const BROADCAST_TICK_JOB = 'broadcast-tick';

/** Work that turns into delivery records when its time comes (reminders); checked with the schedule. */
export interface DueSource {
  /** Writes the records due by `now`; returns the broadcasts that got new records. */
  materialize(now: Date): Promise<number[]>;
}

export interface EngineOptions {
  /**
   * Channels broadcasts go out on, in order of preference for a person with several (the registered
   * channel modules that broadcast). Reminders go where the person asked for them: also the web chat.
   */
  broadcastChannels: readonly ChannelName[];
  /** Records claimed per job run (default 100). */
  batchSize?: number;
  /** Sends in flight at once within a batch (default 32; the adapters' token buckets do the pacing). */
  concurrency?: number;
  /** WhatsApp people reached outside the 24-hour window per 24 hours (the messaging-limit tier). */
  whatsappMessagingLimit: number;
  /** Records left `sending` this long are from a worker that died (default 5 minutes; 0 on the embedded database). */
  staleAfterMs?: number;
}

export interface EngineDeps {
  store: BroadcastStore;
  queue: JobQueue;
  channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  translator: Translator;
  clock: Clock;
  log: Logger;
  markUnreachable(personId: string, reason: string): Promise<void>;
  options: EngineOptions;
}

/** The text of a broadcast in a language, following the language's fallback chain. */
export function pickText(messages: BroadcastMessages['text'], lang: string): { lang: string; text: string } | undefined {
  const chain = [lang, ...(getLanguage(lang)?.fallback ?? ['en', 'it'])];
  for (const l of chain) if (messages[l]) return { lang: l, text: messages[l] };
  const first = Object.entries(messages).find(([, v]) => v);
  return first ? { lang: first[0], text: first[1] } : undefined;
}

export class BroadcastEngine {
  private readonly sources: DueSource[] = [];
  private readonly inFlight: InFlightMarks;
  /** Broadcast sends start no earlier than this (ms since the epoch; see {@link resume}). */
  private sendFrom = 0;

  constructor(private readonly deps: EngineDeps) {
    this.inFlight = new InFlightMarks((ids) => deps.store.markInFlight(ids, deps.clock.now()));
  }

  /** Adds work checked with the schedule (every 30 s, and whenever `deliverDue` is called). */
  addSource(source: DueSource): void {
    this.sources.push(source);
  }

  /** Writes the records of every source that are due now and queues their sending. */
  async deliverDue(): Promise<number[]> {
    const ids = new Set<number>();
    for (const src of this.sources) for (const id of await src.materialize(this.deps.clock.now())) ids.add(id);
    for (const id of ids) await this.enqueue(id);
    return [...ids];
  }

  /** Registers the jobs. Call before the queue starts. */
  register(): void {
    this.deps.queue.handle(BROADCAST_JOB, async (data) => this.runBatch(Number(data.id)));
    this.deps.queue.handle(BROADCAST_TICK_JOB, async () => this.tick());
  }

  /** On start: records a dead worker left `sending` become `unknown`; running broadcasts continue; scheduled ones are checked. */
  async resume(): Promise<number[]> {
    // The channels' rate limits count this process's sends only: a second's pause keeps the sends of
    // a run that just stopped and this one's out of the same one-second window.
    this.sendFrom = Date.now() + 1000;
    const { store, clock, log } = this.deps;
    const stale = this.deps.options.staleAfterMs ?? 5 * 60_000;
    const abandoned = await store.abandonInterrupted(new Date(clock.now().getTime() - stale + 1));
    if (abandoned.requeued > 0) log.info({ requeued: abandoned.requeued }, 'broadcast: records claimed by a stopped run but never sent go back to the queue');
    if (abandoned.unknown > 0) log.warn({ unknown: abandoned.unknown }, 'broadcast: records in flight when a run stopped are marked unknown (not sent again)');
    const ids = await store.sendingBroadcasts();
    for (const id of ids) await this.enqueue(id);
    await this.deps.queue.add(BROADCAST_TICK_JOB, {}, { priority: 'bulk', key: 'broadcast-tick' });
    return ids;
  }

  /** Starts (or resumes) sending a broadcast now. Returns the number of delivery records written. */
  async start(id: number): Promise<number | undefined> {
    const n = await this.deps.store.startBroadcast(id, this.availableChannels(), this.deps.clock.now());
    if (n === undefined) return undefined;
    await this.enqueue(id);
    return n;
  }

  /** The channels broadcasts can use here (configured ones). */
  availableChannels(): ChannelName[] {
    return this.deps.options.broadcastChannels.filter((c) => this.deps.channels.has(c));
  }

  /** The channels a broadcast's records may be on: reminders may also go to the web chat. */
  channelsFor(b: Pick<Broadcast, 'kind'>): ChannelName[] {
    const { broadcastChannels } = this.deps.options;
    return (b.kind === 'reminder' ? [...broadcastChannels, 'web' as const] : broadcastChannels).filter((c) => this.deps.channels.has(c));
  }

  /** Starts scheduled broadcasts whose time has come; runs again every 30 s. */
  async tick(): Promise<void> {
    for (const id of await this.deps.store.dueBroadcasts(this.deps.clock.now())) await this.start(id);
    try {
      await this.deliverDue();
    } catch (err) {
      // The schedule check must keep running: due reminders are tried again in 30 s.
      this.deps.log.warn({ err: errorMessage(err) }, 'broadcast: due reminders could not be written; trying again');
    }
    throw new RetryLater(30_000, 'broadcast: next schedule check');
  }

  private async enqueue(id: number): Promise<void> {
    await this.deps.queue.add(BROADCAST_JOB, { id }, { priority: 'bulk', key: `broadcast:${id}` });
  }

  /** One job run: one batch. Throws RetryLater to run again while records are left. */
  async runBatch(id: number): Promise<void> {
    const { store, clock } = this.deps;
    const hold = this.sendFrom - Date.now();
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    const b = await store.getBroadcast(id);
    if (!b || b.status !== 'sending') return;
    // Each channel has its own rate limit: their batches go out side by side.
    const batches = await Promise.all(this.channelsFor(b).map((c) => store.claim(id, c, this.deps.options.batchSize ?? 100, clock.now())));
    // Results are written in small groups: a database round trip per message would cap the rate.
    const done: { id: number; externalId: string | undefined; outsideWindow: boolean }[] = [];
    const flush = async () => {
      const items = done.splice(0, done.length);
      await store.markSentMany(items, clock.now());
    };
    await Promise.all(
      batches.map((batch) =>
        this.pool(batch, async (r) => {
          const sent = await this.sendOne(b, r);
          if (sent) done.push(sent);
          if (done.length >= 20) await flush();
        }),
      ),
    );
    await flush();
    const claimed = batches.reduce((n, x) => n + x.length, 0);
    const info = await store.pendingInfo(id);
    if (info.pending === 0 && info.sending === 0) {
      await store.finish(id, clock.now());
      this.deps.log.info({ broadcast: id }, 'broadcast: done');
      return;
    }
    if (claimed > 0) throw new RetryLater(0, 'broadcast: next batch');
    // Nothing claimable now: another worker holds the rest, or every record waits (tier, 429).
    const wait = info.nextAt ? Math.max(50, info.nextAt.getTime() - clock.now().getTime()) : 1000;
    throw new RetryLater(Math.min(wait, 60_000), 'broadcast: waiting');
  }

  private async pool<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await fn(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(items.length, this.deps.options.concurrency ?? 32) }, worker));
  }

  /** The message a person gets: the text in their language (or the nearest), and an unsubscribe button. */
  message(b: Broadcast, lang: string): OutboundMessage {
    const t = this.deps.translator.for(lang);
    const picked = pickText(b.messages.text, lang);
    const text = picked && picked.lang !== lang ? `${picked.text}\n\n${t('broadcast:otherLanguage')}` : (picked?.text ?? '');
    // A reminder offers the event's details (it is not a subscription: asked for once, sent once).
    if (b.kind === 'reminder' && b.eventId) return { text, choices: [{ id: `know:e:${b.eventId}`, label: t('knowledge:buttons.details') }] };
    // `cmd:stop` (the global command) works even though the pipeline never offered this button.
    return { text, choices: [{ id: 'cmd:stop', label: t('broadcast:stopButton') }] };
  }

  /** The WhatsApp template's parameters: the title (or the first line of the text). */
  templateParams(b: Broadcast, lang: string): string[] {
    const title = b.messages.title ? pickText(b.messages.title, lang)?.text : undefined;
    const first = ((title ?? pickText(b.messages.text, lang)?.text ?? '').split('\n')[0] ?? '').slice(0, 60);
    return [first];
  }

  /** Sends one record. Returns what to mark sent; failures and retries are written here. */
  private async sendOne(b: Broadcast, r: ClaimedDelivery): Promise<{ id: number; externalId: string | undefined; outsideWindow: boolean } | undefined> {
    const { store, clock, log } = this.deps;
    const adapter = this.deps.channels.get(r.channel);
    if (!adapter || !r.address) {
      await store.markFailed(r.id, !adapter ? `channel ${r.channel} is not configured` : 'no address', clock.now());
      return;
    }
    const ctx = { personId: r.personId, messageId: r.id, lang: r.lang, author: `broadcast:${b.id}`, lastInboundAt: r.lastInboundAt, beforeSend: () => this.inFlight.mark(r.id) };
    let outside = false;
    let result: SendResult;
    try {
      if (adapter.window && !adapter.window.inWindow(r.lastInboundAt)) {
        outside = true;
        if (!(await store.reserveOutsideWindow(r.id, this.deps.options.whatsappMessagingLimit, clock.now()))) {
          // The tier is full: this record waits until the oldest send of the last 24 hours ages out.
          await store.release(r.id, 'whatsapp: messaging limit reached, paused', await store.tierFreesAt(clock.now()));
          return;
        }
        result = await adapter.window.sendTemplate(
          r.address,
          r.lang,
          this.templateParams(b, r.lang).map((p) => finishLabel(p, r.lang)),
          ctx,
        );
      } else {
        result = { ok: false, retryable: false, error: 'empty message' };
        for (const part of render(this.message(b, r.lang), adapter.capabilities, r.lang)) {
          result = await adapter.send(r.address, part, ctx);
          if (!result.ok) break;
        }
      }
    } catch (err) {
      result = { ok: false, retryable: true, error: err instanceof Error ? err.message.slice(0, 160) : 'unknown error' };
    }
    if (result.ok) return { id: r.id, externalId: result.externalId, outsideWindow: outside };
    if (result.retryable) {
      const wait = result.retryAfterMs ?? Math.min(30_000, 500 * 2 ** Math.min(6, r.attempts));
      await store.release(r.id, result.error, new Date(clock.now().getTime() + wait));
      return;
    }
    // Blocked on Telegram, or a WhatsApp number that cannot receive: excluded from later broadcasts.
    if (result.unreachable || (r.channel === 'whatsapp' && !result.outsideWindow)) await this.deps.markUnreachable(r.personId, result.error);
    await store.markFailed(r.id, result.error, clock.now());
    log.warn({ broadcast: b.id, channel: r.channel, error: result.error }, 'broadcast: send failed');
    return undefined;
  }
}

/**
 * Group commit of "in flight" marks: each send waits for its record's mark to be stored before its
 * request leaves. Marks asked for while a write is running go together in the next one, so a steady
 * stream of sends costs one UPDATE per database round trip, not one per send. A record is marked
 * once (the first request of a message); later parts of the same message reuse the mark.
 */
class InFlightMarks {
  private queued: { id: number; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writing = false;
  private readonly done = new Set<number>();

  constructor(private readonly write: (ids: number[]) => Promise<void>) {}

  mark(id: number): Promise<void> {
    if (this.done.has(id)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ id, resolve, reject });
      this.next();
    });
  }

  /** Starts a write of everything queued, unless one is running (its end starts the next). */
  private next(): void {
    if (this.writing || this.queued.length === 0) return;
    this.writing = true;
    // One turn of the event loop first: sends whose tokens came together share the write.
    setImmediate(() => {
      const batch = this.queued;
      this.queued = [];
      this.write(batch.map((b) => b.id))
        .then(
          () => {
            for (const b of batch) this.done.add(b.id);
            // Forget old ids: the set only guards the parts of messages being sent now.
            if (this.done.size > 10_000) this.done.clear();
            for (const b of batch) b.resolve();
          },
          (err: unknown) => {
            for (const b of batch) b.reject(err);
          },
        )
        .finally(() => {
          this.writing = false;
          this.next();
        });
    });
  }
}
