/**
 * Adapts what the core says to what a channel can show: long text split at sentence boundaries,
 * labels shortened at word boundaries, choices that don't fit as buttons turned into a numbered list
 * (the person answers with the number; see {@link matchNumberedChoice}).
 */
import { digitValue, finishLabel, finishText } from '../i18n/bidi.js';
import type { ChannelCapabilities, Choice, OutboundMessage } from './types.js';

const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `max` characters (Unicode code points, as the platforms count them),
 * at a word boundary when there is one, never inside a grapheme, with an ellipsis.
 */
export function shorten(text: string, max: number): string {
  if ([...text].length <= max) return text;
  let cut = '';
  let used = 0;
  for (const { segment } of segmenter().segment(text)) {
    const size = [...segment].length;
    if (used + size > max - 1) break;
    cut += segment;
    used += size;
  }
  // Prefer the last word boundary in the second half of the allowed length.
  const words = [...wordSegmenter().segment(cut)];
  let end = cut.length;
  for (let i = words.length - 1; i > 0; i--) {
    const w = words[i]!;
    if (!w.isWordLike && w.index >= cut.length / 2) {
      end = w.index;
      break;
    }
  }
  return cut.slice(0, end).replace(/[\s,.;:–-]+$/u, '') + ELLIPSIS;
}

let graphemeSeg: Intl.Segmenter | undefined;
let wordSeg: Intl.Segmenter | undefined;
function segmenter(): Intl.Segmenter {
  return (graphemeSeg ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));
}
function wordSegmenter(): Intl.Segmenter {
  return (wordSeg ??= new Intl.Segmenter(undefined, { granularity: 'word' }));
}

/**
 * Splits text into parts of at most `max` characters, preferring paragraph, then line, then sentence,
 * then word boundaries; never loses a character except the whitespace at a split.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const at = lastBoundary(window, /\n\s*\n/g) ?? lastBoundary(window, /\n/g) ?? lastBoundary(window, /[.!?。！？؟۔।፧][\s"»”)]*\s/gu) ?? lastBoundary(window, /\s/g) ?? max;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function lastBoundary(window: string, re: RegExp): number | undefined {
  let best: number | undefined;
  for (const m of window.matchAll(re)) {
    const end = m.index + m[0].length;
    if (end >= window.length * 0.3) best = end;
  }
  return best;
}

/** Truncates an id to a byte budget (ids we mint are ASCII; this is a last guard). */
function fitId(id: string, maxBytes: number): string {
  let out = id;
  while (Buffer.byteLength(out, 'utf8') > maxBytes) out = out.slice(0, -1);
  return out;
}

/**
 * Renders one message for a channel. Returns one or more messages that each fit the capabilities;
 * choices always ride on the last one.
 *
 * With `lang` (the reader's language), this is where every outgoing text is finished for that
 * reader, whoever wrote it: one numeral system, and in a right-to-left language the bidi isolates
 * and direction marks (`finishText` / `finishLabel` in `src/i18n/bidi.ts`). Marks are added before
 * lengths are checked, so a message still fits.
 */
export function render(msg: OutboundMessage, caps: ChannelCapabilities, lang?: string): OutboundMessage[] {
  const text$ = (s: string) => (lang ? finishText(s, lang) : s);
  const label$ = (s: string) => (lang ? finishLabel(s, lang) : s);
  const out: OutboundMessage[] = [];
  if (msg.place) {
    if (caps.locations) out.push({ place: msg.place });
    else {
      const link = mapLink(msg.place.lat, msg.place.lng);
      out.push({ text: text$(`📍 ${msg.place.name}\n${msg.place.address}\n${link}`) });
    }
  }
  if (msg.media) out.push(caps.media ? { media: msg.media } : { text: msg.media.url });

  let text = text$(msg.text ?? '');
  let choices: Choice[] | undefined;
  if (msg.choices && msg.choices.length > 0) {
    if (msg.choices.length <= caps.maxButtons) {
      choices = msg.choices.map((c) => ({
        ...c,
        id: fitId(c.id, caps.maxChoiceIdBytes),
        label: shorten(label$(c.label), caps.maxButtonLabel),
        ...(c.description !== undefined ? { description: label$(c.description) } : {}),
      }));
    } else {
      text = [text, text$(numberedList(msg.choices))].filter(Boolean).join('\n\n');
    }
  }
  if (text) {
    const parts = splitText(text, caps.maxTextLength);
    parts.forEach((p, i) => out.push(i === parts.length - 1 && choices ? { text: p, choices } : { text: p }));
  } else if (choices) {
    out.push({ text: '👇', choices });
  }
  return out;
}

/** "1. Label" lines; the number is what the person types back. */
export function numberedList(choices: Choice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

/**
 * When the person answers a numbered list ("2", "2.", "٢", "#2"), returns the offered choice.
 * Works with any script's digits.
 */
export function matchNumberedChoice(text: string, offered: Choice[]): Choice | undefined {
  const m = text.trim().match(/^#?\s*(\p{Nd}{1,2})\s*[.)]?$/u);
  if (!m) return undefined;
  const n = Number([...m[1]!].map((d) => digitValue(d)).join(''));
  return Number.isInteger(n) && n >= 1 ? offered[n - 1] : undefined;
}

/** A map link that opens in any phone browser (OpenStreetMap; no tracking, no API key). */
export function mapLink(lat: number, lng: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat.toFixed(5)}&mlon=${lng.toFixed(5)}#map=17/${lat.toFixed(5)}/${lng.toFixed(5)}`;
}
