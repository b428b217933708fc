/**
 * Guesses the language of a message, restricted to the 16 languages we speak.
 *
 * 1. Script first, it is certain: Ge'ez → ti, Bengali → bn, Han → zh; Arabic script → ar / fa / ps / ur
 *    and Cyrillic → uk / ru are told apart by letters only one of them uses, then by cld3.
 * 2. Latin script: cld3 (a small neural model, WebAssembly, offline) restricted to our languages,
 *    then franc as a second opinion when cld3 is unsure. Measured on test/i18n/detect-cases.json
 *    (see the README, "Languages").
 * 3. Short messages ("ok", "hi", "👍", "grazie") are never confident: a greeting word may give a
 *    low-confidence guess (enough for a brand-new person), but it never flips a stored language.
 *
 * Detection is a hint, never the final word: a person's explicit choice always wins.
 */
import { loadModule } from 'cld3-asm';
import { francAll } from 'franc';
import { normalizeForMatch } from '../core/text.js';

export interface Detection {
  lang: string;
  /** 0–1. Callers switch a stored language only above {@link CONFIDENT}. */
  confidence: number;
}

/** The confidence above which a message may change a language that was not chosen explicitly. */
export const CONFIDENT = 0.8;
/** The most a short message can reach: below {@link CONFIDENT}, so it never flips a language. */
const SHORT_CAP = 0.6;
/** Letters (Han: characters) below which a message counts as short. */
const SHORT_LETTERS = 12;
const SHORT_HAN = 4;

// cld3 loads in a few milliseconds; if WebAssembly is unavailable, franc alone still works.
const cld3 = await loadModule()
  .then((factory) => factory.create(0, 1000))
  .catch(() => undefined);

const fromCld3: Record<string, string> = { fil: 'tl', tl: 'tl' };
const iso3to1: Record<string, string> = {
  ita: 'it', eng: 'en', fra: 'fr', spa: 'es', ron: 'ro', tgl: 'tl', som: 'so', ukr: 'uk', rus: 'ru',
  arb: 'ar', pes: 'fa', prs: 'fa', pbu: 'ps', urd: 'ur',
};
const latin = ['it', 'en', 'fr', 'es', 'ro', 'tl', 'so'];
const francLatin = ['ita', 'eng', 'fra', 'spa', 'ron', 'tgl', 'som'];

/** Greetings and thanks: too short to detect, but a fair first guess for someone new. */
const greetings: Record<string, string> = Object.fromEntries(
  (
    [
      ['en', 'hello hi hey hiya good morning good evening good afternoon thanks thank you hello there'],
      ['it', 'ciao buongiorno buonasera salve grazie ciao a tutti buon giorno'],
      ['fr', 'bonjour bonsoir salut merci coucou bonjour a tous'],
      ['es', 'hola buenos dias buenas buenas tardes buenas noches gracias'],
      ['ro', 'buna buna ziua buna seara multumesc servus'],
      ['tl', 'kumusta kamusta musta magandang umaga magandang hapon salamat mabuhay'],
      ['so', 'salaan nabad iska warran see tahay mahadsanid asc'],
      ['ar', 'مرحبا مرحباً اهلا أهلا السلام عليكم شكرا شكراً صباح الخير مساء الخير'],
      ['fa', 'سلام درود ممنون مرسی خسته نباشید صبح بخیر سلام علیکم'],
      ['ps', 'ستړي مه شې پخير راغلې مننه'],
      ['ur', 'شکریہ آداب السلام علیکم جی'],
      ['ru', 'привет здравствуйте спасибо добрый день privet spasibo zdravstvuyte'],
      ['uk', 'привіт вітаю дякую добрий день pryvit dyakuyu'],
    ] as const
  ).flatMap(([lang, words]) => multiWord(words).map((w) => [normalizeForMatch(w), lang] as const)),
);

/** Splits a greeting list into single words and the known two- and three-word greetings. */
function multiWord(words: string): string[] {
  const phrases = ['good morning', 'good evening', 'good afternoon', 'thank you', 'hello there', 'ciao a tutti', 'buon giorno', 'bonjour a tous', 'buenos dias', 'buenas tardes', 'buenas noches', 'buna ziua', 'buna seara', 'magandang umaga', 'magandang hapon', 'iska warran', 'see tahay', 'السلام عليكم', 'صباح الخير', 'مساء الخير', 'خسته نباشید', 'صبح بخیر', 'سلام علیکم', 'ستړي مه شې', 'پخير راغلې', 'السلام علیکم', 'добрый день', 'добрий день'];
  let rest = ` ${words} `;
  for (const p of phrases) rest = rest.replace(` ${p} `, ' ');
  return [...phrases.filter((p) => ` ${words} `.includes(` ${p} `)), ...rest.trim().split(/\s+/)];
}

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Detects the language of `text`, or undefined when it cannot be told. */
export function detectLanguage(text: string): Detection | undefined {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 2) return undefined;
  const total = letters.length;
  const greeting = greetings[normalizeForMatch(text)];

  const ethiopic = count(text, /\p{Script=Ethiopic}/gu);
  const bengali = count(text, /\p{Script=Bengali}/gu);
  const han = count(text, /\p{Script=Han}/gu);
  const arabicScript = count(text, /\p{Script=Arabic}/gu);
  const cyrillic = count(text, /\p{Script=Cyrillic}/gu);

  let found: Detection | undefined;
  if (ethiopic / total > 0.5) found = { lang: 'ti', confidence: 0.95 };
  else if (bengali / total > 0.5) found = { lang: 'bn', confidence: 0.95 };
  else if (han / total > 0.3) return { lang: 'zh', confidence: han < SHORT_HAN ? SHORT_CAP : 0.95 };
  else if (arabicScript / total > 0.5) found = greeting ? { lang: greeting, confidence: 0.5 } : arabicScriptLanguage(text);
  else if (cyrillic / total > 0.5) found = greeting ? { lang: greeting, confidence: 0.5 } : cyrillicLanguage(text);
  else if (greeting) return { lang: greeting, confidence: 0.5 };
  else if (total < SHORT_LETTERS) return undefined; // "ok", "hi", "grazie": too short to tell Latin languages apart
  else found = latinLanguage(text, total);
  if (!found) return undefined;
  return total < SHORT_LETTERS ? { lang: found.lang, confidence: Math.min(found.confidence, SHORT_CAP) } : found;
}

/** cld3's answer when it is one of `allowed`, with its probability. */
function cld3Guess(text: string, allowed: readonly string[]): Detection | undefined {
  if (!cld3) return undefined;
  const r = cld3.findLanguage(text);
  const lang = fromCld3[r.language] ?? r.language;
  return allowed.includes(lang) ? { lang, confidence: r.probability } : undefined;
}

function francGuess(text: string, allowed3: string[]): { lang: string; margin: number } | undefined {
  const [first, second] = francAll(text, { only: allowed3, minLength: 3 });
  if (!first || first[0] === 'und') return undefined;
  return { lang: iso3to1[first[0]]!, margin: first[1] - (second?.[1] ?? 0) };
}

function latinLanguage(text: string, letters: number): Detection | undefined {
  const length = Math.min(0.3, letters / 150);
  const c = cld3Guess(text, latin);
  const f = francGuess(text, francLatin);
  if (c && c.confidence >= 0.7) return { lang: c.lang, confidence: Math.min(0.95, 0.6 + c.confidence * 0.1 + length + (f?.lang === c.lang ? 0.1 : 0)) };
  if (f && c && f.lang === c.lang) return { lang: f.lang, confidence: Math.min(0.9, 0.65 + length) };
  if (f) return { lang: f.lang, confidence: Math.min(0.85, 0.5 + f.margin + length) };
  return c ? { lang: c.lang, confidence: 0.5 } : undefined;
}

/**
 * Arabic, Persian, Pashto and Urdu share a script. Letters only one of them uses and very common
 * words decide; cld3 breaks ties and adds its vote.
 */
function arabicScriptLanguage(text: string): Detection {
  const t = ` ${text.replace(/[\p{P}\p{S}]/gu, ' ')} `;
  const word = (words: string) => count(t, new RegExp(`(?<=\\s)(${words})(?=\\s)`, 'g')) * 2;
  const scores: Record<string, number> = {
    ps: count(t, /[ټډړږښګڼۍېځڅ]/g) * 2 + word('دی|ده|زه|ته|څه|چېرته|کوم|سره|لپاره|په|کې|دې|شي|غواړم|کولای'),
    ur: count(t, /[ٹڈڑںےۓھ]/g) * 2 + word('ہے|ہیں|کیا|میں|کے|کی|کا|اور|نہیں|آپ|کو|سے|پر|ہوں'),
    fa: count(t, /[پچژگ]/g) + word('چیست|کجاست|چطور|است|هست|هستم|می|چه|کجا|من|برای|این|را|یک|دارم|میخواهم|که|از|با|به|در|نه|چطور|کنم|شما'),
    ar: count(t, /[ةىئؤإأًٌٍ]/g) + word('هل|في|من|أين|اين|ما|هو|هي|أريد|اريد|الى|إلى|على|عن|هذا|هذه|كيف|لا|التي|الذي|يوجد|أن') + count(t, /\sال/g),
  };
  const c = cld3Guess(text, ['ar', 'fa', 'ps', 'ur']);
  if (c) scores[c.lang]! += 3 * c.confidence;
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, next] = ranked as [[string, number], [string, number]];
  if (best[1] === 0) return { lang: 'ar', confidence: 0.5 };
  const confidence = Math.min(0.95, 0.55 + (best[1] - next[1]) / (best[1] + 1));
  return { lang: best[0], confidence };
}

/** Ukrainian has letters Russian lacks (і ї є ґ) and the reverse (ы э ъ ё); cld3 decides the rest. */
function cyrillicLanguage(text: string): Detection {
  const uk = count(text, /[іїєґІЇЄҐ]/g);
  const ru = count(text, /[ыэъёЫЭЪЁ]/g);
  if (uk > ru) return { lang: 'uk', confidence: Math.min(0.95, 0.75 + uk * 0.05) };
  if (ru > uk) return { lang: 'ru', confidence: Math.min(0.95, 0.75 + ru * 0.05) };
  // Frequent words spelled with letters both languages share ("допомога" / "помощь", "що" / "что").
  const t = ` ${normalizeForMatch(text)} `;
  const word = (words: string) => count(t, new RegExp(`(?<= )(${words})(?= )`, 'g'));
  const ukWords = word('допомога|допоможіть|дякую|будь|ласка|що|як|де|мене|мені|шукаю|мова|мову|людина|людиною|ні|добрий|вітаю|робота|роботу|місце|зараз|але|або|чи|коли|можна|буде');
  const ruWords = word('помощь|помогите|спасибо|пожалуйста|что|как|где|меня|мне|ищу|язык|человек|да|нет|добрый|работа|работу|место|здесь|сейчас|но|или|когда|можно|будет|привет');
  if (ukWords !== ruWords) return { lang: ukWords > ruWords ? 'uk' : 'ru', confidence: Math.min(0.9, 0.7 + Math.abs(ukWords - ruWords) * 0.05) };
  const c = cld3Guess(text, ['uk', 'ru']);
  if (c) return { lang: c.lang, confidence: Math.min(0.85, 0.4 + c.confidence * 0.4) };
  const f = francGuess(text, ['ukr', 'rus']);
  return { lang: f?.lang ?? 'ru', confidence: 0.6 };
}
