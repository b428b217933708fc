/**
 * Turning text into search words, the same way for the stored documents and for questions:
 * normalizeForMatch (case, accents, Arabic/Persian letter variants), Intl.Segmenter (Chinese has no
 * spaces), Arabic article/preposition prefixes stripped, and long words cut to a stem-like prefix so
 * "eventi" finds "evento" and "коворкінгу" finds "коворкінг" without per-language stemmers.
 */
import { normalizeForMatch } from '../core/text.js';

const segmenters = new Map<string, Intl.Segmenter>();
const arabicPrefix = /^(وال|بال|فال|كال|لل|ال)(?=.{3,})/;

/** The words of a text (normalized, segmented). */
export function searchWords(text: string, lang?: string): string[] {
  const norm = normalizeForMatch(text);
  const locale = lang === 'zh' || /[\u3400-\u9fff]/.test(norm) ? 'zh' : (lang ?? 'en');
  let seg = segmenters.get(locale);
  if (!seg) {
    seg = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, seg);
  }
  const out: string[] = [];
  for (const s of seg.segment(norm)) {
    if (!s.isWordLike) continue;
    const w = s.segment.replace(arabicPrefix, '');
    if (!w) continue;
    out.push(w);
    // Chinese words are segmented differently in different sentences (付钱 / 交钱): single characters too.
    if (/[\u3400-\u9fff]/.test(w) && w.length > 1) for (const ch of w) if (/[\u3400-\u9fff]/.test(ch)) out.push(ch);
  }
  return out;
}

/** A word as stored in the index: the word itself and, for long words, its stem-like prefix. */
export function indexTokens(text: string, lang?: string): string[] {
  return searchWords(text, lang);
}

/** A stem-like prefix: long words lose their ending ("eventi" → "eve", "коворкінгу" → "коворкін"). */
export function stem(word: string): string {
  const chars = [...word];
  if (chars.length >= 7) return chars.slice(0, chars.length - 3).join('');
  if (chars.length >= 5) return chars.slice(0, chars.length - 2).join('');
  return word;
}

export interface QueryTerm {
  word: string;
  /** Match any indexed word starting with `word`. */
  prefix: boolean;
  weight: number;
  /** A content word (4+ letters, or a Chinese word), counted for coverage. */
  content: boolean;
}

/** Query terms: long words become prefixes (`eventi` → `event:*`), short words match exactly. */
export function queryTerms(text: string, lang?: string): QueryTerm[] {
  const seen = new Set<string>();
  const out: QueryTerm[] = [];
  for (const w of searchWords(text, lang)) {
    const chinese = /[\u3400-\u9fff]/.test(w);
    const s = chinese ? w : stem(w);
    const prefix = !chinese && [...w].length >= 4;
    const key = `${s}:${prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const single = /^[\u3400-\u9fff]$/.test(s);
    // A single Chinese character says less than a word.
    out.push({ word: s, prefix, weight: single ? 0.2 : 1, content: chinese ? !single : [...w].length >= 4 });
  }
  return out;
}
