/**
 * The language evidence of a message, restricted to the 16 languages we speak: which languages fit,
 * how well, and whether the script alone already says it. {@link decideLanguage} (decide.ts) turns
 * the evidence and the conversation into the language to answer in, or a question.
 *
 * 1. Script first. Non-Latin letters win over Latin ones (people write "wifi" or "Termini" inside
 *    a Bengali or Arabic message, rarely the reverse). Ge'ez → ti, Bengali → bn, Han → zh are
 *    certain; Arabic script → ar / fa / ps / ur and Cyrillic → uk / ru are told apart by letters only
 *    one of them uses (also the keyboard's letters: Arabic ي ك against Persian/Urdu ی ک), by frequent
 *    words, then by cld3.
 * 2. Latin letters: frequent words of each language (`data/language-markers.yaml`, which also knows
 *    Roman Urdu, Banglish, Arabizi in its dialects (Maghrebi "chno", "wach", Egyptian "ezzay",
 *    Levantine "shu") with its digits 3 7 2 5 9, Finglish, Latin-letter Tigrinya, Taglish and
 *    Nigerian Pidgin), letters only one language uses (ñ ¿ ș ț ç), cld3 (a small neural model,
 *    WebAssembly, offline) and franc, added up. Arabizi words no list knows count by their shape
 *    (the negation "ma…ch", a glued article, another spelling of a listed word). franc only names
 *    the seven standard Latin languages, so its pick counts half when the words point to a language
 *    it cannot name. Place names from the gazetteer and words every language uses ("coworking",
 *    "wifi") are taken out first.
 * 3. A greeting alone ("ciao", "salam", "سلام") points to the languages that use it, never confidently.
 *
 * Detection is a hint, never the final word: a person's explicit choice always wins.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule } from 'cld3-asm';
import { TextMemo } from '../core/memo.js';
import { francAll } from 'franc';
import { parseCsvObjectsCached, parseYamlCached } from '../parse-cache.js';

export interface Detection {
  lang: string;
  /** 0–1. Callers switch a stored language only above {@link CONFIDENT}. */
  confidence: number;
}

/** The writing system most of a message's letters are in. */
export type Script = 'latin' | 'arabic' | 'cyrillic' | 'ethiopic' | 'bengali' | 'han' | 'other' | 'none';

/** One language that fits a message, with its share of the evidence (0–1, shares add up to 1). */
export interface Candidate {
  lang: string;
  share: number;
}

/** What a message says about its language. */
export interface LanguageEvidence {
  script: Script;
  /** Languages that fit, best first; empty when nothing can be told ("ok", "👍", "Termini"). */
  candidates: Candidate[];
  /** How sure the first candidate is, 0–1 (short messages stay below {@link CONFIDENT}). */
  confidence: number;
  /** The script alone names the language: Ge'ez → ti, Bengali → bn, Han → zh. */
  scriptCertain: boolean;
  /** The message is only a greeting or thanks. */
  greeting: boolean;
  /** Letters in the message (a Han character counts as three: it carries a word's meaning). */
  letters: number;
}

/** The confidence above which a message may change a language that was not chosen explicitly. */
export const CONFIDENT = 0.8;
/** The most a short message can reach: below {@link CONFIDENT}, so it never flips a language. */
const SHORT_CAP = 0.6;
/** Letters (Han: characters × 3) below which a message counts as short. */
const SHORT_LETTERS = 12;
/** A candidate with less than this share of the best one's score does not count as plausible. */
const MIN_SHARE_OF_BEST = 0.15;

// cld3 loads in a few milliseconds; if WebAssembly is unavailable, the word lists and franc still work.
const cld3 = await loadModule()
  .then((factory) => factory.create(0, 1000))
  .catch(() => undefined);

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

const latinLangs = ['it', 'en', 'fr', 'es', 'ro', 'tl', 'so'] as const;
const iso3to1: Record<string, string> = { ita: 'it', eng: 'en', fra: 'fr', spa: 'es', ron: 'ro', tgl: 'tl', som: 'so', ukr: 'uk', rus: 'ru' };
const francLatin = ['ita', 'eng', 'fra', 'spa', 'ron', 'tgl', 'som'];
/** Languages we read in Latin letters that the models do not name (romanized; cld3's romanized Hindi aside). */
const romanizedLangs = ['ur', 'bn', 'ar', 'fa', 'ti', 'ps', 'ru', 'uk', 'zh'];
/** cld3's Latin-script answers for languages we read in Latin letters (romanized Hindi is the nearest to Roman Urdu). */
const cld3Latin: Record<string, Record<string, number>> = {
  it: { it: 1 },
  en: { en: 1 },
  fr: { fr: 1 },
  es: { es: 1 },
  ro: { ro: 1 },
  so: { so: 1 },
  fil: { tl: 1 },
  tl: { tl: 1 },
  'hi-Latn': { ur: 0.5, bn: 0.25, fa: 0.25 },
};

// ------------------------------------------------------------------ normalization

/** Lower case, no accents, apostrophes kept (French and Italian elisions tell them apart). */
function latinFold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’`´‘]/g, "'")
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/(^|\s)'+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Arabic-script text for word matching: no harakat or tatweel, ZWNJ joined, punctuation gone. Letters are not folded (ي and ی differ on purpose). */
function arabicFold(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
    .replace(/\u200c/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// ------------------------------------------------------------------ the word lists

interface MarkerFile {
  latin: Record<string, string[]>;
  arabic: Record<string, string[]>;
  greetings: [string[], string[]][];
}

/** Words (or phrases) and the languages that use them, each with weight 1 / (number of languages). */
interface MarkerIndex {
  words: Map<string, string[]>;
  phrases: { text: string; langs: string[] }[];
}

function indexMarkers(lists: Record<string, string[]>, fold: (s: string) => string): MarkerIndex {
  const words = new Map<string, string[]>();
  const phrases = new Map<string, string[]>();
  for (const [lang, list] of Object.entries(lists)) {
    for (const raw of list) {
      const w = fold(String(raw));
      if (!w) continue;
      // An elision ("c'", "qu'") is matched as a token prefix; other apostrophes are part of the word.
      const target = w.includes(' ') ? phrases : words;
      const langs = target.get(w) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      target.set(w, langs);
    }
  }
  return { words, phrases: [...phrases].map(([text, langs]) => ({ text, langs })) };
}

const markerFile = parseYamlCached(readFileSync(join(dataDir, 'language-markers.yaml'), 'utf8')) as MarkerFile;
const latinMarkers = indexMarkers(markerFile.latin, latinFold);
const arabicMarkers = indexMarkers(markerFile.arabic, arabicFold);
const greetings = new Map<string, string[]>();
for (const [phrases, langs] of markerFile.greetings) {
  for (const p of phrases) {
    const s = String(p);
    const key = /\p{Script=Arabic}/u.test(s) ? arabicFold(s) : /\p{Script=Cyrillic}/u.test(s) ? s.toLowerCase() : latinFold(s);
    greetings.set(key, langs);
  }
}

/** Words every language uses and place names: no evidence of a language, so taken out first. */
const neutralWords = new Set([
  'coworking',
  'co working',
  'wifi',
  'wi fi',
  'ok',
  'okay',
  'whatsapp',
  'telegram',
  'cv',
  'pc',
  'internet',
  'email',
  'mail',
  'online',
  'app',
  'sms',
  'bot',
  'covid',
  'roma',
  'rome',
  'italia',
  'italy',
  'termini',
  'metro',
  'bus',
  'taxi',
  'hotel',
  'pizza',
  'laptop',
  'computer',
  'zoom',
  'google',
  'maps',
  'www',
  'http',
  'https',
  'com',
]);
/** Italian words for papers and offices that people in Italy use whatever their language. */
const italianOfficeWords = [
  'permesso di soggiorno',
  'permesso',
  'codice fiscale',
  'tessera sanitaria',
  "carta d'identita",
  'carta di identita',
  'questura',
  'prefettura',
  'patronato',
  'caf',
  'inps',
  'asl',
  'centro per l impiego',
  "centro per l'impiego",
  'comune',
  'anagrafe',
  'residenza',
  'protezione internazionale',
  'protezione speciale',
];
const neutralPhrases: string[] = (() => {
  try {
    const rows = parseCsvObjectsCached(readFileSync(join(dataDir, 'gazetteer.csv'), 'utf8'), { skip_empty_lines: true, relax_column_count: true });
    const names = new Set<string>();
    for (const { name = '', aliases = '' } of rows) {
      for (const n of [name, ...aliases.split(';')]) {
        const f = latinFold(n.replace(/\(.*?\)/g, ''));
        // Latin names only; one-word names that are also common words ("Centro", "Europa", "Trieste") stay.
        if (f && /^[a-z' ]+$/.test(f) && (f.includes(' ') || f.length >= 6)) names.add(f);
      }
    }
    for (const w of italianOfficeWords) names.add(latinFold(w));
    return [...names].sort((a, b) => b.length - a.length);
  } catch {
    return italianOfficeWords.map(latinFold);
  }
})();

/** Neutral phrases by their first word, longest first (only those whose first word a message has are tried). */
const neutralByFirstWord = new Map<string, string[]>();
for (const p of neutralPhrases) {
  const first = p.split(' ')[0]!;
  neutralByFirstWord.set(first, [...(neutralByFirstWord.get(first) ?? []), p]);
}

// ------------------------------------------------------------------ helpers

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Scores → candidates (best first, shares adding up to 1), dropping the implausible. */
function rank(scores: Record<string, number>): Candidate[] {
  const entries = Object.entries(scores)
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1]);
  if (!entries.length) return [];
  const best = entries[0]![1];
  const kept = entries.filter(([, s]) => s >= best * MIN_SHARE_OF_BEST);
  const total = kept.reduce((n, [, s]) => n + s, 0);
  return kept.map(([lang, s]) => ({ lang, share: s / total }));
}

/** Confidence from the lead of the best score over the next and from how much evidence there is. */
function confidenceOf(scores: Record<string, number>, strongAt: number): number {
  const sorted = Object.values(scores)
    .filter((s) => s > 0)
    .sort((a, b) => b - a);
  const [best = 0, next = 0] = sorted;
  if (best <= 0) return 0;
  const lead = (best - next) / best;
  return Math.min(0.97, 0.4 + 0.35 * lead + 0.25 * Math.min(1, best / strongAt));
}

function cld3Result(text: string): { language: string; probability: number; reliable: boolean } | undefined {
  if (!cld3) return undefined;
  const r = cld3.findLanguage(text);
  return r.language === 'und' ? undefined : { language: r.language, probability: r.probability, reliable: r.is_reliable };
}

// ------------------------------------------------------------------ the entry points

const evidenceMemo = new TextMemo<LanguageEvidence>();

/** What `text` says about its language (remembered per text: a pure function, a few ms each). */
export function languageEvidence(text: string): LanguageEvidence {
  const e = evidenceMemo.get(text, () => readEvidence(text));
  return { ...e, candidates: e.candidates.map((c) => ({ ...c })) };
}

function readEvidence(text: string): LanguageEvidence {
  const latin = count(text, /\p{Script=Latin}/gu);
  const scripts: [Exclude<Script, 'latin' | 'other' | 'none'>, number][] = [
    ['arabic', count(text, /\p{Script=Arabic}/gu)],
    ['cyrillic', count(text, /\p{Script=Cyrillic}/gu)],
    ['ethiopic', count(text, /\p{Script=Ethiopic}/gu)],
    ['bengali', count(text, /\p{Script=Bengali}/gu)],
    ['han', count(text, /\p{Script=Han}/gu) * 3],
  ];
  const otherLetters = count(text, /\p{L}/gu) - latin - scripts.reduce((n, [s, c]) => n + (s === 'han' ? c / 3 : c), 0);
  const total = latin + scripts.reduce((n, [, c]) => n + c, 0) + Math.max(0, otherLetters);
  const [topScript, topCount] = scripts.sort((a, b) => b[1] - a[1])[0]!;
  const none: LanguageEvidence = { script: 'none', candidates: [], confidence: 0, scriptCertain: false, greeting: false, letters: total };
  if (total < 2 && topCount < 3) return none;
  // Non-Latin letters win when they are a fair part of the message ("wifi আছে?", "Termini ترمینی کجاست").
  const script: Script = topCount >= 2 && topCount >= total * 0.25 ? topScript : latin >= 2 && latin >= otherLetters ? 'latin' : otherLetters > 0 ? 'other' : 'none';
  const short = total < SHORT_LETTERS;
  const cap = (e: LanguageEvidence): LanguageEvidence => (short ? { ...e, confidence: Math.min(e.confidence, SHORT_CAP) } : e);
  switch (script) {
    case 'ethiopic':
      return cap({ script, candidates: [{ lang: 'ti', share: 1 }], confidence: 0.95, scriptCertain: true, greeting: false, letters: total });
    case 'bengali':
      return cap({ script, candidates: [{ lang: 'bn', share: 1 }], confidence: 0.95, scriptCertain: true, greeting: false, letters: total });
    case 'han':
      return cap({ script, candidates: [{ lang: 'zh', share: 1 }], confidence: 0.95, scriptCertain: true, greeting: false, letters: total });
    case 'arabic':
      return cap(arabicScript(text, total));
    case 'cyrillic':
      return cap(cyrillicScript(text, total));
    case 'latin':
      return cap(latinScript(text, total));
    default:
      return { ...none, script };
  }
}

/** The most likely language of `text`, or undefined when it cannot be told. */
export function detectLanguage(text: string): Detection | undefined {
  const e = languageEvidence(text);
  const first = e.candidates[0];
  return first ? { lang: first.lang, confidence: e.confidence } : undefined;
}

/** The script our languages are written in (for "the person changed script"). */
export function scriptOf(lang: string): Script {
  if (['ar', 'fa', 'ps', 'ur'].includes(lang)) return 'arabic';
  if (lang === 'uk' || lang === 'ru') return 'cyrillic';
  if (lang === 'ti') return 'ethiopic';
  if (lang === 'bn') return 'bengali';
  if (lang === 'zh') return 'han';
  return 'latin';
}

// ------------------------------------------------------------------ Arabic script

/**
 * Arabic, Persian, Pashto and Urdu share a script. Letters only one of them uses, the keyboard's
 * letters and very common words decide; cld3 adds its vote.
 */
function arabicScript(text: string, letters: number): LanguageEvidence {
  const folded = arabicFold(text);
  const greeting = greetings.get(folded);
  if (greeting) return greetingEvidence('arabic', greeting, letters);
  const t = ` ${folded} `;
  const scores: Record<string, number> = {
    ps: count(t, /[ټډړږښګڼۍېځڅ]/g) * 2,
    ur: count(t, /[ٹڈڑںےۓھہ]/g) * 2,
    fa: count(t, /[پچژگ]/g),
    // Arabic keyboards type ي and ك; Persian, Urdu and Pashto ones ی and ک.
    ar: count(t, /[ةىإأؤئًٌٍك]/g) + count(t, /ي/g) * 0.5 + count(t, / ال/g),
  };
  // Persian verbs take the prefix می / نمی ("میخوام", "نمی‌دونم"); Urdu writes میں as a word of its own.
  scores.fa! += 1.5 * count(t, /(?<= )ن?می(?!ں)[^\s]{2,}/g);
  const persianKeyboard = count(t, /[یک]/g);
  if (persianKeyboard) for (const l of ['fa', 'ur', 'ps']) scores[l]! += persianKeyboard * 0.2;
  scores.ur! += count(t, /[پچگ]/g) * 0.3;
  addWords(scores, folded.split(' '), arabicMarkers, 2);
  const c = cld3Result(text);
  if (c && (c.language === 'ar' || c.language === 'fa' || c.language === 'ps' || c.language === 'ur')) scores[c.language]! += 3 * c.probability;
  const candidates = rank(scores);
  if (!candidates.length)
    return {
      script: 'arabic',
      candidates: [
        { lang: 'ar', share: 0.25 },
        { lang: 'fa', share: 0.25 },
        { lang: 'ur', share: 0.25 },
        { lang: 'ps', share: 0.25 },
      ],
      confidence: 0.3,
      scriptCertain: false,
      greeting: false,
      letters,
    };
  return { script: 'arabic', candidates, confidence: confidenceOf(scores, 8), scriptCertain: false, greeting: false, letters };
}

// ------------------------------------------------------------------ Cyrillic

/** Ukrainian has letters Russian lacks (і ї є ґ) and the reverse (ы э ъ ё); words and cld3 decide the rest. */
function cyrillicScript(text: string, letters: number): LanguageEvidence {
  const lower = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const greeting = greetings.get(lower);
  if (greeting) return greetingEvidence('cyrillic', greeting, letters);
  const uk = count(text, /[іїєґІЇЄҐ]/g);
  const ru = count(text, /[ыэъёЫЭЪЁ]/g);
  if (uk !== ru) {
    const lang = uk > ru ? 'uk' : 'ru';
    const n = Math.abs(uk - ru);
    return { script: 'cyrillic', candidates: [{ lang, share: 1 }], confidence: Math.min(0.95, 0.75 + n * 0.05), scriptCertain: false, greeting: false, letters };
  }
  // Frequent words spelled with letters both languages share ("допомога" / "помощь", "що" / "что").
  const t = ` ${lower} `;
  const word = (words: string) => count(t, new RegExp(`(?<= )(${words})(?= )`, 'g'));
  const ukWords = word(
    'допомога|допоможіть|дякую|будь|ласка|що|як|де|мене|мені|шукаю|мова|мову|людина|ні|добрий|вітаю|робота|роботу|місце|зараз|але|або|чи|коли|буде|потрібна|потрібен|потрібно|видаліть|мої|дані|мою|моє|сина|доньку|дитина|дітей|та|із|зі|від|хто|який|яка|яке|скільки|він|вона|вони|ми|ви|є|немає|дуже|добре|сьогодні|ввечері|діти|хочу|знайти|новими|людьми|треба|коштує|безкоштовно|щоб|якщо|тому|теж|також|вже|ще|лише|тільки|чому|куди|звідки|навчання|житло|гроші',
  );
  const ruWords = word(
    'помощь|помогите|спасибо|пожалуйста|что|как|где|меня|мне|ищу|язык|человек|да|нет|добрый|работа|работу|место|здесь|сейчас|но|или|когда|можно|будет|привет|нужна|нужен|нужно|удалите|мои|данные|мою|моё|сына|дочь|ребенок|детей|и|с|со|от|это|его|ее|какой|какая|какое|сколько|он|она|они|мы|вы|есть|очень|хорошо|сегодня|вечером|дети|найти|новыми|людьми|надо|стоит|бесплатно|чтобы|если|поэтому|тоже|также|уже|еще|ещё|только|почему|куда|откуда|учеба|жилье|деньги',
  );
  if (ukWords !== ruWords) {
    const lang = ukWords > ruWords ? 'uk' : 'ru';
    return {
      script: 'cyrillic',
      candidates: [
        { lang, share: 0.8 },
        { lang: lang === 'uk' ? 'ru' : 'uk', share: 0.2 },
      ],
      confidence: Math.min(0.9, 0.7 + Math.abs(ukWords - ruWords) * 0.05),
      scriptCertain: false,
      greeting: false,
      letters,
    };
  }
  const c = cld3Result(text);
  if (c && (c.language === 'uk' || c.language === 'ru')) {
    const other = c.language === 'uk' ? 'ru' : 'uk';
    const share = 0.5 + 0.4 * c.probability;
    return {
      script: 'cyrillic',
      candidates: [
        { lang: c.language, share },
        { lang: other, share: 1 - share },
      ],
      confidence: Math.min(0.85, 0.4 + c.probability * 0.4),
      scriptCertain: false,
      greeting: false,
      letters,
    };
  }
  const [first] = francAll(text, { only: ['ukr', 'rus'], minLength: 3 });
  const lang = first && first[0] !== 'und' ? iso3to1[first[0]]! : 'ru';
  return {
    script: 'cyrillic',
    candidates: [
      { lang, share: 0.6 },
      { lang: lang === 'uk' ? 'ru' : 'uk', share: 0.4 },
    ],
    confidence: 0.5,
    scriptCertain: false,
    greeting: false,
    letters,
  };
}

// ------------------------------------------------------------------ Latin letters

/** Arabizi: a digit standing for a letter inside a word ("3andi", "7abibi", "la2", "5alas"). */
const arabiziWord = /^(?=[a-z0-9']*[a-z])[a-z']*[23579][a-z0-9']*$/;
/** Words with digits that are not Arabizi: 3d, mp3, 4g, 5pm, 2nd, b2b, covid19. */
const notArabizi = /^(\d+(st|nd|rd|th|am|pm|h|g|d|x|k|km|m|min|eur|e)|mp\d|b2b|covid\d*|[a-z]\d{2,}|\d{3,}[a-z]*)$/;

/**
 * Arabizi has no standard spelling: one word comes as "chno", "chnou", "shnu" (French or English
 * habits), "bzaf" or "bezzaf", "mzyan" or "mziyan". A word no list knows counts as a listed Arabic
 * word when it has the same consonants ("ch" read as "sh", vowels and doubled letters dropped), is
 * at most a letter or two away from it, and no other language's listed word is as near.
 */
const shSpelling = (word: string) => word.replace(/ch/g, 'sh');
function arabiziSkeleton(word: string): string | undefined {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return undefined;
  const s = shSpelling(word)
    .replace(/[aeiouy]/g, '')
    .replace(/(.)\1+/g, '$1');
  return s.length >= 3 ? s : undefined;
}
/** Every Latin list's words by their consonants (spelled with "sh"), with their language. */
const bySkeleton = new Map<string, { word: string; lang: string }[]>();
for (const [lang, list] of Object.entries(markerFile.latin))
  for (const raw of list) {
    const w = latinFold(String(raw));
    const s = arabiziSkeleton(w);
    if (s) bySkeleton.set(s, [...(bySkeleton.get(s) ?? []), { word: shSpelling(w), lang }]);
  }

/** Levenshtein distance, giving up above `max` (the words are short). */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > max) return false;
    prev = row;
  }
  return prev[b.length]! <= max;
}

/** A listed Arabic word spelled another way ("chnuu", "mziyan", "kifch"), nearer to it than to any other language's word. */
function arabiziVariant(word: string): boolean {
  const s = arabiziSkeleton(word);
  const listed = s ? bySkeleton.get(s) : undefined;
  if (!listed?.some((l) => l.lang === 'ar')) return false;
  const w = shSpelling(word);
  for (let edits = 0; edits <= (w.length >= 7 ? 2 : 1); edits++) {
    const near = listed.filter((l) => withinEdits(w, l.word, edits));
    if (near.length) return near.every((l) => l.lang === 'ar');
  }
  return false;
}

/** Maghrebi and Egyptian negation wraps the verb: "ma-fhemt-ch", "ma-kayn-ch", "ma-3ref-sh". */
const arabiziNegation = /^ma[a-z0-9]{2,}(ch|sh)$/;
/** Maghrebi glues the article, "and" or a preposition to the next word: "lblasa", "fdar", "wbghit". */
const arabiziPrefix = /^(l|el|f|fl|b|w)(?=[^aeiouy][a-z0-9]{3,}$)/;

/**
 * Arabizi evidence beyond the word list, for words no list knows: a digit for a letter ("3andi",
 * "n9ra"), the negation "ma…ch", a listed Arabic word with the article glued on, or a listed
 * Arabic word spelled another way.
 */
function arabiziScore(tokens: string[]): number {
  let score = 0;
  for (const w of tokens) {
    if (arabiziWord.test(w) && !notArabizi.test(w)) score += 1.5;
    else if (latinMarkers.words.has(w)) continue;
    else if (arabiziNegation.test(w)) score += 1;
    else {
      const bare = w.replace(arabiziPrefix, '');
      if (bare !== w && latinMarkers.words.get(bare)?.includes('ar')) score += 1;
      else if (arabiziVariant(w)) score += 0.75;
    }
  }
  return score;
}

const romanianForm = /^[a-z]{3,}(ului|ilor|este|easca|eaza|ească|ează|iile|urile)$/;
const romanianHyphen =
  /(?<![\p{L}])(n|s|m|v|l|i|c|ne|te|ți|ti|într|intr|dintr|printr|de|să|sa)-(am|a|au|ai|ați|ati|un|o|l|i|mi|ți|ti|ul|o|ar|aș|as|ați|i)(?![\p{L}])|\p{L}{2,}-(ul|ului|urile|mi|ți|ti|le|l|o|i)(?![\p{L}])/gu;

function latinScript(text: string, letters: number): LanguageEvidence {
  let folded = latinFold(text);
  let padded = ` ${folded} `;
  for (const w of new Set(folded.split(' '))) for (const p of neutralByFirstWord.get(w) ?? []) if (padded.includes(` ${p} `)) padded = padded.split(` ${p} `).join(' ');
  const tokens = padded
    .trim()
    .split(' ')
    .filter((w) => w && !neutralWords.has(w));
  folded = tokens.join(' ');
  const greeting = greetings.get(folded);
  if (greeting) return greetingEvidence('latin', greeting, letters);
  if (!tokens.length) return { script: 'latin', candidates: [], confidence: 0, scriptCertain: false, greeting: false, letters };

  const scores: Record<string, number> = {};
  for (const l of [...latinLangs, 'ur', 'bn', 'ar', 'fa', 'ti']) scores[l] = 0;
  addWords(scores, tokens, latinMarkers, 1);
  // Elisions: "c'è", "qu'il", "dell'arte", "j'ai" → the part before the apostrophe counts too.
  addWords(
    scores,
    tokens.flatMap((w) => (w.includes("'") && !w.endsWith("'") ? [w.slice(0, w.indexOf("'") + 1)] : [])),
    latinMarkers,
    1,
  );
  for (const p of latinMarkers.phrases) if (` ${folded} `.includes(` ${p.text} `)) for (const l of p.langs) scores[l] = (scores[l] ?? 0) + 1.5 / p.langs.length;
  scores.ar! += arabiziScore(tokens);
  // Everyone in Rome borrows English and Italian words ("desk", "weekend", "permesso di soggiorno");
  // English speakers rarely borrow Tagalog or Urdu function words. When another language has real
  // word evidence, English and Italian words count half.
  const ownWords = Object.entries(scores)
    .filter(([l]) => l !== 'en' && l !== 'it')
    .reduce((m, [, v]) => Math.max(m, v), 0);
  if (ownWords >= 2) {
    scores.en! *= 0.5;
    scores.it! *= 0.5;
  }

  // Romanian glues clitics with hyphens ("n-am", "într-un", "CV-ul", "spune-mi") and has its own
  // endings (-ului, -ilor, -ește, -ează): telling when the diacritics are left out.
  scores.ro! += Math.min(3, tokens.filter((w) => romanianForm.test(w)).length) + count(text.toLowerCase(), romanianHyphen);

  // Letters only some languages use (read before accents are removed).
  const lower = text.toLowerCase();
  scores.es! += Math.min(2, count(lower, /[ñ¿¡]/g));
  scores.fr! += Math.min(1.5, count(lower, /[çœ]/g) * 0.7 + count(lower, /[êëïûô]/g) * 0.4);
  scores.ro! += Math.min(2, count(lower, /[șşțţă]/g) + count(lower, /[âî]/g) * 0.4);
  scores.it! += Math.min(1, count(lower, /[àìòù]/g) * 0.3 + count(lower, /(?<=\s|^)è(?=\s|$)/g));

  const wordScores = { ...scores };
  // The models know standard spellings (cld3 reads case and accents: the original text); their vote
  // counts as much as a few words, less on short texts where they guess.
  const length = Math.min(1, letters / 25);
  const c = cld3Result(text);
  const mapped = c ? cld3Latin[c.language] : undefined;
  if (c && mapped) for (const [l, w] of Object.entries(mapped)) scores[l]! += 2.5 * c.probability * w * length * (c.reliable ? 1 : 0.5);
  if (letters >= 15) {
    // franc only chooses among the seven standard languages: it names one of them for Arabizi or
    // Roman Urdu too ("salam chno howa" reads as Tagalog to it). When the words already point to a
    // language it cannot name, more than to any it can, its forced pick counts half.
    const romanized = Math.max(...romanizedLangs.map((l) => wordScores[l] ?? 0));
    const forced = romanized >= 2 && romanized > Math.max(...latinLangs.map((l) => wordScores[l] ?? 0)) ? 0.5 : 1;
    const [first, second] = francAll(folded, { only: francLatin, minLength: 3 });
    if (first && first[0] !== 'und') scores[iso3to1[first[0]]!]! += 0.8 * forced * length * Math.min(1, (first[1] - (second?.[1] ?? 0)) * 10);
  }

  const candidates = rank(scores);
  return { script: 'latin', candidates, confidence: candidates.length ? confidenceOf(scores, 6) : 0, scriptCertain: false, greeting: false, letters };
}

// ------------------------------------------------------------------ shared

/** Adds each word's weight (1 / number of languages using it, times `weight`) to those languages. */
function addWords(scores: Record<string, number>, tokens: string[], index: MarkerIndex, weight: number): void {
  for (const w of tokens) {
    const langs = index.words.get(w);
    if (!langs) continue;
    for (const l of langs) scores[l] = (scores[l] ?? 0) + weight / langs.length;
  }
}

/** A greeting alone: the languages that use it, most likely first, never confident. */
function greetingEvidence(script: Script, langs: string[], letters: number): LanguageEvidence {
  // Equal shares would hide the order; a gentle slope keeps "most likely first" (and all plausible).
  const weights = langs.map((_, i) => 1 - i * 0.1);
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    script,
    candidates: langs.map((lang, i) => ({ lang, share: weights[i]! / total })),
    confidence: langs.length === 1 ? 0.5 : 0.3,
    scriptCertain: false,
    greeting: true,
    letters,
  };
}
