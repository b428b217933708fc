/**
 * Everything the bot or a person on staff says goes through here: rendered for the channel, stored
 * (status `queued`), then sent by a queue job. The stored row is the idempotency key: a send job
 * claims it first, so a retried or duplicated job never sends the same message twice, and a process
 * killed between enqueue and send finds the job (and the row) again on restart.
 */
import type { ChannelAdapter } from '../channels/channel.js';
import { capabilitiesFor } from '../channels/channel.js';
import type { Translate, Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import type { JobPriority, JobQueue } from '../queue/queue.js';
import { RetryLater } from '../queue/queue.js';
import type { Queryable } from '../storage/db.js';
import type { HeldLease, Person, Store, StoredMessage } from '../storage/store.js';
import type { CoreObserver } from './observer.js';
import { render } from './render.js';
import type { ChannelName, OutboundMessage } from './types.js';

export interface EnqueueOptions {
  /** `bot`, `facilitator:<user id>`, `broadcast:<id>`. */
  author?: string;
  inReplyTo?: number | null;
  priority?: JobPriority;
  at: Date;
  /**
   * The reader's language, for the finishing step of rendering (digits, right-to-left isolates). When
   * absent, the person's stored language is used.
   */
  lang?: string;
}

/**
 * What to say to a person outside a turn, built in their language: `t` translates into `lang`.
 * May be async (e.g. to read stored translations of a title).
 */
export type TellBuild = (t: Translate, lang: string) => OutboundMessage[] | Promise<OutboundMessage[]>;

/** How the outbox speaks to people outside a turn: the translations and the configured default language. */
export interface OutboxLanguage {
  translator: Translator;
  /** The language for a person who has none yet (config `content.defaultLanguage`). */
  defaultLanguage: string;
}

export const SEND_JOB = 'send';

/** What a send needs of the person: where the reader's language and a blocked bot are read. */
export type SendPerson = Pick<Person, 'id' | 'language' | 'unreachable'>;

/** What a send needs of a claimed message. */
type ClaimedMessage = Pick<StoredMessage, 'id' | 'channel' | 'body' | 'author' | 'inReplyTo' | 'partsSent'>;

/** A claim older than this belongs to a send a fault interrupted (a send request times out far sooner). */
export const STALE_CLAIM_MS = 120_000;

export class Outbox {
  /** Messages this process is sending right now (the sweep leaves their claims alone). */
  private readonly sending = new Set<number>();
  /**
   * Messages the platform accepted but whose `sent` mark could not be stored (the database went
   * away): remembered so a retry marks them instead of sending them a second time.
   */
  private readonly sentUnmarked = new Map<number, string | undefined>();

  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>,
    private readonly log: Logger,
    private readonly language: OutboxLanguage,
    private readonly observer?: CoreObserver,
  ) {}

  /**
   * Tells a person something outside a turn (a notice, a facilitator's hand-back): loads the person,
   * resolves their language once (theirs, else the configured default), builds the messages with a
   * translator for it, and stores and queues them like any other. The one way to speak to a person
   * when no inbound message is being answered, so every such message falls back the same way.
   * Returns the stored messages, or undefined (nothing sent) when the person no longer exists.
   */
  async tell(personId: string, channel: ChannelName, build: TellBuild, opts: Omit<EnqueueOptions, 'lang'>): Promise<{ id: number; message: OutboundMessage }[] | undefined> {
    const person = await this.store.getPerson(personId);
    if (!person) return undefined;
    const lang = person.language ?? this.language.defaultLanguage;
    const messages = await build(this.language.translator.for(lang), lang);
    return this.enqueue(personId, channel, messages, { ...opts, lang });
  }

  /** Renders, stores and queues messages. Returns the stored messages with their ids. */
  async enqueue(personId: string, channel: ChannelName, messages: OutboundMessage[], opts: EnqueueOptions): Promise<{ id: number; message: OutboundMessage }[]> {
    const out = await this.storeMessages(personId, channel, messages, opts);
    await this.queueSends(out, opts.priority);
    return out;
  }

  /**
   * Renders and stores messages as `queued`, without queueing their sends (see {@link queueSends}):
   * with `q`, inside the caller's transaction, so a turn's replies are stored together with the
   * turn's other effects or not at all.
   */
  async storeMessages(personId: string, channel: ChannelName, messages: OutboundMessage[], opts: EnqueueOptions, q?: Queryable): Promise<{ id: number; message: OutboundMessage }[]> {
    const caps = this.channels.get(channel)?.capabilities ?? capabilitiesFor(channel);
    const lang = opts.lang ?? (await this.store.getPerson(personId))?.language ?? undefined;
    const out: { id: number; message: OutboundMessage }[] = [];
    for (const m of messages) {
      for (const part of render(m, caps, lang)) {
        const id = await this.store.insertOutbound(personId, channel, opts.author ?? 'bot', part, opts.inReplyTo ?? null, opts.at, 'queued', q);
        out.push({ id, message: part });
      }
    }
    return out;
  }

  /** The platform messages `messages` become on `channel` (for the reader's language `lang`). */
  render(channel: ChannelName, messages: OutboundMessage[], lang: string | undefined): OutboundMessage[] {
    const caps = this.channels.get(channel)?.capabilities ?? capabilitiesFor(channel);
    return messages.flatMap((m) => render(m, caps, lang));
  }

  /** Queues the sends of stored messages. A send that cannot be queued now is queued by the sweep. */
  async queueSends(stored: { id: number }[], priority: JobPriority = 'reply'): Promise<void> {
    if (this.queue.addMany && stored.length > 1) {
      try {
        await this.queue.addMany(stored.map(({ id }) => ({ name: SEND_JOB, data: { id }, opts: { priority, key: `send:${id}` } })));
        return;
      } catch (err) {
        this.log.warn({ err: errorMessage(err) }, 'outbox: could not queue sends together; one at a time');
      }
    }
    for (const { id } of stored) {
      try {
        await this.queue.add(SEND_JOB, { id }, { priority, key: `send:${id}` });
      } catch (err) {
        // The queue (Redis) is down. The message is stored as `queued`: the sweep re-queues it.
        this.log.warn({ messageId: id, err: errorMessage(err) }, 'outbox: could not queue a send; the sweep will retry');
      }
    }
  }

  /**
   * Whether a turn's replies are sent by the turn itself ({@link sendTurn}); false until the app
   * starts, so messages handled before (a restart's recovery, tests) wait for the queue's workers.
   */
  get sendsNow(): boolean {
    return this.live;
  }
  private live = false;

  /** From now on a turn sends its own replies (the app started its senders). */
  startSending(): void {
    this.live = true;
  }

  /** Registers the send job. */
  register(): void {
    // `then`: messages to send after this one, in order (a turn's replies left after a failed send).
    // A retry starts again from the first: those already sent are no longer claimable and are skipped.
    this.queue.handle(SEND_JOB, async (data) => {
      for (const id of [data.id, ...(Array.isArray(data.then) ? data.then : [])]) await this.deliver(Number(id));
    });
  }

  /** Re-queues sends that a stopped process left half-done. */
  async recover(): Promise<number> {
    // On PostgreSQL other processes may be sending right now (issue #17): only claims older than a
    // send can take are taken back (the sweep takes back the rest as they age); the embedded
    // database has one owner, so every claim it finds was interrupted.
    const ids = this.store.db.kind === 'postgres' ? await this.store.requeueStaleSending(new Date(Date.now() - STALE_CLAIM_MS), []) : await this.store.requeueInterruptedSends();
    for (const id of ids) await this.queue.add(SEND_JOB, { id }, { key: `send:${id}` });
    return ids.length + (await this.sweep(0));
  }

  /**
   * Re-queues messages still `queued` after `olderThanMs` (their job never reached the queue, e.g.
   * Redis was down). A job that is still waiting has the same key and is not added twice; a send
   * that already happened is not repeated (the send claims the row). Returns how many were re-queued.
   */
  async sweep(olderThanMs: number, now = new Date(), staleClaimMs = STALE_CLAIM_MS): Promise<number> {
    const interrupted = await this.store.requeueStaleSending(new Date(now.getTime() - staleClaimMs), [...this.sending]);
    const ids = [...new Set([...interrupted, ...(await this.store.staleQueuedOutbound(new Date(now.getTime() - olderThanMs)))])];
    for (const id of ids) await this.queue.add(SEND_JOB, { id }, { key: `send:${id}` });
    return ids.length;
  }

  /** Sends one stored message. Throws RetryLater for retryable failures. */
  async deliver(id: number): Promise<void> {
    if (this.sentUnmarked.has(id)) {
      await this.store.markSent(id, this.sentUnmarked.get(id));
      this.sentUnmarked.delete(id);
      return;
    }
    if (this.sending.has(id)) return; // a duplicate job while this process sends it
    this.sending.add(id);
    try {
      await this.deliverClaimed(id);
    } finally {
      this.sending.delete(id);
    }
  }

  private async deliverClaimed(id: number): Promise<void> {
    // Claimed with the message, its person and the address in one round trip.
    const claimed = await this.store.claimForSend(id);
    if (!claimed) return; // already sent, being sent, or gone (erased)
    await (await this.send(claimed.message, claimed.person, claimed.address))?.marked;
  }

  /**
   * Sends a turn's replies right after its commit, in order, without a queue job each (issue #17: a
   * job's add, claim and finish were a third of the bot's work per reply). The commit stored them
   * already claimed for this process (`sending`), so no other sender takes them meanwhile, and a
   * process that dies before sending leaves claims the sweep and the restart take back (see
   * {@link recover}). A reply the platform refuses for now (rate limit, network) goes to the queue
   * with its wait, and so do the turn's later replies, after it: the person's replies stay in order.
   * Resolves when every reply has been sent or handed to the queue; never throws.
   */
  async sendTurn(
    stored: { id: number; message: OutboundMessage }[],
    to: { person: SendPerson; channel: ChannelName; address: string | undefined; inReplyTo: number; author?: string; lease?: HeldLease },
  ): Promise<void> {
    // The `sent` marks are not awaited between sends: a turn's marks go in one write (group commit).
    // The last one gives back the turn lease the commit kept (several processes), else it goes back below.
    const marks: { id: number; ok: Promise<boolean>; release: boolean }[] = [];
    for (const s of stored) this.sending.add(s.id);
    try {
      for (const [i, { id, message }] of stored.entries()) {
        const msg = { id, channel: to.channel, body: message, author: to.author ?? 'bot', inReplyTo: to.inReplyTo, partsSent: 0 };
        const release = i === stored.length - 1 ? to.lease : undefined;
        try {
          const sent = await this.send(msg, to.person, to.address, release);
          // (Settled into a boolean at once: a failed mark is handled below, never left unhandled.)
          if (sent)
            marks.push({
              id,
              release: !!release,
              ok: sent.marked.then(
                () => true,
                () => false,
              ),
            });
        } catch (err) {
          // (Logged by the queue when its retry fails too.) This reply and the later ones go back to
          // the queue, as one job, in order.
          const rest = stored.slice(i).map((m) => m.id);
          for (const r of rest) await this.store.unclaimOutbound(r, errorMessage(err)).catch(() => undefined);
          await this.queueInOrder(rest, new Date(Date.now() + (err instanceof RetryLater ? err.delayMs : 2000)));
          break;
        }
      }
      // A mark that could not be stored: the platform has the message, a job marks it (never sends it again).
      let released = false;
      for (const { id, ok, release } of marks) {
        if (await ok) released ||= release;
        else await this.queueInOrder([id], new Date());
      }
      // (Expires by itself if this fails too.)
      if (to.lease && !released) await this.store.releaseTurn(to.lease.personId, to.lease.owner).catch(() => undefined);
    } finally {
      for (const s of stored) this.sending.delete(s.id);
    }
  }

  /** One job for `ids`, which sends them in order (a job per message could run side by side). */
  private async queueInOrder(ids: number[], runAt: Date): Promise<void> {
    const [head, ...then] = ids;
    await this.queue.add(SEND_JOB, { id: head, ...(then.length ? { then } : {}) }, { key: `send:${head}`, runAt }).catch((e: unknown) => {
      // The queue is down too: the sweep queues the messages again (`queued` rows, stale claims).
      this.log.warn({ messageId: head, err: errorMessage(e) }, 'outbox: could not queue a send; the sweep will retry');
    });
  }

  /**
   * Sends one claimed message and stores the outcome. Throws RetryLater for a retryable failure
   * (the claim given back first). Once the platform has the message, returns the `sent` mark being
   * stored (group commit: the caller may send the next message meanwhile); that rejects when the mark
   * could not be stored, remembered in {@link sentUnmarked} so a retry marks it without sending again.
   */
  private async send(msg: ClaimedMessage, person: SendPerson | undefined, address: string | undefined, release?: HeldLease): Promise<{ marked: Promise<void> } | undefined> {
    const id = msg.id;
    const adapter = this.channels.get(msg.channel);
    // (A person erased meanwhile has no address left either.)
    if (!person || !address || !adapter) {
      await this.store.markOutbound(id, 'failed', undefined, !adapter ? `channel ${msg.channel} is not configured` : 'no address');
      return;
    }
    if (person.unreachable) {
      await this.store.markOutbound(id, 'failed', undefined, 'person unreachable (blocked the bot)');
      return;
    }
    let result;
    try {
      result = await adapter.send(address, msg.body as OutboundMessage, {
        personId: person.id,
        messageId: id,
        // The channel's own words (a list's button) in the reader's language, the same fallback as `tell`.
        lang: person.language ?? this.language.defaultLanguage,
        author: msg.author,
        fromPart: msg.partsSent,
        // Stored so a retry skips the parts already delivered. If storing fails, sending goes on: the
        // retry may then repeat a part, which is better than stopping half-way.
        onPartSent: (n) =>
          this.store.recordPartsSent(id, n).catch((err: unknown) => {
            this.log.warn({ messageId: id, err: errorMessage(err) }, 'send: progress not stored');
          }),
      });
    } catch (err) {
      result = { ok: false as const, retryable: true, error: errorMessage(err) };
    }
    if (result.ok) {
      const externalId = result.externalId;
      const marked = this.store.markSent(id, externalId, release).then(
        () => this.observer?.sent(msg.channel, msg.inReplyTo),
        (err: unknown) => {
          this.sentUnmarked.set(id, externalId);
          throw err;
        },
      );
      return { marked };
    }
    if (result.unreachable) await this.store.markUnreachable(person.id, result.error);
    if (result.retryable) {
      await this.store.unclaimOutbound(id, result.error);
      this.log.warn({ messageId: id, channel: msg.channel, error: result.error }, 'send: will retry');
      throw new RetryLater(result.retryAfterMs ?? 2000, result.error);
    }
    await this.store.markOutbound(id, result.outsideWindow ? 'held' : 'failed', undefined, result.error);
    this.log.warn({ messageId: id, channel: msg.channel, error: result.error }, 'send: failed');
  }
}
