/**
 * Sends what the core says to Telegram through grammY's `Api` (pointed at TELEGRAM_API_ROOT, so tests
 * use a local fake Bot API). Choices become an inline keyboard, a place a venue, and every failure a
 * {@link SendResult}: 429 → retry after `retry_after`, 5xx / network → retry, 403 → unreachable.
 */
import { Api, GrammyError, HttpError } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { ChannelAdapter, MediaFile, SendContext, SendResult } from '../channel.js';
import { telegramCapabilities } from '../channel.js';
import { bulkAuthor, RateLimiter, type RateLimit } from '../rate-limit.js';
import type { Choice, OutboundMessage } from '../../core/types.js';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  rate?: RateLimit;
}

/** Telegram's limit on `callback_data`, in bytes. */
export const CALLBACK_DATA_BYTES = 64;

export class TelegramAdapter implements ChannelAdapter {
  readonly name = 'telegram' as const;
  readonly capabilities = telegramCapabilities;
  readonly api: Api;
  private readonly limiter: RateLimiter;

  constructor(private readonly opts: TelegramOptions) {
    this.api = new Api(opts.token, { apiRoot: opts.apiRoot.replace(/\/+$/, '') });
    this.limiter = new RateLimiter(opts.rate ?? { perSecond: 30, perAddress: 1 });
  }

  async send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
    const bulk = bulkAuthor(ctx.author);
    const chatId = Number(address);
    if (!Number.isSafeInteger(chatId)) return { ok: false, retryable: false, error: 'telegram: not a chat id' };
    // One platform call per part; a retry resumes after the parts already delivered.
    const parts: (() => Promise<{ message_id: number }>)[] = [];
    if (msg.place) {
      const p = msg.place;
      parts.push(() => this.api.sendVenue(chatId, p.lat, p.lng, p.name, p.address));
    }
    if (msg.media) {
      const m = msg.media;
      parts.push(() => (m.kind === 'image' ? this.api.sendPhoto(chatId, m.url) : this.api.sendDocument(chatId, m.url)));
    }
    if (msg.text || msg.choices?.length) {
      const reply_markup = msg.choices?.length ? { inline_keyboard: keyboard(msg.choices) } : undefined;
      parts.push(() => this.api.sendMessage(chatId, msg.text || '👇', reply_markup ? { reply_markup } : {}));
    }
    try {
      let lastId: number | undefined;
      for (let i = ctx.fromPart ?? 0; i < parts.length; i++) {
        // The "in flight" mark (beforeSend) is written while the place's second runs out.
        const done = await this.limiter.take(address, bulk, ctx.beforeSend);
        try {
          await this.limiter.whilePaused();
          lastId = (await parts[i]!()).message_id;
        } finally {
          done(); // the answer is back: Telegram has counted this request
        }
        if (i < parts.length - 1) await ctx.onPartSent?.(i + 1);
      }
      if (lastId === undefined) return { ok: false, retryable: false, error: 'telegram: empty message' };
      return { ok: true, externalId: `${chatId}:${lastId}` };
    } catch (err) {
      const failure = telegramFailure(err);
      // A 429 is about the whole bot: hold every send, not only this one.
      if (!failure.ok && failure.retryAfterMs) this.limiter.pauseFor(failure.retryAfterMs);
      return failure;
    }
  }

  /** Downloads a file by its file_id (getFile, then the file URL; bots may download up to 20 MB). */
  async fetchMedia(fileId: string, maxBytes: number): Promise<MediaFile | undefined> {
    const file = await this.api.getFile(fileId);
    if (!file.file_path || (file.file_size ?? 0) > maxBytes) return undefined;
    const res = await fetch(`${this.opts.apiRoot.replace(/\/+$/, '')}/file/bot${this.opts.token}/${file.file_path}`);
    if (!res.ok) return undefined;
    const data = new Uint8Array(await res.arrayBuffer());
    if (data.length > maxBytes) return undefined;
    return { data, mimeType: res.headers.get('content-type') ?? 'audio/ogg' };
  }

  /** Stops the spinning clock on a pressed button. Failures do not matter (the query may be old). */
  async answerCallback(id: string): Promise<void> {
    await this.api.answerCallbackQuery(id).catch(() => undefined);
  }
}

/** One button per row: labels stay readable in every script and on small phones. */
export function keyboard(choices: Choice[]): InlineKeyboardButton[][] {
  return choices.filter((c) => Buffer.byteLength(c.id, 'utf8') <= CALLBACK_DATA_BYTES && c.id.length > 0).map((c) => [{ text: c.label, callback_data: c.id }]);
}

/**
 * Long digit runs (chat ids, phone numbers) and WhatsApp business-scoped user ids
 * (`US.13491208655302741918`) never reach a stored error or a log.
 */
export function scrubNumbers(text: string): string {
  return text.replace(/\b[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{6,128}\b/g, '…').replace(/\+?\d[\d ]{6,}\d/g, '…');
}

/** Maps a grammY error to a send result. */
export function telegramFailure(err: unknown): SendResult {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const error = scrubNumbers(`telegram ${code}: ${err.description}`).slice(0, 200);
    if (code === 429) return { ok: false, retryable: true, retryAfterMs: (err.parameters.retry_after ?? 1) * 1000, error };
    if (code >= 500) return { ok: false, retryable: true, error };
    if (code === 403) return { ok: false, retryable: false, unreachable: true, error };
    return { ok: false, retryable: false, error };
  }
  // Network errors and non-JSON answers (Telegram's proxy can send an HTML 502 page).
  if (err instanceof HttpError) return { ok: false, retryable: true, error: `telegram: network (${err.message.slice(0, 120)})` };
  return { ok: false, retryable: true, error: `telegram: ${err instanceof Error ? err.message.slice(0, 160) : 'unknown error'}` };
}
