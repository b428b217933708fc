/**
 * WhatsApp Cloud API webhook body → messages, statuses, reactions and identity changes. A pure
 * function over untrusted JSON that never throws. Unlike whatsapp-api-js (which passes on only the
 * first message and throws on odd bodies), it reads every message and status in every entry and change.
 *
 * A person is identified by their phone number, their business-scoped user id (BSUID, e.g.
 * `US.13491208655302741918`), or both: Meta sends the BSUID in `messages[].from_user_id` and
 * `contacts[].user_id`, and may leave the phone number out (`from`, `contacts[].wa_id`) for people
 * who adopted a username. The message's address is the phone number when there is one (what we send
 * to first), the BSUID otherwise; the other one comes along as an alias.
 */
import type { InboundContent, InboundMessage } from '../../core/types.js';
import type { Reaction } from '../reaction.js';
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

/**
 * A person's identifiers changed (a system message): `retired` stop being theirs, `current` are
 * theirs from now on; `known` are the identifiers to find them by.
 */
export interface IdentityChange {
  known: string[];
  retired: string[];
  current: string[];
}

export type WhatsAppDecoded =
  | {
      kind: 'batch';
      messages: InboundMessage[];
      statuses: WhatsAppStatus[];
      /** Reactions to our messages (feedback; never answered). */
      reactions: Reaction[];
      identities: IdentityChange[];
      /** Identifiers a status reported together (a phone number and a BSUID of one person). */
      links: string[][];
      ignored: string[];
    }
  | { kind: 'rejected'; reason: string };

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/** A WhatsApp phone number as the webhooks write it (digits only, with the country code). */
export const PHONE = /^\d{5,20}$/;
/**
 * A business-scoped user id: an ISO 3166 two-letter country code, a period, then up to 128
 * alphanumeric characters (a parent BSUID has `ENT.` after the country code).
 */
export const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

const phoneOf = (v: unknown): string | undefined => {
  const s = str(v);
  return s && PHONE.test(s) ? s : undefined;
};
const bsuidOf = (v: unknown): string | undefined => {
  const s = str(v);
  return s && BSUID.test(s) ? s : undefined;
};

/** The sender's identifiers: from the message itself, completed by its entry in `contacts`. */
function senderOf(m: Json, contacts: Json[]): { phone?: string; bsuid?: string } {
  let phone = phoneOf(m.from);
  let bsuid = bsuidOf(m.from_user_id) ?? bsuidOf(m.from);
  const contact = contacts.find((c) => (phone && str(c.wa_id) === phone) || (bsuid && str(c.user_id) === bsuid)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  if (contact) {
    const cPhone = phoneOf(contact.wa_id);
    const cBsuid = bsuidOf(contact.user_id);
    // A lone contact is only trusted when it does not contradict the message.
    if ((!phone || !cPhone || cPhone === phone) && (!bsuid || !cBsuid || cBsuid === bsuid)) {
      phone ??= cPhone;
      bsuid ??= cBsuid;
    }
  }
  return { ...(phone ? { phone } : {}), ...(bsuid ? { bsuid } : {}) };
}

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
  const reactions: Reaction[] = [];
  const identities: IdentityChange[] = [];
  const links: string[][] = [];
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
      const contacts = arr(value.contacts)
        .map(obj)
        .filter((c): c is Json => !!c);
      for (const m of arr(value.messages)) {
        const decoded = decodeMessage(m, contacts, receivedAt);
        if ('skip' in decoded) ignored.push(decoded.skip);
        else if ('reaction' in decoded) reactions.push(decoded.reaction);
        else if ('identity' in decoded) identities.push(decoded.identity);
        else messages.push(decoded);
      }
      for (const s of arr(value.statuses)) {
        const decoded = decodeStatus(s);
        if (decoded) statuses.push(decoded);
        else ignored.push('malformed status');
        const o = obj(s);
        const together = [phoneOf(o?.recipient_id), bsuidOf(o?.recipient_user_id)].filter((x): x is string => !!x);
        if (together.length === 2) links.push(together);
      }
      // Status webhooks name the person in `contacts` too, with both identifiers when Meta has both.
      if (value.statuses !== undefined) {
        for (const c of contacts) {
          const together = [phoneOf(c.wa_id), bsuidOf(c.user_id)].filter((x): x is string => !!x);
          if (together.length === 2) links.push(together);
        }
      }
      if (value.messages === undefined && value.statuses === undefined) ignored.push('change without messages or statuses');
    }
  }
  return { kind: 'batch', messages, statuses, reactions, identities, links, ignored };
}

/** A whole message that is a space deep link (see `posterLinks`). */
const SPACE_LINK = /^\s*space[_ ]([a-z0-9_-]{1,40})\s*$/i;

function decodeMessage(raw: unknown, contacts: Json[], receivedAt: Date): InboundMessage | { reaction: Reaction } | { identity: IdentityChange } | { skip: string } {
  const m = obj(raw);
  if (!m) return { skip: 'message without a valid sender' };
  // A group the business number is in: the bot talks one to one only (like Telegram groups).
  if (m.group_id !== undefined) return { skip: 'group message' };
  const { phone, bsuid } = senderOf(m, contacts);
  const address = phone ?? bsuid;
  const id = str(m.id);
  if (!address) return { skip: 'message without a valid sender' };
  if (!id) return { skip: 'message without id' };
  const who = { channel: 'whatsapp' as const, address, ...(phone && bsuid ? { aliases: [bsuid] } : {}), receivedAt };
  const type = str(m.type);
  if (type === 'reaction') {
    const r = obj(m.reaction);
    const target = str(r?.message_id);
    if (!target) return { skip: 'malformed reaction' };
    const emoji = str(r?.emoji);
    return { reaction: { ...who, target, ...(emoji ? { emoji } : {}) } };
  }
  if (type === 'system') return identityChange(m, phone, bsuid);
  // A message the person deleted: nothing to answer (the original was answered already).
  if (type === 'revoke') return { skip: 'revoked message' };
  if (type === 'edit') {
    // Edits reach businesses on the WhatsApp Business app ("coexistence") only.
    const e = obj(m.edit);
    const original = str(e?.original_message_id);
    const edited = obj(e?.message);
    const content = edited ? messageContent(edited) : undefined;
    if (!original || !content) return { skip: 'malformed edit' };
    return { ...who, externalId: id, editOf: original, content };
  }
  const content = messageContent(m);
  if (!content) return { skip: `malformed ${str(m.type) ?? 'message'}` };
  // A poster's WhatsApp QR code opens the chat with "space_<id>" typed in: the same deep link as
  // Telegram's /start space_<id> (the space's card). "space <id>" typed by hand works too.
  const deep = content.type === 'text' ? SPACE_LINK.exec(content.text) : null;
  if (deep) return { ...who, externalId: id, content: { type: 'text', text: '/start' }, startPayload: `space_${deep[1]!.toLowerCase()}` };
  return { ...who, externalId: id, content };
}

/**
 * A system message: the person changed their number (`user_changed_number`: the new number in
 * `system.wa_id`, their new BSUID in `system.user_id`; Meta gives a new BSUID with a new number) or
 * their BSUID changed (`user_changed_user_id`). Anything else (`customer_identity_changed`) is noted.
 */
function identityChange(m: Json, phone: string | undefined, bsuid: string | undefined): { identity: IdentityChange } | { skip: string } {
  const sys = obj(m.system);
  const kind = str(sys?.type);
  const known = [phone, bsuid].filter((x): x is string => !!x);
  const newPhone = phoneOf(sys?.wa_id) ?? phoneOf(sys?.new_wa_id) ?? (typeof sys?.new_wa_id === 'number' ? phoneOf(String(sys.new_wa_id)) : undefined);
  const newBsuid = bsuidOf(sys?.user_id);
  if ((kind === 'user_changed_number' || kind === 'customer_changed_number') && (newPhone || newBsuid)) {
    const current = [newPhone, newBsuid].filter((x): x is string => !!x);
    return { identity: { known, retired: known.filter((x) => !current.includes(x)), current } };
  }
  if (kind === 'user_changed_user_id' && newBsuid) {
    return { identity: { known, retired: bsuid && bsuid !== newBsuid ? [bsuid] : [], current: [newBsuid] } };
  }
  return { skip: `system ${kind ?? 'message'}`.slice(0, 60) };
}

function messageContent(m: Json): InboundContent | undefined {
  const type = str(m.type);
  switch (type) {
    case 'text': {
      const body = str(obj(m.text)?.body);
      return body === undefined ? undefined : { type: 'text', text: body };
    }
    case 'request_welcome':
      // The person opened the chat for the first time: a greeting, like Telegram's /start.
      return { type: 'text', text: '/start' };
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
    case 'video': {
      const caption = str(obj(m.video)?.caption);
      return { type: 'unsupported', what: 'video', ...(caption ? { caption } : {}) };
    }
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
