/**
 * Sends what the core says to WhatsApp through whatsapp-api-js (its fetch pointed at WHATSAPP_API_URL,
 * so tests use a local fake Graph API). Checks the 24-hour service window first: outside it, no free
 * text is attempted — an approved template invites the person back (if configured) and the message is
 * reported as held, so nothing "looks sent" that wasn't.
 */
import { WhatsAppAPI } from 'whatsapp-api-js';
import { BodyComponent, BodyParameter, Language, Template } from 'whatsapp-api-js/messages';
import type { ServerMessageResponse } from 'whatsapp-api-js/types';
import type { ChannelAdapter, MediaFile, MessagingWindow, SendContext, SendResult } from '../channel.js';
import { whatsappCapabilities } from '../channel.js';
import { bulkAuthor, RateLimiter, type RateLimit } from '../rate-limit.js';
import { scrubNumbers } from '../telegram/telegram-adapter.js';
import type { OutboundMessage } from '../../core/types.js';
import { BSUID } from './decode.js';
import { encodeWhatsApp, type EncodeWords } from './encode.js';

/** The Graph API version we build requests for. */
export const GRAPH_VERSION = 'v24.0';
/** WhatsApp's customer-service window. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Error codes that mean "too fast": retry later, never fail (shared/platform-limits.md). */
export const THROTTLE_CODES = new Set([4, 80007, 130429, 131048, 131056, 133016]);
/** Throttles that concern the whole number or account (not one person). */
const ACCOUNT_THROTTLE_CODES = new Set([4, 80007, 130429]);
/** Temporary server-side errors worth retrying. */
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016]);
/** Outside the 24-hour window (the platform's own check). */
const WINDOW_CODE = 131047;

export interface WhatsAppOptions {
  accessToken: string;
  phoneNumberId: string;
  apiUrl: string;
  rate?: RateLimit;
  template?: { name: string; language?: string };
  /** When the person last wrote to us (people.last_inbound_at). */
  lastInboundAt: (personId: string) => Promise<Date | null>;
  now: () => Date;
  /** Encoder words in a language (list button text). */
  words: (lang: string) => EncodeWords;
}

export class WhatsAppAdapter implements ChannelAdapter {
  readonly name = 'whatsapp' as const;
  readonly capabilities = whatsappCapabilities;
  /** The 24-hour service window: {@link WhatsAppAdapter.inWindow} and {@link WhatsAppAdapter.sendTemplate}. */
  readonly window: MessagingWindow = this;
  private readonly api: WhatsAppAPI;
  private readonly limiter: RateLimiter;
  private readonly base: string;

  constructor(private readonly opts: WhatsAppOptions) {
    const base = opts.apiUrl.replace(/\/+$/, '');
    this.base = base;
    // whatsapp-api-js always builds https://graph.facebook.com URLs: rewrite them to the configured base.
    const fetchVia: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input).replace(/^https:\/\/graph\.facebook\.com/, base);
      return fetch(url, init && typeof init.body === 'string' ? { ...init, body: bsuidRecipient(init.body) } : init);
    };
    this.api = new WhatsAppAPI({ token: opts.accessToken, v: GRAPH_VERSION, secure: false, ponyfill: { fetch: fetchVia } });
    this.limiter = new RateLimiter(opts.rate ?? { perSecond: 80 });
  }

  async send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
    const last = ctx.lastInboundAt !== undefined ? ctx.lastInboundAt : await this.opts.lastInboundAt(ctx.personId);
    if (!last || this.opts.now().getTime() - last.getTime() > SERVICE_WINDOW_MS) return this.outsideWindow(address, ctx);
    let parts;
    try {
      parts = encodeWhatsApp(msg, this.opts.words(ctx.lang), ctx.messageId);
    } catch (err) {
      return { ok: false, retryable: false, error: `whatsapp: cannot encode (${err instanceof Error ? err.message : 'unknown'})` };
    }
    if (parts.length === 0) return { ok: false, retryable: false, error: 'whatsapp: empty message' };
    let externalId: string | undefined;
    // A retry resumes after the parts a previous attempt delivered.
    for (let i = ctx.fromPart ?? 0; i < parts.length; i++) {
      const r = await this.post(address, parts[i]!, ctx);
      if (!r.ok) return r;
      externalId = r.externalId;
      if (i < parts.length - 1) await ctx.onPartSent?.(i + 1);
    }
    if (externalId === undefined) return { ok: false, retryable: false, error: 'whatsapp: no part left to send' };
    return { ok: true, externalId };
  }

  /**
   * Sends the configured approved template with body parameters (a broadcast to someone outside the
   * 24-hour window). Fails without sending when no template is configured.
   */
  async sendTemplate(address: string, lang: string, params: string[], ctx: SendContext): Promise<SendResult> {
    const t = this.opts.template;
    if (!t) return { ok: false, retryable: false, outsideWindow: true, error: 'whatsapp: outside the 24-hour window, no template configured' };
    const [first, ...rest] = params.map((p) => new BodyParameter(p));
    const components = first ? [new BodyComponent(first, ...rest)] : [];
    return this.post(address, new Template(t.name, new Language(t.language ?? lang), ...components), ctx);
  }

  /** Whether someone who last wrote at `last` is inside the 24-hour window now (free text allowed). */
  inWindow(last: Date | null): boolean {
    return !!last && this.opts.now().getTime() - last.getTime() <= SERVICE_WINDOW_MS;
  }

  /** Downloads media: GET /{media-id} gives a short-lived URL, fetched with the same token. */
  async fetchMedia(mediaId: string, maxBytes: number): Promise<MediaFile | undefined> {
    if (!/^\d{1,30}$/.test(mediaId)) return undefined;
    const auth = { Authorization: `Bearer ${this.opts.accessToken}` };
    const meta = await fetch(`${this.base}/${GRAPH_VERSION}/${mediaId}`, { headers: auth });
    if (!meta.ok) return undefined;
    const info = (await meta.json()) as { url?: string; mime_type?: string; file_size?: number | string };
    if (!info.url || Number(info.file_size ?? 0) > maxBytes) return undefined;
    const res = await fetch(info.url, { headers: auth });
    if (!res.ok) return undefined;
    const data = new Uint8Array(await res.arrayBuffer());
    return data.length > maxBytes ? undefined : { data, mimeType: info.mime_type ?? res.headers.get('content-type') ?? 'audio/ogg' };
  }

  /** Outside the window: invite the person back with the approved template (if any); the message waits. */
  private async outsideWindow(address: string, ctx: SendContext): Promise<SendResult> {
    const t = this.opts.template;
    if (!t) return { ok: false, retryable: false, outsideWindow: true, error: 'whatsapp: outside the 24-hour window, no template configured' };
    const r = await this.post(address, new Template(t.name, new Language(t.language ?? ctx.lang)), ctx);
    if (!r.ok && r.retryable) return r;
    return {
      ok: false,
      retryable: false,
      outsideWindow: true,
      error: r.ok ? 'whatsapp: outside the 24-hour window, template sent' : `whatsapp: outside the 24-hour window, template failed (${r.error})`,
    };
  }

  private async post(address: string, message: Parameters<WhatsAppAPI['sendMessage']>[2], ctx: SendContext): Promise<SendResult> {
    let done: () => void;
    try {
      // The "in flight" mark (beforeSend) is written while the place's second runs out.
      done = await this.limiter.take(address, bulkAuthor(ctx.author), ctx.beforeSend);
    } catch (err) {
      return { ok: false, retryable: true, error: `whatsapp: not sent (${err instanceof Error ? err.message.slice(0, 120) : 'unknown'})` };
    }
    let res: ServerMessageResponse;
    try {
      await this.limiter.whilePaused();
      res = await this.api.sendMessage(this.opts.phoneNumberId, address, message);
    } catch (err) {
      // Network errors and non-JSON answers (a proxy's HTML error page).
      return { ok: false, retryable: true, error: `whatsapp: network (${err instanceof Error ? err.message.slice(0, 120) : 'unknown'})` };
    } finally {
      done(); // the answer is back: Meta has counted this request
    }
    if ('error' in res && res.error) {
      const failure = whatsappFailure(res.error.code, res.error.message);
      // Throughput limits of the whole number or account hold every send; the pair rate is per person.
      if (ACCOUNT_THROTTLE_CODES.has(res.error.code) && !failure.ok && failure.retryAfterMs) this.limiter.pauseFor(failure.retryAfterMs);
      return failure;
    }
    const id = 'messages' in res ? res.messages?.[0]?.id : undefined;
    if (!id) return { ok: false, retryable: true, error: 'whatsapp: answer without a message id' };
    return { ok: true, externalId: id };
  }
}

/**
 * A send addressed by business-scoped user id: whatsapp-api-js 6.2 writes every recipient in `to`
 * (6.3, which knows BSUIDs, needs Node 22), but the Cloud API takes a BSUID in `recipient` (a phone
 * number stays in `to`, which Meta prefers when both are given).
 */
export function bsuidRecipient(body: string): string {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return body;
  const { to, ...rest } = request as Record<string, unknown>;
  if (typeof to !== 'string' || !BSUID.test(to)) return body;
  return JSON.stringify({ ...rest, recipient_type: 'individual', recipient: to });
}

/** Maps a Graph API error code to a send result. */
export function whatsappFailure(code: number, message = ''): SendResult {
  const error = scrubNumbers(`whatsapp ${code}: ${message}`).slice(0, 200);
  if (THROTTLE_CODES.has(code)) return { ok: false, retryable: true, retryAfterMs: code === 131056 ? 6000 : 5000, error };
  if (TEMPORARY_CODES.has(code)) return { ok: false, retryable: true, error };
  if (code === WINDOW_CODE) return { ok: false, retryable: false, outsideWindow: true, error };
  return { ok: false, retryable: false, error };
}
