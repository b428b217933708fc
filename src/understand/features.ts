/**
 * How a message becomes features for the intent model: words, word pairs and character n-grams of
 * the folded text. Character n-grams make the model robust to typos, missing diacritics, endings
 * ("видаліть" / "видалити") and words glued to particles (Arabic, Bengali, Ge'ez); Chinese is cut
 * into character n-grams since it has no spaces.
 */
import { normalizeForMatch } from '../core/text.js';

const han = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const hanRun = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+/g;
const zhWords = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Arabic in Latin letters writes the sounds Latin lacks with digits that look like the Arabic letter
 * ("7abibi", "3arabi", "5alas", "ma3lomati"); others spell the same sounds with letters ("habibi",
 * "arabi", "khalas"). Inside a word that also has letters, the digits become those letters.
 */
const arabiziDigits: Record<string, string> = { '2': 'a', '3': 'a', '5': 'kh', '6': 't', '7': 'h', '8': 'gh', '9': 'q' };
const arabiziWord = /(?<![\p{L}\p{N}])(?=[a-z0-9]*[a-z])(?=[a-z0-9]*[235-9])[a-z0-9]+(?![\p{L}\p{N}])/gu;

/**
 * The folded text the model reads: {@link normalizeForMatch} plus runs of one repeated letter
 * shortened ("pleaseeee" → "pleasee"), Latin ligatures and a few look-alike letters folded, Arabic
 * digits-for-letters spelled out, and the Persian keyboard's Arabic-script digits made Latin.
 */
export function foldForModel(text: string): string {
  return normalizeForMatch(text)
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/[ıİ]/g, 'i')
    .replace(/ß/g, 'ss')
    .replace(/ё/g, 'е')
    .replace(arabiziWord, (w) => w.replace(/[235-9]/g, (d) => arabiziDigits[d]!));
}

/** Pictographs ("👍", "🙏", "😂"), without skin tones or variation selectors: the text folding drops them. */
const pictograph = /\p{Extended_Pictographic}/gu;

const latinWord = /^[a-z]+$/;
const arabicWord = /^[\u0600-\u06ff]+$/;

/**
 * A word's consonants: what survives the many ways of spelling a language in Latin letters (Roman
 * Urdu "shukriya"/"shukria", Finglish "khundan"/"khoondan", Banglish "dhonnobad"/"dhonobad") or of
 * writing Arabic-script vowels (long vowel letters written or not). Undefined for short words.
 */
export function consonantSkeleton(word: string): string | undefined {
  let s: string;
  if (latinWord.test(word)) s = word.replace(/[aeiouyw]/g, '').replace(/(.)\1+/g, '$1');
  else if (arabicWord.test(word)) s = word.replace(/[اوی]/g, '').replace(/(.)\1+/g, '$1');
  else return undefined;
  return s.length >= 2 && s.length < word.length ? s : undefined;
}

/** The features of a text, each once (binary), plus the folded tokens (for callers that need them). */
export function featuresOf(text: string): string[] {
  const folded = foldForModel(text);
  const out = new Set<string>();
  // A thumbs-up alone is a thanks, a laughing face alone is not a request: emoji are features too.
  for (const e of text.match(pictograph) ?? []) out.add(`e:${e}`);
  if (!folded) {
    out.add('∅');
    return [...out];
  }
  // Chinese runs: characters 1–3 as features, then replaced by a marker so word features still work.
  for (const run of folded.match(hanRun) ?? []) {
    const chars = [...run];
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) out.add(`h${n}:${chars.slice(i, i + n).join('')}`);
    // Words as ICU's dictionary cuts them ("共享办公", "附近"), and pairs of them.
    const cut = [...zhWords.segment(run)].filter((s) => s.isWordLike).map((s) => s.segment);
    for (const w of cut) out.add(`zw:${w}`);
    for (let i = 0; i + 1 < cut.length; i++) out.add(`zb:${cut[i]}_${cut[i + 1]}`);
  }
  const tokens = folded.replace(hanRun, ' 〇 ').split(' ').filter(Boolean);
  const words = tokens.filter((t) => t !== '〇');
  for (const w of words) {
    out.add(`w:${w}`);
    const k = w.length >= 4 ? consonantSkeleton(w) : undefined;
    if (k) out.add(`k:${k}`);
  }
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
