/**
 * The conversation pipeline: channel decode → **receive** (dedupe, store, find the person) →
 * **process** (one message at a time per person: language, route to commands / flows / knowledge /
 * handoff) → outbox (render, store, queue) → channel send.
 */
import { createHash } from 'node:crypto';
import type { ChannelAdapter } from '../channels/channel.js';
import { capabilitiesFor } from '../channels/channel.js';
import type { Clock } from '../clock.js';
import { decideLanguage, type LanguageDecision } from '../i18n/decide.js';
import type { Translator } from '../i18n/i18n.js';
import { fromLanguageTag, getLanguage, isSupported } from '../i18n/languages.js';
import { requestedLanguage } from '../i18n/names.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import { invalidDataError } from '../storage/db.js';
import type { Conversation, ConversationState, LeasedTurn, PendingInbound, PendingLanguage, Person, Store, TurnLease } from '../storage/store.js';
import { menuOf, type Feature, type GlobalCommand, type MenuEntry, type Turn } from './feature.js';
import { Outbox } from './outbox.js';
import { matchNumberedChoice } from './render.js';
import { Router } from './router.js';
import { KeyedSerial } from './serial.js';
import { FloodGuard } from './flood.js';
import { cutText, wellFormed } from './text.js';
import type { CoreObserver } from './observer.js';
import { settleLanguage, type LanguageInputs, type SettledLanguage, type StoredLanguage } from './turn-language.js';
import type { ChannelName, Choice, HandleResult, InboundContent, InboundMessage, OutboundMessage } from './types.js';
import { UNSURE, type UnderstandContext, type Understanding } from '../understand/intents.js';

export interface BotDeps {
  store: Store;
  queue: JobQueue;
  translator: Translator;
  clock: Clock;
  log: Logger;
  /** The features, in the order the router asks them (see `orderFeatures`). */
  features: Feature[];
  channels: Map<ChannelName, ChannelAdapter>;
  /**
   * The outbox, when the assembly built it first (features that speak outside a turn hold it before
   * the bot exists); else the bot builds its own.
   */
  outbox?: Outbox;
  /** The router over {@link BotDeps.features}, when the assembly built it first (the understanding step asks it for command words). */
  router?: Router;
  defaultLanguage: string;
  /** Per-person flood control (off in the simulator, which replays whole conversations at once). */
  floodControl?: boolean;
  /** Speech-to-text for voice notes (optional; src/channels/transcribe.ts). */
  transcribe?: (inbound: InboundMessage) => Promise<string | undefined>;
  /** Monitoring hooks (src/metrics/); optional. */
  observer?: CoreObserver;
  /** The understanding step (src/understand/): what a message asks for, before the router. */
  understander?: MessageUnderstander;
  /**
   * Several processes on one PostgreSQL (issue #17): each person's messages are handled in the order
   * they were stored, across processes, under a per-person lease (`Store.leaseTurn`). Unset when
   * one process owns the database (embedded PGlite): the in-process lanes order the turns.
   */
  turnLease?: TurnLease;
  /**
   * Whether a text may be about someone in danger (the offline safety check, src/handoff/safety.ts):
   * such a message is answered at once, never held back by the language question.
   */
  mayBeSafety: (text: string) => boolean;
}

/** What the pipeline needs of the understanding step (`Understander` fits). */
export interface MessageUnderstander {
  offline(text: string, ctx: UnderstandContext): Understanding;
  understand(text: string, ctx: UnderstandContext, offline?: Understanding): Promise<Understanding>;
}

/** A turn started by the statement that stored its message (see `Store.insertInboundFrom`), and when. */
type Begun = { person: Person; conversation: Conversation; next?: PendingInbound; now: Date };

/** What {@link Bot.receive} returns at once; `done` settles when the message has been handled. */
export interface Received {
  duplicate: boolean;
  personId?: string;
  messageId?: number;
  done: Promise<HandleResult>;
}

/** Longest text we process; longer texts are cut (a person never needs more; a flood costs memory). */
export const MAX_INBOUND_TEXT = 4000;
/**
 * Failed attempts to store one message (same channel and external id) before it is stored as a
 * placeholder instead: a passing fault (the database restarting) gets the platform's retries, a
 * message the database will never take does not get them for days.
 */
export const STORE_ATTEMPTS = 3;
/** What a message that cannot be stored becomes (answered like any message we cannot read). */
export const UNSTORABLE: InboundContent = { type: 'unsupported', what: 'unstorable' };
/** First and longest wait before asking again for a person's lease another process holds (ms). */
const LEASE_RETRY_MS = 5;
const LEASE_RETRY_MAX_MS = 100;
/** How many recent choice ids stay valid for a pressed button. */
const OFFERED_MEMORY = 40;

/** A pseudonymous actor id for the event log: stable per person, not reversible to the person id. */
export function actorOf(personId: string): string {
  return createHash('sha256').update(`actor:${personId}`).digest('hex').slice(0, 16);
}

export class Bot {
  readonly outbox: Outbox;
  readonly router: Router;
  /** The main menu: the entries the features contribute, in their declared order (one list for the bot and the web chat's greeting). */
  readonly menu: readonly MenuEntry[];
  /** The menu's choices, which the web chat's greeting offers before a conversation exists. */
  readonly greetingChoices: ReadonlySet<string>;
  private readonly serial = new KeyedSerial();
  /** Storing is serialized per address too, so two messages arriving together keep their order. */
  private readonly arrivals = new KeyedSerial();
  private readonly flood: FloodGuard | undefined;
  /** Inbound message ids being handled by this process (the sweep leaves them alone). */
  private readonly inFlight = new Set<number>();
  /** Failed store attempts per `channel:externalId` (bounded; see {@link STORE_ATTEMPTS}). */
  private readonly storeFailures = new Map<string, number>();
  /** Of those, the ones whose turn has begun (an edit arriving now is too late to change the answer). */
  private readonly started = new Set<number>();
  /** Edited content of messages waiting in their person's lane, read when their turn begins. */
  private readonly amendments = new Map<number, InboundContent>();

  constructor(readonly deps: BotDeps) {
    this.outbox = deps.outbox ?? new Outbox(deps.store, deps.queue, deps.channels, deps.log, { translator: deps.translator, defaultLanguage: deps.defaultLanguage }, deps.observer);
    this.router = deps.router ?? new Router(deps.features, deps.translator);
    this.menu = menuOf(deps.features);
    this.greetingChoices = new Set(this.menu.map((m) => m.id));
    this.flood = deps.floodControl === false ? undefined : new FloodGuard();
  }

  /**
   * Stores an inbound message and schedules its handling. Resolves as soon as the message is safely
   * stored (webhooks answer 2xx then). A message already received (same channel and external id)
   * is reported as a duplicate and not handled again.
   */
  receive(inbound: InboundMessage): Promise<Received> {
    const message = wellFormedInbound(inbound);
    return this.arrivals.run(`${message.channel}:${message.address}`, () => this.storeOrPlaceholder(message));
  }

  /**
   * Stores the message; when that fails for the {@link STORE_ATTEMPTS}th time (or the database says
   * the data itself is invalid, which no retry changes), stores a placeholder under the same external
   * id instead, so the platform's redeliveries end and the person is told we could not read it.
   * Throws only when the placeholder cannot be stored either (the database is down: 503, retry).
   */
  private async storeOrPlaceholder(inbound: InboundMessage): Promise<Received> {
    const key = `${inbound.channel}:${inbound.externalId}`;
    try {
      const received = await this.store(inbound);
      this.storeFailures.delete(key);
      return received;
    } catch (err) {
      const failures = (this.storeFailures.get(key) ?? 0) + 1;
      // A redelivery of a message already stored as a placeholder (by this or an earlier run) is a duplicate.
      const stored = () => this.deps.store.inboundStored(inbound.channel, inbound.externalId).catch(() => false);
      if (failures < STORE_ATTEMPTS && !invalidDataError(err) && !(await stored())) {
        if (this.storeFailures.size >= 10_000) this.storeFailures.clear();
        this.storeFailures.set(key, failures);
        throw err;
      }
      this.storeFailures.delete(key);
      // (Logged once per placeholder; a redelivery of it is a plain duplicate below.)
      this.deps.log.warn(
        { channel: inbound.channel, kind: inbound.content.type, attempts: failures, err: errorMessage(err) },
        'core: a message could not be stored; storing a placeholder so the person gets an answer',
      );
      const { channel, address, externalId, receivedAt, languageHint } = inbound;
      return this.store({ channel, address, externalId, receivedAt, languageHint, content: UNSTORABLE });
    }
  }

  private async store(inbound: InboundMessage): Promise<Received> {
    const { store, clock } = this.deps;
    const content = inbound.content;
    // The common case in one round trip: an address already known, no edit, no other identifiers; the
    // same statement starts the turn when it can (issue #17). When no one has the address, the person
    // is created without looking it up again, and their message is stored (and its turn started) the
    // same way.
    const storeFrom = async (created?: string) => {
      const now = clock.now();
      const from = await store.insertInboundFrom(inbound.channel, inbound.address, inbound.externalId, content, inbound.receivedAt, {
        now,
        ...(this.deps.turnLease ? { lease: this.deps.turnLease } : {}),
      });
      return from && this.stored(from.person, from.messageId, inbound, from.person.id === created, from.begun && { ...from.begun, now });
    };
    let unknown = false;
    if (!inbound.editOf && inbound.address.length > 0 && (inbound.aliases ?? []).every((a) => a === inbound.address || a.length === 0)) {
      const known = await storeFrom();
      if (known) return known;
      unknown = true;
    }
    const { person, isNew } = await store.resolvePerson(inbound.channel, inbound.address, clock.now(), inbound.aliases, { unknown });
    if (isNew && !inbound.editOf && inbound.address.length > 0) {
      // (Undefined only if the address left the person meanwhile: then stored by id below.)
      const first = await storeFrom(person.id);
      if (first) return first;
    }
    let externalId = inbound.externalId;
    if (inbound.editOf) {
      // An edit: the original not yet handled takes the new content; one already answered is left be.
      const amended = await store.amendInbound(person.id, inbound.channel, inbound.editOf, content);
      if (amended.outcome === 'amended' && !this.started.has(amended.id)) this.amendments.set(amended.id, content);
      if (amended.outcome !== 'unknown') return this.nothingToDo(person);
      externalId = inbound.editOf; // the original never arrived: this is it (a late original is a duplicate)
    }
    const messageId = await store.insertInbound(person.id, inbound.channel, externalId, content, inbound.receivedAt);
    return this.stored(person, messageId, inbound, isNew);
  }

  /** A message stored (`messageId`; undefined: it was stored before) is handled in its person's lane. */
  private stored(person: Person, messageId: number | undefined, inbound: InboundMessage, isNew: boolean, begun?: Begun): Promise<Received> | Received {
    if (messageId === undefined) return this.nothingToDo(person);
    this.deps.observer?.received(inbound.channel, messageId);
    // What the storing statement read for the turn is current only if no turn of this person runs or
    // waits here (one elsewhere held the lease, which the statement then did not take): checked now,
    // in the same synchronous step that queues this turn.
    const done = this.track(messageId, person.id, inbound, isNew, begun && !this.serial.busy(person.id) ? begun : undefined);
    // Webhooks do not wait for `done`: a failure here (the database went away mid-turn) must be
    // logged, not left as an unhandled rejection that stops the process. The message stays
    // unprocessed and the sweep handles it again.
    done.catch((err: unknown) => this.deps.log.error({ err: errorMessage(err), personId: person.id, messageId }, 'core: a message could not be handled; will retry'));
    return { duplicate: false, personId: person.id, messageId, done };
  }

  /** A message that needs no answer (a redelivery, an edit of an answered message). */
  private async nothingToDo(person: Person): Promise<Received> {
    const conv = await this.deps.store.getConversation(person.id);
    return {
      duplicate: true,
      personId: person.id,
      done: Promise.resolve({ duplicate: true, personId: person.id, replies: [], lang: person.language ?? this.deps.defaultLanguage, handoff: conv.mode !== 'bot' }),
    };
  }

  /** Receives and waits for the handling (web chat, terminal, simulator). */
  async handle(inbound: InboundMessage): Promise<HandleResult> {
    return (await this.receive(inbound)).done;
  }

  /** Handles messages stored by a process that stopped before handling them. */
  async recover(): Promise<number> {
    const n = await this.resumeInbound(undefined);
    await this.outbox.recover();
    return n;
  }

  /**
   * The periodic safety net while running: inbound messages stored but not handled for
   * `olderThanMs` (the database failed mid-turn) are handled again, and replies still `queued`
   * (the queue was down when they were stored) are queued again. Returns how many of each.
   */
  async sweep(olderThanMs: number, staleClaimMs?: number): Promise<{ inbound: number; outbound: number }> {
    const inbound = await this.resumeInbound(new Date(Date.now() - olderThanMs));
    const outbound = await this.outbox.sweep(olderThanMs, new Date(), staleClaimMs);
    return { inbound, outbound };
  }

  private async resumeInbound(olderThan: Date | undefined): Promise<number> {
    const pending = (await this.deps.store.unprocessedInbound()).filter((m) => !this.inFlight.has(m.id) && (!olderThan || m.createdAt < olderThan));
    for (const m of pending) {
      const inbound: InboundMessage = {
        channel: m.channel,
        address: (await this.deps.store.addressOf(m.personId, m.channel)) ?? '',
        externalId: m.externalId ?? String(m.id),
        receivedAt: m.createdAt,
        content: m.body as InboundContent,
      };
      // Whether the person is new is read from the data when the turn runs (undefined here): a
      // person whose first message was stored but not handled before a crash still gets the welcome.
      void this.track(m.id, m.personId, inbound, undefined).catch((err: unknown) => this.deps.log.error({ err: errorMessage(err), messageId: m.id }, 'core: a resumed message could not be handled'));
    }
    return pending.length;
  }

  /** Handles a stored message in the person's serial lane, remembering it is in flight. */
  private track(messageId: number, personId: string, inbound: InboundMessage, isNew: boolean | undefined, begun?: Begun): Promise<HandleResult> {
    this.inFlight.add(messageId);
    const done = this.serial.run(personId, () => this.process(personId, messageId, inbound, isNew, begun));
    const forget = () => {
      this.inFlight.delete(messageId);
      this.started.delete(messageId);
      this.amendments.delete(messageId);
    };
    void done.then(forget, forget);
    return done;
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.serial.idle();
  }

  /**
   * Handles one stored message. Its effects on the conversation (state, events, the replies and the
   * message's `processed` mark) are committed in one statement, so a process killed mid-turn
   * leaves either the whole turn or none of it: the message is handled again from the start after a
   * restart, never answered twice. `isNew` undefined: read from the data (a resumed message).
   * With several processes on one database ({@link BotDeps.turnLease}), see {@link processLeased}.
   */
  private process(personId: string, messageId: number, inbound: InboundMessage, isNewHint: boolean | undefined, begun?: Begun): Promise<HandleResult> {
    if (this.deps.turnLease) return this.processLeased(this.deps.turnLease, personId, messageId, inbound, isNewHint, begun);
    return this.turn(personId, messageId, inbound, isNewHint, begun);
  }

  /**
   * A person's messages in order across processes (issue #17): the turn's first statement takes the
   * person's lease and reads their earliest unprocessed message, whichever process stored it; holding
   * the lease, this process handles that one first (a "mailbox" drain), then its own; the commit gives
   * the lease back. While another process holds it, this one waits and asks again (the holder may
   * answer this message meanwhile: then its stored replies are the result). A holder that died stops
   * counting after {@link TurnLease.ms}.
   */
  private async processLeased(lease: TurnLease, personId: string, messageId: number, inbound: InboundMessage, isNewHint: boolean | undefined, stored?: Begun): Promise<HandleResult> {
    const { store, clock } = this.deps;
    let wait = LEASE_RETRY_MS;
    // The storing statement took the lease and read the turn (else the first ask here does); its
    // `next` is an earlier unprocessed message, or none (this one is next).
    let first: LeasedTurn | undefined = stored && { kind: 'leased', person: stored.person, conversation: stored.conversation, next: stored.next };
    for (;;) {
      const now = first && stored ? stored.now : clock.now();
      const got: LeasedTurn = first ?? (await store.leaseTurn(personId, messageId, now, lease));
      first = undefined;
      if (got.kind === 'gone') return { duplicate: false, replies: [], lang: this.deps.defaultLanguage, handoff: false }; // erased meanwhile
      if (got.kind === 'done') return this.handledElsewhere(personId, messageId);
      if (got.kind === 'busy') {
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, LEASE_RETRY_MAX_MS);
        continue;
      }
      const begun = { person: got.person, conversation: got.conversation, now };
      try {
        const next = got.next;
        if (!next || next.id === messageId) return await this.turn(personId, messageId, inbound, isNewHint, begun, lease.owner);
        if (next.id > messageId) {
          // (Not expected: this message is unprocessed in the statement's snapshot, so the earliest is at most it.)
          await store.releaseTurn(personId, lease.owner);
          return await this.handledElsewhere(personId, messageId);
        }
        // An earlier message of the person, stored by another process that waits for the lease (or
        // stopped): it goes first. Whether the person is new is read from the data, as for a resumed one.
        const address = (await store.addressOf(personId, next.channel)) ?? '';
        const earlier: InboundMessage = { channel: next.channel, address, externalId: next.externalId ?? String(next.id), receivedAt: next.createdAt, content: next.body };
        await this.turn(personId, next.id, earlier, undefined, begun, lease.owner);
        wait = LEASE_RETRY_MS;
      } catch (err) {
        // The commit did not run: give the lease back now rather than after it expires.
        await store.releaseTurn(personId, lease.owner).catch(() => undefined);
        throw err;
      }
    }
  }

  /** The result of a message another process (or an earlier run) answered: its stored replies. */
  private async handledElsewhere(personId: string, messageId: number): Promise<HandleResult> {
    const { store } = this.deps;
    const [out, person, conv] = await Promise.all([store.outboundFor(messageId), store.getPerson(personId), store.getConversation(personId)]);
    return {
      duplicate: false,
      personId,
      replies: out.map((m) => m.body as OutboundMessage),
      replyIds: out.map((m) => m.id),
      lang: person?.language ?? this.deps.defaultLanguage,
      handoff: conv.mode !== 'bot',
    };
  }

  /**
   * One turn: `begun` is what the lease's statement read (several processes), else the turn reads it
   * with {@link Store.beginTurn}; `leaseOwner` gives the lease back with the commit.
   */
  private async turn(
    personId: string,
    messageId: number,
    inbound: InboundMessage,
    isNewHint: boolean | undefined,
    leased: { person: Person; conversation: Conversation; now: Date } | undefined,
    leaseOwner?: string,
  ): Promise<HandleResult> {
    const { store, clock, log } = this.deps;
    if (this.inFlight.has(messageId)) this.started.add(messageId);
    const edited = this.amendments.get(messageId);
    if (edited) inbound = { ...inbound, content: edited };
    const now = leased?.now ?? clock.now();
    // (Asked before the turn marks anything: a resumed message reads whether the person is new.)
    const isNew = isNewHint ?? !(await store.hasHandledInbound(personId));
    // The person as they were, their conversation, and the "seen now" mark: one round trip.
    const begun = leased ?? (await store.beginTurn(personId, now));
    if (!begun) return { duplicate: false, replies: [], lang: this.deps.defaultLanguage, handoff: false }; // erased meanwhile
    const { person, conversation } = begun;
    // A transcribed voice note is handled as the text it says (and echoed, so a wrong transcript shows).
    const heard = inbound.content.type === 'voice' && this.deps.transcribe ? await this.deps.transcribe(inbound) : undefined;
    if (heard) inbound = { ...inbound, content: { type: 'text', text: cutText(wellFormed(heard), MAX_INBOUND_TEXT) } };
    // A caption is the person's words: answered as text, with a note that the attachment is not read.
    const caption = heard ? undefined : captionOf(inbound.content);
    if (caption) inbound = { ...inbound, content: { type: 'text', text: caption } };
    const pending = conversation.state?.pendingLanguage;
    // A person asked which language they write in is still "new" until their message is answered
    // (opening the full picker meanwhile answers nothing: the welcome waits for the chosen language).
    const firstContact = isNew || (!!pending?.isNew && !opensFullPicker(inbound.content));
    const decision = this.understandLanguage(person, inbound, conversation, firstContact);
    const turn = new TurnImpl(this, person, conversation, inbound, firstContact, now, decision, this.deps.understander);
    if (heard) turn.say({ text: turn.t('channels:voice.understood', { text: heard.slice(0, 500) }) });
    if (caption) turn.say({ text: turn.t('channels:caption.note') });
    try {
      turn.event('message_in', { kind: inbound.content.type, newPerson: isNew });
      const flood = this.flood?.check(person.id, Date.now()) ?? 'ok';
      if (flood === 'ok') {
        if (decision.ask && this.mayAsk(turn)) turn.askLanguage(decision.ask, messageId);
        else {
          if (pending) await this.answerPending(turn, pending);
          await this.router.route(turn);
        }
      } else if (flood === 'warn') turn.say({ text: turn.t('limits:slowDown') });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.stack : String(err), personId, messageId }, 'core: failed to handle a message');
      turn.replaceWith({
        text: turn.t('core:error'),
        choices: [
          { id: 'cmd:menu', label: turn.t('core:menu.menu') },
          { id: 'cmd:human', label: turn.t('core:menu.human') },
        ],
      });
    }
    return this.finish(turn, messageId, now, leaseOwner);
  }

  /**
   * The end of every turn: its effects (the conversation state, the person's language as the turn
   * settled it, events, replies, the processed mark) in one statement, all or none; then the sends.
   */
  private async finish(turn: TurnImpl, messageId: number, now: Date, leaseOwner: string | undefined): Promise<HandleResult> {
    const { store, clock } = this.deps;
    const { person, inbound } = turn;
    const settled = turn.settledLanguage();
    const parts = this.outbox.render(inbound.channel, turn.messages, turn.lang);
    const direct = parts.length > 0 && this.outbox.sendsNow;
    const { ids, mode, committed, address } = await store.commitTurn({
      personId: person.id,
      messageId,
      state: turn.changedState(),
      language: settled.write ? { code: settled.write.lang, source: settled.write.source } : undefined,
      at: now,
      processedAt: clock.now(),
      events: turn.loggedEvents(),
      replies: parts.map((body) => ({ channel: inbound.channel, author: 'bot', body })),
      ...(leaseOwner !== undefined ? { leaseOwner } : {}),
      claim: direct,
    });
    // Another process committed this message's turn first (its lease expired under a slow turn): this
    // turn is dropped whole, and the result is what that one stored.
    if (!committed) return this.handledElsewhere(person.id, messageId);
    const queued = parts.map((message, i) => ({ id: ids[i]!, message }));
    // After the commit this process sends the replies it claimed, in order, before the person's next
    // turn (the turn's first statement marked the person reachable: they just wrote). Before the app
    // starts they wait for the queue's workers instead. A crash here is covered either way: recover /
    // the sweep queue a stale claim or a `queued` row again.
    // With several processes the commit kept the lease: given back with the last send's mark.
    if (direct)
      await this.outbox.sendTurn(queued, {
        person: { id: person.id, language: person.language, unreachable: false },
        channel: inbound.channel,
        address,
        inReplyTo: messageId,
        ...(leaseOwner !== undefined ? { lease: { personId: person.id, owner: leaseOwner } } : {}),
      });
    else await this.outbox.queueSends(queued);
    return {
      duplicate: false,
      personId: person.id,
      replies: queued.map((q) => q.message),
      replyIds: queued.map((q) => q.id),
      lang: turn.lang,
      handoff: mode !== 'bot',
      ...(settled.write ? { language: settled.write } : {}),
    };
  }

  /**
   * The understanding step's reading of the language (src/i18n/decide.ts): the person's explicit
   * choice > an established conversation's language unless the message is clearly another language
   * (another script, a long confident message) > the language of this message > the platform hint >
   * the default; or a question with the likely languages as buttons when the evidence is weak and
   * ambiguous. Nothing is stored here: the turn settles the language (src/core/turn-language.ts) and
   * `finish()` writes it once, with the turn's state.
   */
  private understandLanguage(person: Person, inbound: InboundMessage, conversation: Conversation, firstContact: boolean): LanguageDecision {
    const text = inbound.content.type === 'text' ? inbound.content.text : inbound.content.type === 'image' ? (inbound.content.caption ?? '') : '';
    const stored = isSupported(person.language) ? person.language : undefined;
    const pending = conversation.state?.pendingLanguage;
    return decideLanguage(text, {
      stored,
      source: person.languageSource ?? undefined,
      hint: fromLanguageTag(inbound.languageHint),
      established: !firstContact && !!stored,
      // A button or a sticker while the question is open adds no words; a new text does.
      pendingText: pending && text ? pending.text : undefined,
      fallback: this.deps.defaultLanguage,
    });
  }

  /**
   * Whether the language question may hold this message back: never while a person answers the
   * conversation, never for a command, a deep link or a named language, and never for a message that
   * may be about someone in danger (that is answered at once, in the best guess).
   */
  private mayAsk(turn: TurnImpl): boolean {
    const c = turn.content;
    if (c.type !== 'text' || turn.conversation.mode !== 'bot' || turn.inbound.startPayload) return false;
    return !this.router.commandFor(c.text) && !requestedLanguage(c.text) && !this.deps.mayBeSafety(c.text);
  }

  /**
   * The person answered the language question (a language button, the full picker, or a language
   * named in words): that language is theirs, and the message they wrote before is answered now,
   * in it. Anything else they write instead is answered as it is (the question is dropped).
   */
  private async answerPending(turn: TurnImpl, pending: PendingLanguage): Promise<void> {
    const c = turn.content;
    const code = c.type === 'choice' && c.id.startsWith('lang:') ? c.id.split(':')[1] : c.type === 'text' ? requestedLanguage(c.text) : undefined;
    if (opensFullPicker(c)) return; // the message still waits
    turn.clearPendingLanguage();
    if (!code || !getLanguage(code)) return;
    turn.setLanguage(code);
    turn.event('language_set', { how: 'asked' });
    turn.replay({ type: 'text', text: pending.text }, pending.isNew);
  }
}

/** "Other languages" while the language question is open: the full picker, which answers nothing yet. */
function opensFullPicker(c: InboundContent): boolean {
  return c.type === 'choice' && c.id === 'cmd:language';
}

/**
 * An inbound message as every channel hands it over, made safe to store and process: every string
 * well-formed ({@link wellFormed}: no NUL, no lone surrogates) and texts and captions cut to
 * {@link MAX_INBOUND_TEXT} code points at a grapheme boundary ({@link cutText}).
 */
export function wellFormedInbound(m: InboundMessage): InboundMessage {
  const text = (s: string) => cutText(wellFormed(s), MAX_INBOUND_TEXT);
  const short = (s: string) => cutText(wellFormed(s), 256);
  const c = m.content;
  let content: InboundContent;
  switch (c.type) {
    case 'text':
      content = { type: 'text', text: text(c.text) };
      break;
    case 'choice':
      content = { type: 'choice', id: short(c.id) };
      break;
    case 'location':
      content = { ...c, ...(c.label !== undefined ? { label: short(c.label) } : {}) };
      break;
    case 'image':
      content = { ...c, ...(c.caption !== undefined ? { caption: text(c.caption) } : {}) };
      break;
    case 'document':
      content = { ...c, ...(c.caption !== undefined ? { caption: text(c.caption) } : {}), ...(c.fileName !== undefined ? { fileName: short(c.fileName) } : {}) };
      break;
    case 'unsupported':
      content = { type: 'unsupported', what: short(c.what), ...(c.caption !== undefined ? { caption: text(c.caption) } : {}) };
      break;
    default:
      content = c;
  }
  return {
    ...m,
    address: wellFormed(m.address),
    externalId: wellFormed(m.externalId),
    content,
    ...(m.languageHint !== undefined ? { languageHint: short(m.languageHint) } : {}),
    ...(m.startPayload !== undefined ? { startPayload: short(m.startPayload) } : {}),
    ...(m.aliases !== undefined ? { aliases: m.aliases.map(wellFormed) } : {}),
    ...(m.editOf !== undefined ? { editOf: wellFormed(m.editOf) } : {}),
  };
}

/** The words that came with a picture, a document or another attachment, if any. */
function captionOf(content: InboundContent): string | undefined {
  const caption = content.type === 'image' || content.type === 'document' || content.type === 'unsupported' ? content.caption?.trim() : undefined;
  return caption || undefined; // already cut at decode (wellFormedInbound)
}

/** The words a person wrote (a caption was made the message's text before the turn). */
function readableText(content: InboundContent): string | undefined {
  return content.type === 'text' ? content.text : undefined;
}

class TurnImpl implements Turn {
  readonly messages: OutboundMessage[] = [];
  /** Replaced once when a message that waited for the language question is answered. */
  content: InboundContent;
  readonly capabilities;
  readonly channel: ChannelName;
  private data: ConversationState;
  private dirty = false;
  private events: { type: string; data: Record<string, unknown> }[] = [];
  /** What the turn has heard about the language; {@link settleLanguage} weighs it (the one decision). */
  private readonly languageInputs: LanguageInputs;
  /** The person's language as loaded, before this turn. */
  private readonly storedLanguage: StoredLanguage;
  private settled: SettledLanguage;
  private readonly missesBefore: number;
  private translate;
  readonly understanding: Understanding | undefined;
  private understood: Promise<Understanding | undefined> | undefined;

  constructor(
    private readonly bot: Bot,
    readonly person: Person,
    readonly conversation: Conversation,
    readonly inbound: InboundMessage,
    public isNewPerson: boolean,
    readonly now: Date,
    understood: LanguageDecision,
    private readonly understander?: MessageUnderstander,
  ) {
    this.channel = inbound.channel;
    this.capabilities = bot.deps.channels.get(inbound.channel)?.capabilities ?? capabilitiesFor(inbound.channel);
    this.data = structuredClone(conversation.state ?? {});
    this.missesBefore = this.data.misses ?? 0;
    this.storedLanguage = { language: person.language, source: person.languageSource };
    // While the question is open nothing is stored (the best guess only orders the buttons).
    this.languageInputs = { understood: { lang: understood.lang, ...(understood.store && !understood.ask ? { store: understood.store } : {}) } };
    this.settled = this.settle();
    const lang = this.settled.lang;
    this.translate = bot.deps.translator.for(lang);
    this.content = this.normalize(inbound.content);
    const text = readableText(this.content);
    this.understanding = text && understander ? understander.offline(text, { lang, first: isNewPerson }) : undefined;
  }

  understand(): Promise<Understanding | undefined> {
    const text = readableText(this.content);
    if (!this.understander || !text || !this.understanding) return Promise.resolve(this.understanding);
    this.understood ??= this.understander.understand(text, { lang: this.lang, first: this.isNewPerson }, this.understanding).then((u) => {
      this.event('understood', { intent: u.intent, source: u.source, sure: u.confidence >= UNSURE });
      return u;
    });
    return this.understood;
  }

  /** A typed number answering a numbered list becomes that choice; a forged or stale button is re-checked. */
  private normalize(content: InboundContent): InboundContent {
    if (content.type === 'text') {
      const picked = matchNumberedChoice(content.text, this.data.offered?.slice(-(this.data.lastCount ?? 0)) ?? []);
      if (picked) return { type: 'choice', id: picked.id };
    }
    if (content.type === 'choice' && !content.id.startsWith('cmd:')) {
      // The web chat's greeting offers the menu before anything is stored: a new person's first tap
      // on one of its choices is expected, not stale.
      const greeted = this.isNewPerson && this.bot.greetingChoices.has(content.id);
      const known = greeted || this.data.offered?.some((c) => c.id === content.id);
      if (!known) {
        this.event('choice_rejected', {});
        return { type: 'choice', id: 'core:stale' };
      }
    }
    return content;
  }

  get lang(): string {
    return this.settled.lang;
  }
  get t() {
    return this.translate;
  }
  get misses(): number {
    return this.missesBefore;
  }
  get focus(): string | undefined {
    return this.data.focus;
  }

  say(msg: OutboundMessage): void {
    this.messages.push(msg);
    if (msg.choices?.length) {
      const offered = [...(this.data.offered ?? []).filter((o) => !msg.choices!.some((c) => c.id === o.id)), ...msg.choices.map((c) => ({ id: c.id, label: c.label }))];
      this.data.offered = offered.slice(-OFFERED_MEMORY);
      this.data.lastCount = msg.choices.length;
      this.dirty = true;
    }
  }

  /** Drops what was said so far (after an error) and says `msg` instead. */
  replaceWith(msg: OutboundMessage): void {
    this.messages.length = 0;
    this.say(msg);
  }

  /**
   * Asks which language the person writes in: one line per likely language, each in that language,
   * the languages as buttons in their own script, and "other languages" for the full picker. The
   * message waits in the conversation state until the answer.
   */
  askLanguage(codes: string[], messageId: number): void {
    const text = this.content.type === 'text' ? this.content.text : '';
    this.data.pendingLanguage = { messageId, text: text.slice(0, MAX_INBOUND_TEXT), isNew: this.isNewPerson, asked: codes };
    this.dirty = true;
    const question = codes.map((code) => this.bot.deps.translator.for(code)('langask:question')).join('\n');
    const other = this.bot.deps.translator.for(codes[0]!)('langask:other');
    this.event('language_asked', { options: codes.length });
    this.say({
      text: question,
      choices: [...codes.map((code) => ({ id: `lang:${code}:ask`, label: getLanguage(code)!.nativeName })), { id: 'cmd:language', label: `🌐 ${other}` }],
    });
  }

  clearPendingLanguage(): void {
    if (!this.data.pendingLanguage) return;
    delete this.data.pendingLanguage;
    this.dirty = true;
  }

  /** Handles `content` instead of what came in (the message that waited for the language question). */
  replay(content: InboundContent, isNewPerson: boolean): void {
    this.content = content;
    this.isNewPerson = isNewPerson;
  }

  setLanguage(code: string): void {
    this.languageInputs.chosen = code;
    this.resettle();
  }

  pinLanguage(code: string): void {
    this.languageInputs.pin = code;
    this.resettle();
  }

  /** The turn's language as it stands, and what `finish()` is to write for the person. */
  settledLanguage(): SettledLanguage {
    return this.settled;
  }

  /** Weighs the language inputs again; the turn's words and the loaded person follow the outcome. */
  private settle(): SettledLanguage {
    const settled = settleLanguage(this.storedLanguage, this.languageInputs);
    // The turn's code reads the person as they will be stored (onboarding asks whether a language is known).
    this.person.language = settled.language;
    this.person.languageSource = settled.source;
    return settled;
  }

  private resettle(): void {
    const before = this.settled.lang;
    this.settled = this.settle();
    if (this.settled.lang !== before) this.translate = this.bot.deps.translator.for(this.settled.lang);
  }

  state<T>(feature: string): T | undefined {
    return this.data.features?.[feature] as T | undefined;
  }
  setState(feature: string, value: unknown): void {
    this.data.features = { ...(this.data.features ?? {}) };
    if (value === undefined) delete this.data.features[feature];
    else this.data.features[feature] = value;
    this.dirty = true;
  }
  setFocus(feature: string | undefined): void {
    this.data.focus = feature;
    this.dirty = true;
  }

  event(type: string, data: Record<string, unknown> = {}): void {
    this.events.push({ type, data });
  }

  menuChoices(): Choice[] {
    return this.bot.menu.map((m) => ({ id: m.id, label: this.t(m.label) }));
  }

  command(name: GlobalCommand): Promise<void> {
    return this.bot.router.runCommand(this, name);
  }
  choose(id: string): Promise<void> {
    return this.bot.router.choose(this, id);
  }

  /** The conversation state to store after the turn, or undefined when it did not change. */
  changedState(): ConversationState | undefined {
    if (this.messages.length === 0 && this.conversation.mode === 'bot') this.data.lastCount = 0;
    const missed = this.events.some((e) => e.type === 'not_understood');
    if (missed || this.missesBefore > 0) {
      this.data.misses = missed ? this.missesBefore + 1 : 0;
      this.dirty = true;
    }
    return this.dirty || this.messages.length > 0 ? this.data : undefined;
  }

  /** The turn's events for the anonymous log (a pseudonymous actor, no personal data). */
  loggedEvents(): { type: string; actor: string; channel: string; lang: string; data: object }[] {
    const actor = actorOf(this.person.id);
    return this.events.map((e) => ({ type: e.type, actor, channel: this.channel, lang: this.lang, data: e.data }));
  }
}
