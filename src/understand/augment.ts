/**
 * More training phrases from the written ones, the way people actually type: a letter dropped,
 * doubled, swapped with the next or replaced by a neighbour on the keyboard, and Cyrillic written in
 * Latin letters ("pozvonite mne", "dyakuyu"). Deterministic (a fixed seed), so the trained model and
 * its cache key stay stable. The copies weigh less than the phrases they come from.
 */
import type { Example } from './model.js';

export interface WeightedExample extends Example {
  /** 0–1: how much the example counts in training (written phrases 1). */
  weight?: number;
}

const cyrillicToLatin: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  "'": '',
  '’': '',
};

/** Russian or Ukrainian in Latin letters, the common informal way ("спасибо" → "spasibo"). */
export function cyrillicInLatin(text: string): string {
  // Ukrainian и sounds like y (Russian и like i); і, ї, є and ґ only occur in Ukrainian.
  const ukrainian = /[іїєґ]/i.test(text);
  return text.toLowerCase().replace(/[\u0400-\u04ff'’]/g, (ch) => (ukrainian && ch === 'и' ? 'y' : (cyrillicToLatin[ch] ?? ch)));
}

/** Keys next to each other on a QWERTY keyboard, and vowels people swap in Latin-letter spellings. */
const neighbours: Record<string, string> = {
  a: 'sqe',
  e: 'wri',
  i: 'uoe',
  o: 'ipu',
  u: 'yio',
  s: 'adz',
  n: 'bm',
  m: 'n',
  r: 'et',
  t: 'ry',
  l: 'k',
  k: 'lj',
  d: 'sf',
  c: 'xvk',
  v: 'cb',
  g: 'fh',
  h: 'gj',
};

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** One typo in a word of four letters or more (Latin or Cyrillic; other scripts are left alone). */
function typo(word: string, random: () => number): string {
  const chars = [...word];
  if (chars.length < 4 || !/^[\p{Script=Latin}\p{Script=Cyrillic}]+$/u.test(word)) return word;
  const i = 1 + Math.floor(random() * (chars.length - 2));
  const kind = random();
  if (kind < 0.3)
    chars.splice(i, 1); // dropped
  else if (kind < 0.5)
    chars.splice(i, 0, chars[i]!); // doubled
  else if (kind < 0.75)
    [chars[i], chars[i + 1]] = [chars[i + 1] ?? chars[i]!, chars[i]!]; // swapped
  else {
    const near = neighbours[chars[i]!.toLowerCase()];
    if (near) chars[i] = near[Math.floor(random() * near.length)]!;
    else chars.splice(i, 1);
  }
  return chars.join('');
}

/** A copy of a phrase with about one word in three mistyped. */
export function withTypos(text: string, random: () => number): string {
  return text.replace(/[\p{L}]+/gu, (w) => (random() < 0.35 ? typo(w, random) : w));
}

/**
 * The phrases plus their typed-as-people-type copies: `copies` mistyped copies of each (weight
 * `copyWeight`) and, for Cyrillic phrases, a Latin-letter copy.
 */
export function augmentExamples(examples: readonly Example[], opts: { copies?: number; copyWeight?: number; seed?: number } = {}): WeightedExample[] {
  const copies = opts.copies ?? 2;
  const copyWeight = opts.copyWeight ?? 0.5;
  const random = rng(opts.seed ?? 7);
  const out: WeightedExample[] = [];
  for (const e of examples) {
    out.push({ ...e, weight: 1 });
    const seen = new Set([e.text]);
    const add = (text: string) => {
      if (seen.has(text)) return;
      seen.add(text);
      out.push({ text, intent: e.intent, weight: copyWeight });
    };
    if (/[\u0400-\u04ff]/.test(e.text)) add(cyrillicInLatin(e.text));
    for (let k = 0; k < copies; k++) add(withTypos(e.text, random));
  }
  return out;
}
