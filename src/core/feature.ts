/**
 * How capabilities plug into the core. A feature owns a prefix of choice ids (`know:…`, `flow:…`),
 * may own global commands, may try to answer free input, and may add entries to the main menu. The
 * router asks features in the order of their declared {@link Feature.phase}.
 */
import type { Translate } from '../i18n/i18n.js';
import type { Intent, Understanding } from '../understand/intents.js';
import type { Conversation, Person } from '../storage/store.js';
import type { ChannelCapabilities, ChannelName, Choice, InboundContent, InboundMessage, OutboundMessage } from './types.js';

/** Global commands: they work at any point, in every language, as words or buttons (`cmd:<name>`). */
export const globalCommands = ['menu', 'language', 'human', 'help', 'stop', 'privacy', 'delete'] as const;
export type GlobalCommand = (typeof globalCommands)[number];

/** One inbound message being handled: what came in, who sent it, and how to answer. */
export interface Turn {
  readonly person: Person;
  readonly conversation: Conversation;
  readonly inbound: InboundMessage;
  /** The content after normalization (a typed number that picks an offered choice becomes a choice). */
  readonly content: InboundContent;
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  readonly isNewPerson: boolean;
  /** How many messages in a row before this one nobody could answer (a `not_understood` event). */
  readonly misses: number;
  readonly now: Date;
  /**
   * The language the bot answers in. The turn settles it in one place (src/core/turn-language.ts):
   * the understanding step's reading, then a feature's {@link Turn.pinLanguage}, then the person's
   * choice ({@link Turn.setLanguage}); the person's stored language is written once, when the turn ends.
   */
  readonly lang: string;
  /** Translate into the turn's language. */
  readonly t: Translate;
  /** Queue a message to the person. Choices are remembered so a pressed button can be re-checked. */
  say(msg: OutboundMessage): void;
  /**
   * The person chose a language (the picker, a language named in words, the language question's
   * answer): the turn answers in it from now on, and it is stored as their explicit choice when the
   * turn ends. Wins over everything else.
   */
  setLanguage(code: string): void;
  /**
   * A feature keeps the conversation in its own language (a running interview, whose short answers
   * full of names often look like another language): wins over the language the understanding step
   * read in this message, never over the person's explicit choice (stored or made in this turn). The
   * last pin of the turn counts; it is stored (as detected) when the turn ends, if it changes anything.
   */
  pinLanguage(code: string): void;
  /** The state a feature keeps for this person (persisted after the turn). */
  state<T>(feature: string): T | undefined;
  setState(feature: string, value: unknown): void;
  /** Which feature gets the next free input first (a running flow, a pending question). */
  setFocus(feature: string | undefined): void;
  readonly focus: string | undefined;
  /**
   * What the message asks for, read offline before routing (text and captions; undefined for buttons,
   * locations, media). Includes the safety check, which never depends on a model.
   */
  readonly understanding: Understanding | undefined;
  /**
   * The reading the router acts on: the configured model's (structured output, checked) when there is
   * one, else {@link understanding}. Asked once per turn, only when needed.
   */
  understand(): Promise<Understanding | undefined>;
  /** Records an anonymous event for insights (no free text, no personal data). */
  event(type: string, data?: Record<string, unknown>): void;
  /** The main menu choices every feature contributes (ordered by {@link MenuEntry.order}), in the turn's language. */
  menuChoices(): Choice[];
  /** Runs a global command as if the person had asked for it. */
  command(name: GlobalCommand): Promise<void>;
  /** Dispatches a choice id to the feature that owns its prefix. */
  choose(id: string): Promise<void>;
}

/**
 * Where a feature stands in the order the router asks features (lower first; features of the same
 * phase keep the order their modules are listed in). A feature declares its phase instead of relying
 * on its position in a list.
 */
export const FeaturePhase = {
  /** Safety words: a person and the emergency numbers win over any other answer (handoff). */
  safety: 0,
  /** What every conversation needs: menu, help, language, media (`basics`). */
  core: 10,
  /** A conversation in progress (the project interview's flows). */
  conversation: 20,
  /** Requests that look like questions but are not ("my subscriptions", `/link CODE`, `/newevent`). */
  requests: 30,
  /** Answers from the content (spaces, events, explainer). */
  answers: 40,
  /** "My data", "delete me", retention. */
  privacy: 50,
  /** Reaching it means nobody could answer (the offer of a person). */
  fallback: 60,
  /** The out-of-scope answers and the clarifying question, last of all. */
  clarify: 70,
} as const;

/** One entry a feature adds to the main menu. */
export interface MenuEntry {
  /** The choice id the entry sends (`know:spaces`, `cmd:human`). */
  readonly id: string;
  /** The translation key of its label (`core:menu.spaces`). */
  readonly label: string;
  /** Its place in the menu (lower first), whatever the order of the features. */
  readonly order: number;
}

export interface Feature {
  readonly name: string;
  /** Its place in the order the router asks features (see {@link FeaturePhase}). */
  readonly phase: number;
  /** The main menu entries this feature answers (the core names none). */
  readonly menu?: readonly MenuEntry[];
  /** Choice-id prefixes this feature handles (`know` handles `know:…`). */
  readonly prefixes?: readonly string[];
  /** Global commands this feature implements (others get the placeholder reply). */
  readonly commands?: Partial<Record<GlobalCommand, (turn: Turn) => Promise<void>>>;
  /** A choice whose id starts with one of `prefixes`. */
  onChoice?(turn: Turn, id: string): Promise<void>;
  /**
   * Free input (text, location, media) when no command matched. Return true when answered.
   * The focused feature is asked first, then every feature in order.
   */
  onInput?(turn: Turn): Promise<boolean>;
  /** The person wrote while a human owns the conversation (the bot stays silent). */
  onHumanModeInput?(turn: Turn): Promise<void>;
  /** A deep link (`/start space_millepiani` from a poster's QR code). Return true when handled. */
  onDeepLink?(turn: Turn, payload: string): Promise<boolean>;
  /**
   * What this feature stores about a person, for the person's own "my data" export: short lines in
   * the person's language. Omit when the feature stores nothing personal.
   */
  exportData?(personId: string, t: Translate): Promise<string[]>;
  /** A brand-new person's first message, before anything else. Return true when it answered. */
  onFirstContact?(turn: Turn): Promise<boolean>;
  /**
   * The intents this feature answers (`src/understand/`). The router asks every feature that handles
   * the message's intent, in feature order, until one returns true; a reading it is unsure of goes to
   * the `other` handlers (the last of which asks the person with buttons).
   */
  readonly intents?: Partial<Record<Intent, (turn: Turn, u: Understanding) => Promise<boolean>>>;
}

/**
 * The features in the order the router asks them: by {@link Feature.phase}, features of one phase in
 * the order given (a stable sort).
 */
export function orderFeatures(features: readonly Feature[]): Feature[] {
  return features
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.phase - b.f.phase || a.i - b.i)
    .map(({ f }) => f);
}

/** The main menu the features contribute, ordered by {@link MenuEntry.order}. */
export function menuOf(features: readonly Feature[]): MenuEntry[] {
  return features.flatMap((f) => f.menu ?? []).sort((a, b) => a.order - b.order);
}
