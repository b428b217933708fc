/**
 * The conversation pipeline: channel decode → **receive** (dedupe, store, find the person) →
 * **process** (one message at a time per person: language, route to commands / flows / knowledge /
 * handoff) → outbox (render, store, queue) → channel send.
 */
import { createHash } from 'node:crypto';
import type { ChannelAdapter } from '../channels/channel.js';
import { capabilitiesOf } from '../channels/channel.js';
import type { Clock } from '../clock.js';
import { CONFIDENT, detectLanguage } from '../i18n/detect.js';
import type { Translator } from '../i18n/i18n.js';
import { fromLanguageTag, isSupported } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { Conversation, ConversationState, Person, Store } from '../storage/store.js';
import type { Feature, GlobalCommand, Turn } from './feature.js';
import { Outbox } from './outbox.js';
import { matchNumberedChoice } from './render.js';
import { Router } from './router.js';
import { KeyedSerial } from './serial.js';
import { FloodGuard } from './flood.js';
import type { ChannelName, Choice, HandleResult, InboundContent, InboundMessage, OutboundMessage } from './types.js';
import { UNSURE, type Understanding } from '../understand/intents.js';
import type { UnderstandContext } from '../understand/understand.js';

export interface BotDeps {
  store: Store;
  queue: JobQueue;
  translator: Translator;
  clock: Clock;
  log: Logger;
  features: Feature[];
  channels: Map<ChannelName, ChannelAdapter>;
  defaultLanguage: string;
  /** Per-person flood control (off in the simulator, which replays whole conversations at once). */
  floodControl?: boolean;
  /** Speech-to-text for voice notes (optional; src/channels/transcribe.ts). */
  transcribe?: (inbound: InboundMessage) => Promise<string | undefined>;
  /** The understanding step (src/understand/): what a message asks for, before the router. */
  understander?: MessageUnderstander;
}

/** What the pipeline needs of the understanding step (`Understander` fits). */
export interface MessageUnderstander {
  offline(text: string, ctx: UnderstandContext): Understanding;
  understand(text: string, ctx: UnderstandContext, offline?: Understanding): Promise<Understanding>;
}

/** What {@link Bot.receive} returns at once; `done` settles when the message has been handled. */
export interface Received {
  duplicate: boolean;
  personId?: string;
  messageId?: number;
  done: Promise<HandleResult>;
}

/** Longest text we process; longer texts are cut (a person never needs more; a flood costs memory). */
export const MAX_INBOUND_TEXT = 4000;
/** How many recent choice ids stay valid for a pressed button. */
const OFFERED_MEMORY = 40;

/** A pseudonymous actor id for the event log: stable per person, not reversible to the person id. */
export function actorOf(personId: string): string {
  return createHash('sha256').update(`actor:${personId}`).digest('hex').slice(0, 16);
}

export class Bot {
  readonly outbox: Outbox;
  readonly router: Router;
  private readonly serial = new KeyedSerial();
  /** Storing is serialized per address too, so two messages arriving together keep their order. */
  private readonly arrivals = new KeyedSerial();
  private readonly flood: FloodGuard | undefined;
  /** Inbound message ids being handled by this process (the sweep leaves them alone). */
  private readonly inFlight = new Set<number>();

  constructor(readonly deps: BotDeps) {
    this.outbox = new Outbox(deps.store, deps.queue, deps.channels, deps.log);
    this.router = new Router(deps.features, deps.translator);
    this.flood = deps.floodControl === false ? undefined : new FloodGuard();
  }

  /**
   * Stores an inbound message and schedules its handling. Resolves as soon as the message is safely
   * stored (webhooks answer 2xx then). A message already received (same channel and external id)
   * is reported as a duplicate and not handled again.
   */
  receive(inbound: InboundMessage): Promise<Received> {
    return this.arrivals.run(`${inbound.channel}:${inbound.address}`, () => this.store(inbound));
  }

  private async store(inbound: InboundMessage): Promise<Received> {
    const { store, clock } = this.deps;
    const content = capContent(inbound.content);
    const { person, isNew } = await store.resolvePerson(inbound.channel, inbound.address, clock.now());
    const messageId = await store.insertInbound(person.id, inbound.channel, inbound.externalId, content, inbound.receivedAt);
    if (messageId === undefined) {
      const conv = await store.getConversation(person.id);
      return {
        duplicate: true,
        personId: person.id,
        done: Promise.resolve({ duplicate: true, personId: person.id, replies: [], lang: person.language ?? this.deps.defaultLanguage, handoff: conv.mode !== 'bot' }),
      };
    }
    const done = this.track(messageId, person.id, { ...inbound, content }, isNew);
    // Webhooks do not wait for `done`: a failure here (the database went away mid-turn) must be
    // logged, not left as an unhandled rejection that stops the process. The message stays
    // unprocessed and the sweep handles it again.
    done.catch((err: unknown) => this.deps.log.error({ err: err instanceof Error ? err.message : String(err), personId: person.id, messageId }, 'core: a message could not be handled; will retry'));
    return { duplicate: false, personId: person.id, messageId, done };
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
      void this.track(m.id, m.personId, inbound, false).catch((err: unknown) =>
        this.deps.log.error({ err: err instanceof Error ? err.message : String(err), messageId: m.id }, 'core: a resumed message could not be handled'),
      );
    }
    return pending.length;
  }

  /** Handles a stored message in the person's serial lane, remembering it is in flight. */
  private track(messageId: number, personId: string, inbound: InboundMessage, isNew: boolean): Promise<HandleResult> {
    this.inFlight.add(messageId);
    const done = this.serial.run(personId, () => this.process(personId, messageId, inbound, isNew));
    void done.then(
      () => this.inFlight.delete(messageId),
      () => this.inFlight.delete(messageId),
    );
    return done;
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.serial.idle();
  }

  private async process(personId: string, messageId: number, inbound: InboundMessage, isNew: boolean): Promise<HandleResult> {
    const { store, clock, log } = this.deps;
    const now = clock.now();
    const person = (await store.getPerson(personId))!;
    if (!person) return { duplicate: false, replies: [], lang: this.deps.defaultLanguage, handoff: false }; // erased meanwhile
    await store.touchPerson(person.id, now, true);
    const conversation = await store.getConversation(person.id);
    // A transcribed voice note is handled as the text it says (and echoed, so a wrong transcript shows).
    const heard = inbound.content.type === 'voice' && this.deps.transcribe ? await this.deps.transcribe(inbound) : undefined;
    if (heard) inbound = { ...inbound, content: { type: 'text', text: heard.slice(0, MAX_INBOUND_TEXT) } };
    const lang = await this.resolveLanguage(person, inbound);
    const turn = new TurnImpl(this, person, conversation, inbound, isNew, now, lang, this.deps.understander);
    if (heard) turn.say({ text: turn.t('channels:voice.understood', { text: heard.slice(0, 500) }) });
    try {
      turn.event('message_in', { kind: inbound.content.type, newPerson: isNew });
      const flood = this.flood?.check(person.id, Date.now()) ?? 'ok';
      if (flood === 'ok') await this.router.route(turn);
      else if (flood === 'warn') turn.say({ text: turn.t('limits:slowDown') });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.stack : String(err), personId, messageId }, 'core: failed to handle a message');
      turn.replaceWith({ text: turn.t('core:error'), choices: [{ id: 'cmd:menu', label: turn.t('core:menu.menu') }, { id: 'cmd:human', label: turn.t('core:menu.human') }] });
    }
    await turn.finish();
    const queued = await this.outbox.enqueue(person.id, inbound.channel, turn.messages, { inReplyTo: messageId, at: now });
    await store.markProcessed(messageId, clock.now());
    const mode = (await store.getConversation(person.id)).mode;
    return { duplicate: false, personId: person.id, replies: queued.map((q) => q.message), replyIds: queued.map((q) => q.id), lang: turn.lang, handoff: mode !== 'bot' };
  }

  /**
   * The language to answer in: the person's explicit choice > the language of this message when
   * confidently different > the stored language > the platform hint > detection > the default.
   */
  private async resolveLanguage(person: Person, inbound: InboundMessage): Promise<string> {
    const { store } = this.deps;
    if (person.languageSource === 'explicit' && isSupported(person.language)) return person.language;
    // Stores the choice and updates the loaded person, so the turn needs no second read.
    const remember = async (code: string, source: 'detected' | 'hint'): Promise<string> => {
      await store.setLanguage(person.id, code, source);
      Object.assign(person, { language: code, languageSource: source });
      return code;
    };
    const text = inbound.content.type === 'text' ? inbound.content.text : inbound.content.type === 'image' ? (inbound.content.caption ?? '') : '';
    const detected = text ? detectLanguage(text) : undefined;
    if (detected && detected.confidence >= CONFIDENT && detected.lang !== person.language) {
      return remember(detected.lang, 'detected');
    }
    if (isSupported(person.language)) return person.language;
    const hint = fromLanguageTag(inbound.languageHint);
    if (hint) {
      return remember(hint, 'hint');
    }
    if (detected) {
      return remember(detected.lang, 'detected');
    }
    return this.deps.defaultLanguage;
  }
}

/** The words a person wrote: a text, or the caption of a picture or a file. */
function readableText(content: InboundContent): string | undefined {
  if (content.type === 'text') return content.text;
  if (content.type === 'image' || content.type === 'document') return content.caption || undefined;
  return undefined;
}

function capContent(content: InboundContent): InboundContent {
  if (content.type === 'text' && content.text.length > MAX_INBOUND_TEXT) return { type: 'text', text: content.text.slice(0, MAX_INBOUND_TEXT) };
  return content;
}

class TurnImpl implements Turn {
  readonly messages: OutboundMessage[] = [];
  readonly content: InboundContent;
  readonly capabilities;
  readonly channel: ChannelName;
  private data: ConversationState;
  private dirty = false;
  private events: { type: string; data: Record<string, unknown> }[] = [];
  private langValue: string;
  private readonly missesBefore: number;
  private translate;
  readonly understanding: Understanding | undefined;
  private understood: Promise<Understanding | undefined> | undefined;

  constructor(
    private readonly bot: Bot,
    readonly person: Person,
    readonly conversation: Conversation,
    readonly inbound: InboundMessage,
    readonly isNewPerson: boolean,
    readonly now: Date,
    lang: string,
    private readonly understander?: MessageUnderstander,
  ) {
    this.channel = inbound.channel;
    this.capabilities = bot.deps.channels.get(inbound.channel)?.capabilities ?? capabilitiesOf[inbound.channel];
    this.data = structuredClone(conversation.state ?? {});
    this.missesBefore = this.data.misses ?? 0;
    this.langValue = lang;
    this.translate = bot.deps.translator.for(lang);
    this.content = this.normalize(inbound.content);
    const text = readableText(this.content);
    this.understanding = text && understander ? understander.offline(text, { lang, first: isNewPerson }) : undefined;
  }

  understand(): Promise<Understanding | undefined> {
    const text = readableText(this.content);
    if (!this.understander || !text || !this.understanding) return Promise.resolve(this.understanding);
    this.understood ??= this.understander.understand(text, { lang: this.langValue, first: this.isNewPerson }, this.understanding).then((u) => {
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
      const known = this.data.offered?.some((c) => c.id === content.id);
      if (!known) {
        this.event('choice_rejected', {});
        return { type: 'choice', id: 'core:stale' };
      }
    }
    return content;
  }

  get lang(): string {
    return this.langValue;
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

  async setLanguage(code: string, source: 'explicit' | 'detected' | 'hint'): Promise<void> {
    this.langValue = code;
    this.translate = this.bot.deps.translator.for(code);
    await this.bot.deps.store.setLanguage(this.person.id, code, source);
    this.person.language = code;
    this.person.languageSource = source;
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
    const t = this.t;
    return [
      { id: 'know:explain', label: t('core:menu.explain') },
      { id: 'know:spaces', label: t('core:menu.spaces') },
      { id: 'know:events', label: t('core:menu.events') },
      { id: 'flow:incubation', label: t('core:menu.project') },
      { id: 'cmd:human', label: t('core:menu.human') },
      { id: 'cmd:language', label: t('core:menu.language') },
    ];
  }

  command(name: GlobalCommand): Promise<void> {
    return this.bot.router.runCommand(this, name);
  }
  choose(id: string): Promise<void> {
    return this.bot.router.choose(this, id);
  }

  /** Persists state and events after the turn. */
  async finish(): Promise<void> {
    const { store } = this.bot.deps;
    if (this.messages.length === 0 && this.conversation.mode === 'bot') this.data.lastCount = 0;
    const missed = this.events.some((e) => e.type === 'not_understood');
    if (missed || this.missesBefore > 0) {
      this.data.misses = missed ? this.missesBefore + 1 : 0;
      this.dirty = true;
    }
    if (this.dirty || this.messages.length > 0) await store.saveConversationState(this.person.id, this.data, this.now);
    const actor = actorOf(this.person.id);
    for (const e of this.events) {
      await store.logEvent(e.type, { actor, channel: this.channel, lang: this.lang, data: e.data, at: this.now });
    }
  }
}
