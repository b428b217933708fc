/** Text normalization shared by command matching, language detection and search. */

const arabicFolds: Record<string, string> = {
  ي: 'ی',
  ى: 'ی',
  ك: 'ک',
  ة: 'ه',
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ؤ: 'و',
  ئ: 'ی',
  ۀ: 'ه',
};

/**
 * Folds text for matching: NFKC, lower case, no accents or Arabic diacritics, Arabic/Persian letter
 * variants folded, punctuation and emoji removed, spaces collapsed.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed]/g, '') // combining accents, harakat
    .normalize('NFC')
    .replace(/[يىكةأإآٱؤئۀ]/g, (ch) => arabicFolds[ch] ?? ch)
    .replace(/\u0640/g, '') // tatweel
    .replace(/[\p{P}\p{S}\u200c\u200d\u2066-\u2069]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a text, segmented per script (Chinese has no spaces). */
export function words(text: string, locale?: string): string[] {
  const seg = new Intl.Segmenter(locale, { granularity: 'word' });
  return [...seg.segment(normalizeForMatch(text))].filter((s) => s.isWordLike).map((s) => s.segment);
}

/**
 * Text as a platform may send it, made safe to store and process: NUL bytes dropped (PostgreSQL
 * refuses them in text and JSON) and lone surrogates replaced with U+FFFD (JSON's `\ud83d` escape with no
 * partner is refused too). Everything else is kept as written.
 */
export function wellFormed(s: string): string {
  return s.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd');
}
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MALFORMED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a text holds a NUL byte or a lone surrogate (what {@link wellFormed} would change). */
export function isMalformed(s: string): boolean {
  return MALFORMED.test(s);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts a text to at most `max` code points, at a grapheme boundary: an emoji, a flag, a family or a
 * letter with its accents is kept whole or dropped whole. (A single grapheme longer than `max`, e.g.
 * a letter under thousands of combining marks, is cut at a code point: nothing else can be done.)
 */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s; // UTF-16 units ≥ code points
  let points = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(s)) {
    let n = 0;
    for (const _ of segment) n++;
    if (points + n > max) {
      if (end === 0) return [...segment].slice(0, max).join('');
      break;
    }
    points += n;
    end = index + segment.length;
  }
  return s.slice(0, end);
}
