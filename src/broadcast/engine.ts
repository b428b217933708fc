/**
 * The delivery engine. A broadcast is an audience and a message per language. Starting it writes one
 * delivery record per person (before anything is sent); a `broadcast` queue job (priority `bulk`)
 * then claims records in batches (`pending` → `sending`, one statement), sends each through the
 * channel adapter (whose exact sliding window paces it and lets live replies go first), and marks it
 * `sent` with the platform's message id. A job run claims the next batch while the last one is still
 * going out, for up to 30 s, then asks to run again; a stopping worker ({@link BroadcastEngine.stop})
 * claims nothing more and finishes what it holds (at most a batch and a half), and a new one picks up
 * the rest.
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
import { GroupCommit } from '../storage/group-commit.js';

export const BROADCAST_JOB = 'broadcast';
export const BROADCAST_TICK_JOB = 'broadcast-tick';

/**
 * A job run claims no new batch after this long (it then finishes what it holds and runs again). Each
 * new run starts with the channel idle (the last answers, the marks, the job requeued and claimed,
 * the broadcast read, the first claim: on the embedded database each waits its turn behind the live
 * replies' statements), so runs are long: at 500/s a 10 s limit put such a gap in every 5,000.
 */
const RUN_MS = 30_000;
/** Sent records are marked `sent` this many at a time (and at the end of a run). */
const FLUSH_EVERY = 50;

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
  /** Records claimed at a time (default 100; the next batch is claimed when half of the last is left). */
  batchSize?: number;
  /** Sends under way at once per channel (default 32; the adapters' rate limiters do the pacing). */
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
  /** Set by {@link stop}: job runs claim nothing more. */
  private stopping = false;

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
    const startedAt = Date.now();
    const { store, clock, log } = this.deps;
    const stale = this.deps.options.staleAfterMs ?? 5 * 60_000;
    const abandoned = await store.abandonInterrupted(new Date(clock.now().getTime() - stale + 1));
    if (abandoned.requeued > 0) log.info({ requeued: abandoned.requeued }, 'broadcast: records claimed by a stopped run but never sent go back to the queue');
    if (abandoned.unknown > 0) log.warn({ unknown: abandoned.unknown }, 'broadcast: records in flight when a run stopped are marked unknown (not sent again)');
    const ids = await store.sendingBroadcasts();
    // The channels' rate limits count this process's sends only. A run that stopped while sending a
    // broadcast may have sent a full second's worth just now: a second's pause keeps its sends and
    // this one's out of the same one-second window. With no broadcast left sending there is nothing
    // to wait for (a stopped run's last replies are not counted: see docs/reference/performance.md).
    if (ids.length > 0 || abandoned.requeued + abandoned.unknown > 0) this.sendFrom = startedAt + 1000;
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

  /**
   * One job run: sends what it claims, batch after batch, and claims the next batch while the last
   * one is still going out (a gap between batches would leave places of the rate unused). It stops
   * claiming when {@link stop} is called, after {@link RUN_MS}, or when nothing is left to claim, and
   * returns once every claimed record is settled. Throws RetryLater to run again while records are left.
   */
  async runBatch(id: number): Promise<void> {
    const { store, clock } = this.deps;
    const hold = this.sendFrom - Date.now();
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    const b = await store.getBroadcast(id);
    if (!b || b.status !== 'sending') return;
    // Results are written in groups: a database round trip per message would cap the rate.
    const done: { id: number; externalId: string | undefined; outsideWindow: boolean }[] = [];
    const flush = async () => {
      const items = done.splice(0, done.length);
      await store.markSentMany(items, clock.now());
    };
    const until = Date.now() + RUN_MS;
    // Each channel has its own rate limit: their records go out side by side.
    const claimed = await Promise.all(
      this.channelsFor(b).map((c) =>
        this.feed(id, c, until, async (r) => {
          const sent = await this.sendOne(b, r);
          if (sent) done.push(sent);
          if (done.length >= FLUSH_EVERY) await flush();
        }),
      ),
    );
    await flush();
    const info = await store.pendingInfo(id);
    if (info.pending === 0 && info.sending === 0) {
      await store.finish(id, clock.now());
      this.deps.log.info({ broadcast: id }, 'broadcast: done');
      return;
    }
    if (claimed.some((n) => n > 0)) throw new RetryLater(0, 'broadcast: next batch');
    // Nothing claimable now: another worker holds the rest, or every record waits (tier, 429).
    const wait = info.nextAt ? Math.max(50, info.nextAt.getTime() - clock.now().getTime()) : 1000;
    throw new RetryLater(Math.min(wait, 60_000), 'broadcast: waiting');
  }

  /** Asks running job runs to claim nothing more (the process is stopping): they finish what they hold. */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Sends a broadcast's records on one channel, `concurrency` at a time, claiming `batchSize` at a
   * time: the next batch is claimed when half of the last one is left, so the senders never run dry
   * while the database answers. Returns how many records it claimed.
   */
  private async feed(id: number, channel: ChannelName, until: number, send: (r: ClaimedDelivery) => Promise<void>): Promise<number> {
    const { store, clock, log } = this.deps;
    const size = this.deps.options.batchSize ?? 100;
    const queue = await store.claim(id, channel, size, clock.now());
    let claimed = queue.length;
    let more = claimed === size;
    let claiming: Promise<void> | undefined;
    const refill = () => {
      if (claiming || !more || this.stopping || Date.now() >= until || queue.length > size / 2) return;
      claiming = store
        .claim(id, channel, size, clock.now())
        .then(
          (rows) => {
            queue.push(...rows);
            claimed += rows.length;
            more = rows.length === size;
          },
          (err: unknown) => {
            // The records already claimed still go out; the next run claims the rest.
            more = false;
            log.warn({ broadcast: id, err: errorMessage(err) }, 'broadcast: could not claim the next batch');
          },
        )
        .finally(() => {
          claiming = undefined;
        });
    };
    const worker = async () => {
      for (;;) {
        refill();
        const r = queue.shift();
        if (r) await send(r);
        else if (claiming) await claiming;
        else return;
      }
    };
    await Promise.all(Array.from({ length: this.deps.options.concurrency ?? 32 }, worker));
    return claimed;
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
 * Group commit of "in flight" marks ({@link GroupCommit}): each send waits for its record's mark to
 * be stored before its request leaves. A record is marked once (the first request of a message);
 * later parts of the same message reuse the mark.
 */
class InFlightMarks {
  private readonly writes: GroupCommit<number>;
  private readonly done = new Set<number>();

  constructor(write: (ids: number[]) => Promise<void>) {
    this.writes = new GroupCommit(write);
  }

  async mark(id: number): Promise<void> {
    if (this.done.has(id)) return;
    await this.writes.add(id);
    this.done.add(id);
    // Forget old ids: the set only guards the parts of messages being sent now.
    if (this.done.size > 10_000) this.done.clear();
  }
}
