/**
 * WhatsApp Cloud API webhook body → messages and statuses. A pure function over untrusted JSON that
 * never throws. Unlike whatsapp-api-js (which passes on only the first message and throws on odd
 * bodies), it reads every message and status in every entry and change.
 */
import type { InboundContent, InboundMessage } from '../../core/types.js';
import { arr, latLng, obj, str, type Json } from '../payload.js';

/** The delivery state of one of our messages, as a status webhook reports it. */
export interface WhatsAppStatus {
  /** The wamid our send returned. */
  externalId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** The first error code of a failed message (131047: outside the 24-hour window, …). */
  errorCode?: number;
  errorTitle?: string;
}

export type WhatsAppDecoded =
  | { kind: 'batch'; messages: InboundMessage[]; statuses: WhatsAppStatus[]; ignored: string[] }
  | { kind: 'rejected'; reason: string };

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * Decodes one webhook POST body. `phoneNumberId`, when given, drops changes for other numbers of the
 * same Meta app.
 */
export function decodeWhatsAppWebhook(body: unknown, receivedAt: Date = new Date(), phoneNumberId?: string): WhatsAppDecoded {
  const root = obj(body);
  if (!root) return { kind: 'rejected', reason: 'not a JSON object' };
  if (root.object !== 'whatsapp_business_account') return { kind: 'rejected', reason: 'not a WhatsApp Business webhook' };
  if (!Array.isArray(root.entry)) return { kind: 'rejected', reason: 'no entry list' };
  const messages: InboundMessage[] = [];
  const statuses: WhatsAppStatus[] = [];
  const ignored: string[] = [];
  for (const e of root.entry) {
    for (const ch of arr(obj(e)?.changes)) {
      const change = obj(ch);
      const value = obj(change?.value);
      if (!change || !value) {
        ignored.push('change without value');
        continue;
      }
      if (change.field !== 'messages') {
        ignored.push(`field ${String(change.field).slice(0, 40)}`);
        continue;
      }
      const ours = str(obj(value.metadata)?.phone_number_id);
      if (phoneNumberId && ours && ours !== phoneNumberId) {
        ignored.push('another phone number');
        continue;
      }
      for (const m of arr(value.messages)) {
        const decoded = decodeMessage(m, receivedAt);
        if ('skip' in decoded) ignored.push(decoded.skip);
        else messages.push(decoded);
      }
      for (const s of arr(value.statuses)) {
        const decoded = decodeStatus(s);
        if (decoded) statuses.push(decoded);
        else ignored.push('malformed status');
      }
      if (value.messages === undefined && value.statuses === undefined) ignored.push('change without messages or statuses');
    }
  }
  return { kind: 'batch', messages, statuses, ignored };
}

/** A whole message that is a space deep link (see `posterLinks`). */
const SPACE_LINK = /^\s*space[_ ]([a-z0-9_-]{1,40})\s*$/i;

function decodeMessage(raw: unknown, receivedAt: Date): InboundMessage | { skip: string } {
  const m = obj(raw);
  const from = str(m?.from);
  const id = str(m?.id);
  if (!m || !from || !/^\d{5,20}$/.test(from)) return { skip: 'message without a valid sender' };
  if (!id) return { skip: 'message without id' };
  const content = messageContent(m);
  if (!content) return { skip: `malformed ${str(m.type) ?? 'message'}` };
  // A poster's WhatsApp QR code opens the chat with "space_<id>" typed in: the same deep link as
  // Telegram's /start space_<id> (the space's card). "space <id>" typed by hand works too.
  const deep = content.type === 'text' ? SPACE_LINK.exec(content.text) : null;
  if (deep) return { channel: 'whatsapp', address: from, externalId: id, receivedAt, content: { type: 'text', text: '/start' }, startPayload: `space_${deep[1]!.toLowerCase()}` };
  return { channel: 'whatsapp', address: from, externalId: id, receivedAt, content };
}

function messageContent(m: Json): InboundContent | undefined {
  const type = str(m.type);
  switch (type) {
    case 'text': {
      const body = str(obj(m.text)?.body);
      return body === undefined ? undefined : { type: 'text', text: body };
    }
    case 'interactive': {
      const i = obj(m.interactive);
      const reply = obj(i?.button_reply) ?? obj(i?.list_reply);
      const id = str(reply?.id);
      return id ? { type: 'choice', id } : { type: 'unsupported', what: `interactive ${str(i?.type) ?? 'unknown'}`.slice(0, 60) };
    }
    case 'button': {
      // A quick-reply tap on a template: the payload is the id we set.
      const payload = str(obj(m.button)?.payload);
      const text = str(obj(m.button)?.text);
      return payload ? { type: 'choice', id: payload } : text ? { type: 'text', text } : undefined;
    }
    case 'location': {
      const l = obj(m.location);
      const point = latLng(l?.latitude, l?.longitude);
      if (!point) return undefined;
      const label = [str(l?.name), str(l?.address)].filter(Boolean).join(', ');
      return label ? { type: 'location', ...point, label } : { type: 'location', ...point };
    }
    case 'audio':
    case 'voice': {
      const a = obj(m.audio) ?? obj(m.voice);
      return { type: 'voice', mediaId: str(a?.id), mimeType: str(a?.mime_type) };
    }
    case 'image': {
      const img = obj(m.image);
      const caption = str(img?.caption);
      return { type: 'image', mediaId: str(img?.id), ...(caption ? { caption } : {}) };
    }
    case 'document': {
      const d = obj(m.document);
      const caption = str(d?.caption);
      return { type: 'document', mediaId: str(d?.id), fileName: str(d?.filename), ...(caption ? { caption } : {}) };
    }
    case 'sticker':
      return { type: 'sticker' };
    case 'reaction':
      // A 👍 on one of our messages is answered like a sticker (a friendly prompt), not as "unreadable".
      return { type: 'sticker' };
    case 'unsupported':
      return { type: 'unsupported', what: (str(obj(m.unsupported)?.type) ?? 'unknown').slice(0, 40) };
    default:
      // contacts (other people's numbers: never stored), video, order, system…
      return { type: 'unsupported', what: (type ?? 'unknown').slice(0, 40) };
  }
}

function decodeStatus(raw: unknown): WhatsAppStatus | undefined {
  const s = obj(raw);
  const id = str(s?.id);
  const status = str(s?.status);
  if (!s || !id || !status || !STATUSES.has(status)) return undefined;
  const err = obj(arr(s.errors)[0]);
  const code = typeof err?.code === 'number' ? err.code : undefined;
  return {
    externalId: id,
    status: status as WhatsAppStatus['status'],
    ...(code !== undefined ? { errorCode: code } : {}),
    ...(str(err?.title) ? { errorTitle: str(err?.title)!.slice(0, 120) } : {}),
  };
}
