/**
 * Telegram `Update` → what the core needs. A pure function over untrusted JSON: it never throws,
 * and every update ends as a message, a block notice, an acknowledged-and-ignored update or a
 * rejection with a reason (grammY itself accepts malformed updates, so the checks live here).
 */
import type { InboundContent, InboundMessage } from '../../core/types.js';
import { feedbackOf, type Reaction } from '../reaction.js';
import { arr, int, latLng, obj, str, type Json } from '../payload.js';

export type TelegramDecoded =
  /** A message from a person. `callbackQueryId` must be answered (answerCallbackQuery). */
  | { kind: 'message'; message: InboundMessage; callbackQueryId?: string }
  /** A reaction to a message in a private chat (`message_reaction`, when allowed_updates lists it). */
  | { kind: 'reaction'; reaction: Reaction }
  /** The person blocked the bot (`my_chat_member` → kicked): send nothing more. */
  | { kind: 'blocked'; address: string }
  /** A valid update the bot does not act on (groups, channels, reactions…). */
  | { kind: 'ignored'; reason: string }
  /** Not a usable Telegram update. */
  | { kind: 'rejected'; reason: string };

const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/;

/** Decodes one webhook body or long-polling update. */
export function decodeTelegramUpdate(body: unknown, receivedAt: Date = new Date()): TelegramDecoded {
  const update = obj(body);
  if (!update) return { kind: 'rejected', reason: 'not a JSON object' };
  const updateId = int(update.update_id);
  if (updateId === undefined) return { kind: 'rejected', reason: 'no update_id' };

  if (update.message !== undefined) return decodeMessage(update.message, receivedAt, false);
  if (update.edited_message !== undefined) return decodeMessage(update.edited_message, receivedAt, true);
  if (update.callback_query !== undefined) return decodeCallback(update.callback_query, receivedAt);
  if (update.my_chat_member !== undefined) return decodeMembership(update.my_chat_member);
  if (update.message_reaction !== undefined) return decodeReaction(update.message_reaction, receivedAt);
  const known = Object.keys(update).find((k) => k !== 'update_id');
  return { kind: 'ignored', reason: known ? `update type ${known.slice(0, 40)}` : 'empty update' };
}

function privateSender(m: Json): { chatId: number; from: Json } | { reject: string } | { ignore: string } {
  const chat = obj(m.chat);
  const chatId = int(chat?.id);
  if (!chat || chatId === undefined) return { reject: 'message without chat' };
  if (chat.type !== 'private') return { ignore: `${str(chat.type) ?? 'unknown'} chat` };
  const from = obj(m.from);
  if (!from || int(from.id) === undefined) return { reject: 'message without sender' };
  if (from.is_bot === true) return { ignore: 'message from a bot' };
  return { chatId, from };
}

function decodeMessage(raw: unknown, receivedAt: Date, edited: boolean): TelegramDecoded {
  const m = obj(raw);
  const messageId = int(m?.message_id);
  if (!m || messageId === undefined) return { kind: 'rejected', reason: 'message without message_id' };
  const who = privateSender(m);
  if ('reject' in who) return { kind: 'rejected', reason: who.reject };
  if ('ignore' in who) return { kind: 'ignored', reason: who.ignore };
  const content = messageContent(m);
  if (!content) return { kind: 'rejected', reason: 'message with a malformed field' };
  const message: InboundMessage = {
    channel: 'telegram',
    address: String(who.chatId),
    // An edit has its own id (the edit date makes each edit distinct, a redelivery equal) and points
    // at the original: the core answers it only when the original was never handled.
    externalId: edited ? `${who.chatId}:${messageId}:edit:${int(m.edit_date) ?? 0}` : `${who.chatId}:${messageId}`,
    ...(edited ? { editOf: `${who.chatId}:${messageId}` } : {}),
    receivedAt,
    content,
    languageHint: str(who.from.language_code),
  };
  if (content.type === 'text' && !edited) {
    const start = START.exec(content.text);
    if (start) {
      // `/start` alone is a greeting; a payload is a deep link (a QR poster at a space's door).
      message.content = { type: 'text', text: '/start' };
      if (start[1]) message.startPayload = start[1].slice(0, 64);
    }
  }
  return { kind: 'message', message };
}

function messageContent(m: Json): InboundContent | undefined {
  if (m.text !== undefined) {
    const text = str(m.text);
    return text === undefined ? undefined : { type: 'text', text };
  }
  if (m.venue !== undefined || m.location !== undefined) {
    const venue = obj(m.venue);
    const loc = obj(venue?.location) ?? obj(m.location);
    const point = latLng(loc?.latitude, loc?.longitude);
    if (!point) return undefined;
    const label = [str(venue?.title), str(venue?.address)].filter(Boolean).join(', ');
    return label ? { type: 'location', ...point, label } : { type: 'location', ...point };
  }
  const caption = str(m.caption);
  if (m.voice !== undefined || m.audio !== undefined) {
    const v = obj(m.voice) ?? obj(m.audio);
    return { type: 'voice', mediaId: str(v?.file_id), mimeType: str(v?.mime_type) };
  }
  if (m.photo !== undefined) {
    // Sizes come smallest first: keep the largest.
    const largest = obj(arr(m.photo).at(-1));
    return { type: 'image', mediaId: str(largest?.file_id), ...(caption ? { caption } : {}) };
  }
  // A GIF comes with a `document` copy of itself: it is an animation, not a document to read.
  if (m.document !== undefined && m.animation === undefined) {
    const d = obj(m.document);
    return { type: 'document', mediaId: str(d?.file_id), fileName: str(d?.file_name), ...(caption ? { caption } : {}) };
  }
  if (m.sticker !== undefined) return { type: 'sticker' };
  // Contacts (a phone number we do not want), video, polls, games…: named, not read; a caption
  // (videos, GIFs, music) is still the person's words.
  const what = ['contact', 'video_note', 'video', 'animation', 'audio', 'poll', 'dice', 'game', 'story'].find((k) => m[k] !== undefined);
  return { type: 'unsupported', what: what ?? 'other', ...(caption ? { caption } : {}) };
}

/**
 * `message_reaction`: a person changed their reactions to a message in a private chat. The feedback
 * one is the first 👍 / 👎 / ❤️ among the new reactions; none left means the reaction was removed.
 */
function decodeReaction(raw: unknown, receivedAt: Date): TelegramDecoded {
  const r = obj(raw);
  const chat = obj(r?.chat);
  const chatId = int(chat?.id);
  const messageId = int(r?.message_id);
  if (!r || !chat || chatId === undefined || messageId === undefined) return { kind: 'rejected', reason: 'message_reaction without chat or message_id' };
  if (chat.type !== 'private') return { kind: 'ignored', reason: `reaction in a ${str(chat.type) ?? 'unknown'} chat` };
  const user = obj(r.user);
  if (!user || int(user.id) === undefined) return { kind: 'ignored', reason: 'anonymous reaction' };
  if (user.is_bot === true) return { kind: 'ignored', reason: 'reaction from a bot' };
  const emojis = arr(r.new_reaction)
    .map(obj)
    .map((x) => (x?.type === 'emoji' ? str(x.emoji) : undefined))
    .filter((e): e is string => !!e);
  if (emojis.length === 0 && arr(r.new_reaction).length > 0) return { kind: 'ignored', reason: 'custom or paid reaction' };
  const emoji = emojis.find((e) => typeof feedbackOf(e) === 'boolean') ?? emojis[0];
  return { kind: 'reaction', reaction: { channel: 'telegram', address: String(chatId), target: `${chatId}:${messageId}`, ...(emoji ? { emoji } : {}), receivedAt } };
}

function decodeCallback(raw: unknown, receivedAt: Date): TelegramDecoded {
  const q = obj(raw);
  const id = str(q?.id);
  if (!q || !id) return { kind: 'rejected', reason: 'callback_query without id' };
  const from = obj(q.from);
  const fromId = int(from?.id);
  if (!from || fromId === undefined) return { kind: 'rejected', reason: 'callback_query without sender' };
  const chat = obj(obj(q.message)?.chat);
  if (chat && chat.type !== 'private') return { kind: 'ignored', reason: `${str(chat.type) ?? 'unknown'} chat` };
  const data = str(q.data);
  // Game buttons and inline-mode buttons carry no data: acknowledge, nothing to do.
  if (!data) return { kind: 'ignored', reason: 'callback_query without data' };
  return {
    kind: 'message',
    callbackQueryId: id,
    message: {
      channel: 'telegram',
      address: String(int(chat?.id) ?? fromId),
      externalId: `cb:${id}`,
      receivedAt,
      content: { type: 'choice', id: data },
      languageHint: str(from.language_code),
    },
  };
}

function decodeMembership(raw: unknown): TelegramDecoded {
  const u = obj(raw);
  const chat = obj(u?.chat);
  const chatId = int(chat?.id);
  if (!u || !chat || chatId === undefined) return { kind: 'rejected', reason: 'my_chat_member without chat' };
  if (chat.type !== 'private') return { kind: 'ignored', reason: 'group membership change' };
  const status = str(obj(u.new_chat_member)?.status);
  if (status === 'kicked') return { kind: 'blocked', address: String(chatId) };
  return { kind: 'ignored', reason: `membership ${status ?? 'unknown'}` };
}
