/** Pure helpers the console and the inbox share: a stored message as text for staff, ages, labels. */
import type { InboundContent, OutboundMessage } from '../core/types.js';
import { PRIORITY } from '../storage/handoff-store.js';
import type { StoredMessage } from '../storage/store.js';
import type { ConsoleStrings } from '../i18n/staff-strings.js';

/** A short readable text of a stored message, for staff. */
export function messageText(m: StoredMessage, labels: ReadonlyMap<string, string> = new Map()): string {
  const b = m.body as InboundContent & OutboundMessage;
  if (m.direction === 'out') {
    const parts = [b.text ?? ''];
    if (b.choices?.length) parts.push(b.choices.map((c) => `[${c.label}]`).join(' '));
    if (b.place) parts.push(`📍 ${b.place.name}`);
    if (b.media) parts.push(`(${b.media.kind})`);
    return parts.filter(Boolean).join('\n');
  }
  const c = m.body as InboundContent;
  switch (c.type) {
    case 'text':
      return c.text;
    case 'choice':
      return `[${labels.get(c.id) ?? c.id}]`;
    case 'location':
      return `📍 ${c.lat.toFixed(4)}, ${c.lng.toFixed(4)}`;
    case 'image':
    case 'document':
      return `(${c.type})${c.caption ? ` ${c.caption}` : ''}`;
    case 'voice':
      return '(voice message)';
    case 'sticker':
      return '(sticker)';
    default:
      return `(${c.what})`;
  }
}

export function ago(from: Date, now: Date): string {
  const min = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function priorityName(p: number, s: ConsoleStrings): string {
  return p >= PRIORITY.safety ? s.safety : p >= PRIORITY.high ? s.high : s.normal;
}

export function authorLabel(author: string, users: Map<number, string>): string {
  if (author.startsWith('facilitator:')) return users.get(Number(author.slice(12))) ?? author;
  return author;
}
