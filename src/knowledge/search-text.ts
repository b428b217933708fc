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

/** How long a word must be before its ending is cut off for prefix matching. */
export function stem(word: string): string {
  const len = [...word].length;
  if (len >= 7) return [...word].slice(0, len - 3).join('');
  if (len >= 5) return [...word].slice(0, len - 2).join('');
  return word;
}

/** Query terms: long words become prefixes (`eventi` → `even:*`), short words match exactly. */
export function queryTerms(text: string, lang?: string): { word: string; prefix: boolean; weight: number }[] {
  const seen = new Set<string>();
  const out: { word: string; prefix: boolean; weight: number }[] = [];
  for (const w of searchWords(text, lang)) {
    const s = /[\u3400-\u9fff]/.test(w) ? w : stem(w);
    const prefix = s !== w || [...w].length >= 4;
    const key = `${s}:${prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A single Chinese character says less than a word.
    out.push({ word: s, prefix, weight: /^[\u3400-\u9fff]$/.test(s) ? 0.35 : 1 });
  }
  return out;
}
