/**
 * The channel contract. A channel decodes platform payloads into the core's InboundMessage (in its
 * own folder, next to its webhook) and sends OutboundMessages that the renderer already fitted to its
 * capabilities.
 */
import type { BuiltinChannelName, ChannelCapabilities, ChannelName, OutboundMessage } from '../core/types.js';

/** The outcome of one send. Expected failures are values, not exceptions. */
export type SendResult =
  | { ok: true; externalId?: string }
  | {
      ok: false;
      /** Whether trying again later can help (rate limits, 5xx, network). */
      retryable: boolean;
      /** How long the platform asked us to wait. */
      retryAfterMs?: number;
      /** A short reason with the platform's code, shown to staff where relevant. */
      error: string;
      /** The person blocked the bot or the address no longer exists: send nothing more. */
      unreachable?: boolean;
      /** WhatsApp: outside the 24-hour window, free text is not allowed. */
      outsideWindow?: boolean;
    };

export interface SendContext {
  personId: string;
  messageId: number;
  /** The person's language (for templates). */
  lang: string;
  /** Who wrote it: `bot`, `facilitator:<id>`… (the web chat marks a person's answers). */
  author?: string;
  /** When the person last wrote, if the caller already knows (WhatsApp's 24-hour window; saves a lookup). */
  lastInboundAt?: Date | null;
  /**
   * A message that needs several platform calls (a place, then its text) resumes after the parts a
   * previous attempt already delivered: parts before `fromPart` are skipped, so a retry never repeats
   * them. Default 0.
   */
  fromPart?: number;
  /** Called after each delivered part with the count delivered so far, so the caller can store it. */
  onPartSent?: (partsSent: number) => Promise<void>;
  /**
   * Called once the rate limiter has booked the request's place (at most `MAX_LEAD_MS` ahead, while
   * that place's second runs out) and before it is sent (once per request of a message). The broadcast
   * engine records the send as "in flight" here: if the process dies, a record that never got this
   * far is sent later, one that did is never sent again. A throw stops the send.
   */
  beforeSend?: () => Promise<void>;
}

/** A downloaded media file (a voice note to transcribe). */
export interface MediaFile {
  data: Uint8Array;
  mimeType: string;
}

/**
 * A platform that allows free text only for a while after the person last wrote (WhatsApp's 24-hour
 * service window). Outside it, a broadcast goes as an approved template inviting the person back.
 */
export interface MessagingWindow {
  /** Whether someone who last wrote at `last` is inside the window now (free text allowed). */
  inWindow(last: Date | null): boolean;
  /** Sends the approved template with its body parameters (fails without sending when none is configured). */
  sendTemplate(address: string, lang: string, params: string[], ctx: SendContext): Promise<SendResult>;
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult>;
  /** Downloads a media file by the id an inbound message carried (undefined: too big or gone). */
  fetchMedia?(mediaId: string, maxBytes: number): Promise<MediaFile | undefined>;
  /** Present when the platform has a messaging window (the broadcast engine asks it, never the adapter's class). */
  readonly window?: MessagingWindow;
}

/** Capabilities of the channels that have no platform limits of their own. */
export const webCapabilities: ChannelCapabilities = {
  maxTextLength: 4000,
  maxButtons: 20,
  maxButtonLabel: 48,
  maxChoiceIdBytes: 256,
  locations: true,
  media: true,
};

export const terminalCapabilities: ChannelCapabilities = {
  maxTextLength: 4000,
  maxButtons: 0,
  maxButtonLabel: 60,
  maxChoiceIdBytes: 256,
  locations: false,
  media: false,
};

/** Telegram Bot API limits (see shared/platform-limits.md). */
export const telegramCapabilities: ChannelCapabilities = {
  maxTextLength: 4096,
  maxButtons: 20,
  maxButtonLabel: 40,
  maxChoiceIdBytes: 64,
  locations: true,
  media: true,
};

/**
 * WhatsApp Cloud API limits. Up to 3 reply buttons (20 characters) or a list of up to 10 rows
 * (24 characters); the WhatsApp encoder picks buttons, a list, or a paged list (9 rows + "more") for
 * up to 30 choices; the renderer only needs the largest.
 */
export const whatsappCapabilities: ChannelCapabilities = {
  maxTextLength: 4096,
  maxButtons: 30,
  maxButtonLabel: 24,
  maxChoiceIdBytes: 200,
  locations: true,
  media: true,
};

/** The built-in channels' capabilities (a registered channel's adapter carries its own). */
export const capabilitiesOf: Record<BuiltinChannelName, ChannelCapabilities> = {
  web: webCapabilities,
  terminal: terminalCapabilities,
  telegram: telegramCapabilities,
  whatsapp: whatsappCapabilities,
};

/**
 * The capabilities to render for on a channel that has no adapter here (not configured in this
 * process): a built-in channel's own, else the most conservative (the terminal's: text only).
 */
export function capabilitiesFor(name: ChannelName): ChannelCapabilities {
  return (capabilitiesOf as Partial<Record<ChannelName, ChannelCapabilities>>)[name] ?? terminalCapabilities;
}

/** A channel that accepts everything and sends nowhere (simulator, tests, channels not configured). */
export class NullChannel implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities;
  readonly sent: { address: string; msg: OutboundMessage }[] = [];
  constructor(readonly name: ChannelName) {
    this.capabilities = capabilitiesFor(name);
  }
  async send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
    this.sent.push({ address, msg });
    return { ok: true, externalId: `${this.name}-${ctx.messageId}` };
  }
}
