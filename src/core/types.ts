/**
 * The shapes every channel shares. A channel decodes its platform payloads into an
 * {@link InboundMessage}, the core answers with {@link OutboundMessage}s, and the channel encodes those
 * within its {@link ChannelCapabilities}.
 */

/** Channels built in. `terminal` is the `coworkbot chat` command. */
export const channelNames = ['web', 'terminal', 'telegram', 'whatsapp'] as const;
export type BuiltinChannelName = (typeof channelNames)[number];

/**
 * Every channel name the code knows, as keys. A channel that lives outside `src/` (a test channel)
 * adds its name from its own folder by declaration merging:
 * `declare module '…/src/core/types.js' { interface ChannelNames { signal: true } }`.
 */
export interface ChannelNames extends Record<BuiltinChannelName, true> {}
export type ChannelName = keyof ChannelNames;

/** What a person sent, whatever the platform. */
export type InboundContent =
  | { type: 'text'; text: string }
  /** A tapped option that the bot offered earlier (button, list row, numbered answer). */
  | { type: 'choice'; id: string }
  | { type: 'location'; lat: number; lng: number; label?: string }
  | { type: 'voice'; mediaId?: string; mimeType?: string }
  | { type: 'image'; mediaId?: string; caption?: string }
  | { type: 'document'; mediaId?: string; fileName?: string; caption?: string }
  | { type: 'sticker' }
  /** Anything else a platform can deliver (contacts, polls, videos…), named for logs; `caption` when it had one. */
  | { type: 'unsupported'; what: string; caption?: string };

/** One message from a person, as every channel delivers it to the core. */
export interface InboundMessage {
  channel: ChannelName;
  /** The person's address on that channel (chat id, phone number, web session). Never shown to staff. */
  address: string;
  /** The platform's id for this message, unique per channel; the deduplication key. */
  externalId: string;
  receivedAt: Date;
  content: InboundContent;
  /** The platform's language hint (Telegram `language_code`), a BCP 47 tag. */
  languageHint?: string;
  /** A deep-link payload such as `space_millepiani` from `/start space_millepiani`. */
  startPayload?: string;
  /**
   * Other identifiers of the same person on this channel that came with the message (WhatsApp: the
   * business-scoped user id next to the phone number). The person is found by any of them, and the
   * ones not yet known are linked to that person.
   */
  aliases?: string[];
  /**
   * This message is an edit of an earlier one (its platform id). An edit of a message already
   * answered is not answered again; one not yet handled is handled with the new content.
   */
  editOf?: string;
}

/** An option the person can choose. `id` is opaque to channels; keep it short (Telegram allows 64 bytes). */
export interface Choice {
  id: string;
  label: string;
  /** A short second line where the channel has room (WhatsApp list rows). */
  description?: string;
}

/** A place to show on a map. */
export interface Place {
  name: string;
  address: string;
  lat: number;
  lng: number;
}

/** One thing the bot says. At least one of `text`, `place`, `media`. */
export interface OutboundMessage {
  text?: string;
  choices?: Choice[];
  place?: Place;
  media?: { kind: 'image' | 'document'; url: string; fileName?: string };
}

/** What a channel can show; the renderer adapts every message to it. */
export interface ChannelCapabilities {
  /** Longest text in one message. */
  maxTextLength: number;
  /** How many choices fit as buttons; more are shown as a numbered list (or as a channel-specific list). */
  maxButtons: number;
  /** Longest button label; longer labels are shortened at a word boundary with an ellipsis. */
  maxButtonLabel: number;
  /** Longest choice id in UTF-8 bytes. */
  maxChoiceIdBytes: number;
  /** Whether a place can be sent as a native location (otherwise: text with a map link). */
  locations: boolean;
  /** Whether images and documents can be sent. */
  media: boolean;
}

/** The result of handling one inbound message. */
export interface HandleResult {
  /** True when the message was already received before (same channel + external id): nothing was done. */
  duplicate: boolean;
  personId?: string;
  /** What the bot answered, before channel rendering. */
  replies: OutboundMessage[];
  /** The stored ids of `replies`, in the same order (the web chat uses them to show each message once). */
  replyIds?: number[];
  /** The language the bot answered in. */
  lang: string;
  /** True while the person waits for or talks with a human. */
  handoff: boolean;
  /**
   * The person's language as this turn stored it, and who decided (the understanding step, a
   * feature's pin, the person's choice); absent when the stored language did not change.
   */
  language?: { lang: string; source: 'explicit' | 'detected' | 'hint'; by: 'understanding' | 'pin' | 'choice' };
}
