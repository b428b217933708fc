/**
 * How a message becomes features for the intent model: words, word pairs and character n-grams of
 * the folded text. Character n-grams make the model robust to typos, missing diacritics, endings
 * ("видаліть" / "видалити") and words glued to particles (Arabic, Bengali, Ge'ez); Chinese is cut
 * into character n-grams since it has no spaces.
 */
import { normalizeForMatch } from '../core/text.js';

const han = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const hanRun = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+/g;

/**
 * The folded text the model reads: {@link normalizeForMatch} plus runs of one repeated letter
 * shortened ("pleaseeee" → "pleasee"), Latin ligatures and a few look-alike letters folded.
 */
export function foldForModel(text: string): string {
  return normalizeForMatch(text)
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/[ıİ]/g, 'i')
    .replace(/ß/g, 'ss')
    .replace(/ё/g, 'е');
}

/** The features of a text, each once (binary), plus the folded tokens (for callers that need them). */
export function featuresOf(text: string): string[] {
  const folded = foldForModel(text);
  const out = new Set<string>();
  if (!folded) {
    out.add('∅');
    return [...out];
  }
  // Chinese runs: characters 1–3 as features, then replaced by a marker so word features still work.
  for (const run of folded.match(hanRun) ?? []) {
    const chars = [...run];
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) out.add(`h${n}:${chars.slice(i, i + n).join('')}`);
  }
  const tokens = folded.replace(hanRun, ' 〇 ').split(' ').filter(Boolean);
  const words = tokens.filter((t) => t !== '〇');
  for (const w of words) out.add(`w:${w}`);
  for (let i = 0; i + 1 < tokens.length; i++) if (tokens[i] !== '〇' || tokens[i + 1] !== '〇') out.add(`b:${tokens[i]}_${tokens[i + 1]}`);
  for (const w of words) {
    const padded = [...`<${w}>`];
    for (let n = 2; n <= 5; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) out.add(`c:${padded.slice(i, i + n).join('')}`);
    }
  }
  // Short messages ("ok", "hi", "salam") behave differently from sentences.
  const size = words.length + (han.test(folded) ? 1 : 0);
  out.add(size <= 1 ? 'len:1' : size <= 3 ? 'len:2-3' : size <= 8 ? 'len:4-8' : 'len:9+');
  return [...out];
}
