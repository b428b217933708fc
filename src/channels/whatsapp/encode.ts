/**
 * OutboundMessage → whatsapp-api-js message objects, within WhatsApp's limits: ≤3 choices as reply
 * buttons (title ≤20), 4–10 as a list (row title ≤24, description ≤72, button text ≤20), more as a
 * paged list (9 rows and a "more" row that sends the rest), body ≤1,024 for interactive messages
 * (longer text goes first as its own message), places as location messages.
 */
import { ActionButtons, ActionList, Body, Button, Document, Image, Interactive, ListSection, Location, Row, Text } from 'whatsapp-api-js/messages';
import type { ClientMessage } from 'whatsapp-api-js/types';
import { shorten } from '../../core/render.js';
import type { Choice, OutboundMessage } from '../../core/types.js';

export const LIMITS = { buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, listButton: 20, interactiveBody: 1024, text: 4096 } as const;

/** Words the encoder needs in the person's language. */
export interface EncodeWords {
  /** The list's button ("Choose"). */
  listButton: string;
  /** The title and description of the row that shows the next page. */
  more: string;
  moreDescription: string;
}

/** The id of the "more" row: the stored outbound message whose remaining choices to send. */
export const MORE_PREFIX = 'wa:more:';
/** Choices on one page of a long list (the tenth row is "more"). */
export const PAGE_SIZE = LIMITS.rows - 1;

/**
 * Shortens to `max` UTF-16 units (what whatsapp-api-js checks; an emoji counts 2), meaningfully:
 * at a word boundary with an ellipsis, never inside a character.
 */
export function fit(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  for (let m = max; m > 1; m--) {
    const s = shorten(clean, m);
    if (s.length <= max) return s;
  }
  return '…';
}

/** Titles must be unique within one message: a repeated title gets a number. */
function unique(titles: string[], max: number): string[] {
  const seen = new Set<string>();
  return titles.map((t, i) => {
    let out = t;
    for (let n = 2; seen.has(out); n++) out = `${fit(t, max - String(n).length - 1)} ${n}`;
    seen.add(out);
    return out || String(i + 1);
  });
}

/** The messages to send, in order. */
export function encodeWhatsApp(msg: OutboundMessage, words: EncodeWords, messageId = 0): ClientMessage[] {
  const out: ClientMessage[] = [];
  if (msg.place) out.push(new Location(msg.place.lng, msg.place.lat, fit(msg.place.name, 100), fit(msg.place.address, 200)));
  if (msg.media) {
    out.push(msg.media.kind === 'image' ? new Image(msg.media.url, false) : new Document(msg.media.url, false, undefined, msg.media.fileName));
  }
  const text = (msg.text ?? '').trim();
  let choices = (msg.choices ?? []).filter((c) => c.id.length > 0 && c.id.length <= 200 && !/^ | $/.test(c.id));
  if (choices.length > LIMITS.rows) {
    choices = [...choices.slice(0, PAGE_SIZE), { id: `${MORE_PREFIX}${messageId}`, label: words.more, description: words.moreDescription }];
  }
  if (choices.length === 0) {
    if (text) out.push(new Text(text.slice(0, LIMITS.text)));
    return out;
  }
  let body = text || '👇';
  if (body.length > LIMITS.interactiveBody) {
    out.push(new Text(body.slice(0, LIMITS.text)));
    body = '👇';
  }
  out.push(choices.length <= LIMITS.buttons ? buttons(choices, body) : list(choices, body, words));
  return out;
}

function buttons(choices: Choice[], body: string): Interactive {
  const titles = unique(
    choices.map((c) => fit(c.label, LIMITS.buttonTitle)),
    LIMITS.buttonTitle,
  );
  const list = choices.map((c, i) => new Button(c.id, titles[i]!));
  return new Interactive(new ActionButtons(...(list as [Button, ...Button[]])), new Body(body));
}

function list(choices: Choice[], body: string, words: EncodeWords): Interactive {
  const titles = unique(
    choices.map((c) => fit(c.label, LIMITS.rowTitle)),
    LIMITS.rowTitle,
  );
  const rows = choices.map((c, i) => {
    // When the label had to be shortened, the full label goes in the description (72 characters).
    const description = c.description ?? (titles[i] !== c.label.trim() ? c.label : undefined);
    return new Row(c.id, titles[i]!, description ? fit(description, LIMITS.rowDescription) : undefined);
  });
  return new Interactive(new ActionList(fit(words.listButton, LIMITS.listButton), new ListSection(undefined, ...(rows as [Row, ...Row[]]))), new Body(body));
}
