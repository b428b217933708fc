/**
 * The last step before any text leaves the bot: {@link finishText} makes a text read right in the
 * reader's language on plain-text channels (Telegram, WhatsApp, the web chat, a terminal). The
 * renderer (`src/core/render.ts`) calls it for every message, button label and list row, so fixed
 * strings, content, a facilitator's reply, a broadcast and a reminder all pass through this one place.
 *
 * What it does:
 * - **One numeral system per message**: every decimal digit becomes an ASCII digit, in every
 *   language. Phone numbers, street numbers and the emergency numbers are written with these digits
 *   in Italy and must stay dialable by a tap, so the bot's own numbers (dates, times, distances) use
 *   them too (see `intlLocale` in `format.ts`).
 * - In a **right-to-left language** (Arabic, Persian, Pashto, Urdu), line by line:
 *   - a line in that script keeps its direction whatever it starts with (a list number, a Latin
 *     name): a right-to-left mark (RLM) goes in front when the line does not start with a
 *     right-to-left letter, because Telegram and WhatsApp pick a paragraph's direction from its
 *     first strong character;
 *   - inside it, every run of Latin letters, digits, phone numbers, URLs and e-mail addresses is
 *     wrapped in a first-strong isolate (FSI … PDI), so "800 290 290" never shows as "290 290 800"
 *     and "Impact Hub Roma" keeps its word order; an English sentence inside keeps its full stop;
 *   - a line with no right-to-left letter that reads as a sentence of its own (a facilitator's
 *     English reply, an untranslated paragraph) is marked left-to-right (LRM) instead, so its full
 *     stop stays at its end.
 *
 * The function is idempotent: marks it added before are removed and placed again.
 */
import { isRtl } from './languages.js';

export const FSI = '\u2068';
export const PDI = '\u2069';
export const RLM = '\u200F';
export const LRM = '\u200E';

/** First strong isolate … pop directional isolate: keeps a Latin name or number readable inside RTL text. */
export const isolate = (s: string): string => `${FSI}${s}${PDI}`;

/** Bidi controls this module places (and removes before placing them again). */
const OUR_MARKS = /[\u200E\u200F\u061C\u2066-\u2069]/g;
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
/** A list line: "1. …", "2) …", "• …", "- …". */
const LIST_ITEM = /^\s*(?:\p{Nd}{1,3}[.)]|[•·\-–*])\s/u;
/** Ends like a sentence: a full stop, question or exclamation mark, maybe a closing quote or bracket. */
const SENTENCE_END = /[.!?…:;]["'”’»)\]]*\s*$/u;

/** Every decimal digit (Arabic-Indic ٣, Persian ۳, Bengali ৩, full-width ３ …) as its ASCII digit. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const v = digitValue(d);
    return Number.isNaN(v) ? d : String(v);
  });
}

/** The value of a decimal digit of any script (NaN for anything else). */
export function digitValue(d: string): number {
  const code = d.codePointAt(0);
  if (code === undefined) return Number.NaN;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  // Unicode decimal digits come in blocks of ten starting at a zero; find the zero by probing back.
  for (let zero = code; zero > code - 10; zero--) {
    if (/\p{Nd}/u.test(String.fromCodePoint(zero)) && !/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) {
      const v = code - zero;
      return v >= 0 && v <= 9 ? v : Number.NaN;
    }
  }
  return Number.NaN;
}

/**
 * Prepares one outgoing text for a reader of `lang`: ASCII digits everywhere; in a right-to-left
 * language, isolates and direction marks line by line (see the module comment). Safe to call twice.
 */
export function finishText(text: string, lang: string): string {
  const digits = asciiDigits(text);
  if (!isRtl(lang)) return digits;
  return digits
    .replace(OUR_MARKS, '')
    .split('\n')
    .map((line) => finishLine(line))
    .join('\n');
}

/**
 * A button label or list row: digits as in {@link finishText}; in a right-to-left language marks only
 * where the label mixes scripts (labels are short and the platforms count every character).
 */
export function finishLabel(label: string, lang: string): string {
  const digits = asciiDigits(label);
  if (!isRtl(lang)) return digits;
  const clean = digits.replace(OUR_MARKS, '');
  if (!RTL_LETTER.test(clean)) return clean;
  return finishLine(clean);
}

function finishLine(line: string): string {
  if (line.trim() === '') return line;
  const hasRtl = RTL_LETTER.test(line);
  if (!hasRtl && LATIN_LETTER.test(line) && SENTENCE_END.test(line) && !LIST_ITEM.test(line)) {
    // A sentence of its own in a left-to-right language: keep it left-to-right.
    return `${LRM}${line}`;
  }
  if (!hasRtl && !/[\p{L}\p{Nd}]/u.test(line)) return line; // emoji, punctuation
  // A list number stays outside the isolates: it belongs at the start of the right-to-left line.
  const bullet = LIST_ITEM.exec(line)?.[0] ?? '';
  const isolated = bullet + isolateRuns(line.slice(bullet.length));
  const first = /[\p{L}\p{Nd}]/u.exec(line.replace(/^\s+/, ''));
  const startsRtl = first !== null && RTL_LETTER.test(first[0]);
  return startsRtl && isolated === line ? line : `${RLM}${isolated}`;
}

// A run starts with a Latin letter, a digit or "+" (phone numbers) and may contain spaces and the
// punctuation that belongs inside addresses, times, URLs and numbers; it ends on a letter or digit
// (or "/" for URLs), so sentence punctuation stays outside. An en dash joins two numbers (18:00–20:00).
const LTR_RUN =
  /(?:https?:\/\/[^\s\u0600-\u06ff]+[^\s.,;:!?)\u0600-\u06ff]|[+\p{Script=Latin}\d](?:[\p{Script=Latin}\d.,;:/@+\-_#'’&()]|–(?=\d)|\s(?=[+(\p{Script=Latin}\d]))*[\p{Script=Latin}\d/)])|[\p{Script=Latin}\d]/gu;

function isolateRuns(line: string): string {
  let out = '';
  let last = 0;
  for (const m of line.matchAll(LTR_RUN)) {
    let run = m[0];
    const start = m.index;
    // Brackets must pair inside the isolate, or a mirrored one shows on the wrong side: a closing
    // bracket whose opening one is outside ("(Telefono Azzurro)") stays outside too.
    while (run.endsWith(')') && count(run, ')') > count(run, '(')) run = run.slice(0, -1);
    if (run === '') continue;
    let end = start + run.length;
    // An English sentence inside the line takes its own full stop with it.
    const after = line.slice(end);
    const punct = /^[.!?]+/.exec(after);
    const sentenceStart = /(?:^|[.!?:؟۔])\s*$/u.test(line.slice(0, start));
    if (punct && sentenceStart && (run.match(/\p{Script=Latin}+/gu)?.length ?? 0) >= 3) {
      run += punct[0];
      end += punct[0].length;
    }
    out += line.slice(last, start) + isolate(run);
    last = end;
  }
  return out + line.slice(last);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/**
 * In a right-to-left language, wraps each run of Latin letters, digits, URLs, e-mail addresses and
 * phone numbers in bidi isolates (FSI … PDI), without the line marks of {@link finishText}.
 * Left-to-right languages are returned unchanged.
 */
export function isolateLatinRuns(text: string, lang: string): string {
  if (!isRtl(lang)) return text;
  return text.replace(OUR_MARKS, '').split('\n').map(isolateRuns).join('\n');
}
