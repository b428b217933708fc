/**
 * Guesses the language of a message. Script first (it is certain), then letters and common words
 * inside a script, then franc restricted to our languages. Detection is a hint: short messages
 * ("ok", "hi", "👍") return nothing, so they never flip the language.
 */
import { francAll } from 'franc';

export interface Detection {
  lang: string;
  /** 0–1. Callers switch a stored language only above {@link CONFIDENT}. */
  confidence: number;
}

export const CONFIDENT = 0.8;

const iso3to1: Record<string, string> = {
  ita: 'it', eng: 'en', fra: 'fr', spa: 'es', ron: 'ro', tgl: 'tl', som: 'so', ukr: 'uk', rus: 'ru',
};
const latinLangs = ['ita', 'eng', 'fra', 'spa', 'ron', 'tgl', 'som'];

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Detects the language of `text`, or undefined when it cannot be told. */
export function detectLanguage(text: string): Detection | undefined {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 2) return undefined;

  const arabicScript = count(text, /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/g);
  const ethiopic = count(text, /[\u1200-\u139f]/g);
  const bengali = count(text, /[\u0980-\u09ff]/g);
  const han = count(text, /[\u4e00-\u9fff\u3400-\u4dbf]/g);
  const cyrillic = count(text, /[\u0400-\u04ff]/g);
  const total = letters.length;

  if (ethiopic / total > 0.5) return { lang: 'ti', confidence: 0.9 };
  if (bengali / total > 0.5) return { lang: 'bn', confidence: 0.95 };
  if (han / total > 0.3) return { lang: 'zh', confidence: 0.95 };
  if (arabicScript / total > 0.5) return arabicScriptLanguage(text);
  if (cyrillic / total > 0.5) return cyrillicLanguage(text);
  if (letters.length < 12) return undefined; // "ok", "hi", "grazie": too short to tell apart in Latin script
  const ranked = francAll(text, { only: latinLangs, minLength: 8 });
  const [first, second] = ranked;
  if (!first || first[0] === 'und') return undefined;
  const margin = first[1] - (second?.[1] ?? 0);
  const confidence = Math.min(0.95, 0.5 + margin + Math.min(0.3, letters.length / 200));
  return { lang: iso3to1[first[0]]!, confidence };
}

/** Arabic, Persian, Pashto and Urdu share a script; letters and frequent words tell them apart. */
function arabicScriptLanguage(text: string): Detection {
  const t = ` ${text} `;
  const pashto = count(t, /[ټډړږښګڼۍې]/g) + count(t, /\s(دی|ده|زه|ته|څه|چېرته|کوم|سره|لپاره)\s/g) * 2;
  const urdu = count(t, /[ٹڈڑںےھ]/g) + count(t, /\s(ہے|ہیں|کیا|میں|کے|کی|اور|نہیں|آپ)\s/g) * 2;
  const persian = count(t, /[پچژگ]/g) + count(t, /\s(است|هست|می|چه|کجا|من|برای|این|را|یک|دارم|میخواهم)\s/g) * 2 + count(t, /ی/g) * 0.1;
  const arabic = count(t, /[ةىًٌٍ]/g) + count(t, /\s(هل|في|من|أين|ما|هو|هي|أريد|الى|إلى|على|عن)\s/g) * 2 + count(t, /\sال/g);
  const scores: [string, number][] = [
    ['ps', pashto],
    ['ur', urdu],
    ['fa', persian],
    ['ar', arabic],
  ];
  scores.sort((a, b) => b[1] - a[1]);
  const [best, next] = scores;
  if (best![1] === 0) return { lang: 'ar', confidence: 0.5 };
  const confidence = Math.min(0.95, 0.55 + (best![1] - next![1]) / (best![1] + 1));
  return { lang: best![0], confidence };
}

/** Ukrainian has letters Russian lacks (і ї є ґ) and the reverse (ы э ъ ё). */
function cyrillicLanguage(text: string): Detection {
  const uk = count(text, /[іїєґІЇЄҐ]/g);
  const ru = count(text, /[ыэъёЫЭЪЁ]/g);
  if (uk > ru) return { lang: 'uk', confidence: Math.min(0.95, 0.7 + uk * 0.1) };
  if (ru > uk) return { lang: 'ru', confidence: Math.min(0.95, 0.7 + ru * 0.1) };
  const ranked = francAll(text, { only: ['ukr', 'rus'], minLength: 3 });
  const best = ranked[0]?.[0] === 'ukr' ? 'uk' : 'ru';
  return { lang: best, confidence: 0.6 };
}
