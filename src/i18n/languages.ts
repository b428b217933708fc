/**
 * The languages the bot speaks. Adding one: add it here and its names to `names.ts`, add
 * `locales/<code>/` and a row to `locales/STATUS.md`, then run `coworkbot locales check`
 * (README, "Languages").
 */

export interface Language {
  code: string;
  /** The language's name in its own script, as shown in the language picker. */
  nativeName: string;
  /** The English name, for staff pages and logs. */
  englishName: string;
  dir: 'ltr' | 'rtl';
  /** Letters of its script when it is not written in Latin letters (a reply in it must contain some). */
  script?: RegExp;
  /** Where content missing in this language comes from, in order. Never Russian for Ukrainian. */
  fallback: string[];
}

export const languages: readonly Language[] = [
  { code: 'it', nativeName: 'Italiano', englishName: 'Italian', dir: 'ltr', fallback: ['en'] },
  { code: 'en', nativeName: 'English', englishName: 'English', dir: 'ltr', fallback: ['it'] },
  { code: 'fr', nativeName: 'Français', englishName: 'French', dir: 'ltr', fallback: ['en', 'it'] },
  { code: 'es', nativeName: 'Español', englishName: 'Spanish', dir: 'ltr', fallback: ['en', 'it'] },
  { code: 'ar', nativeName: 'العربية', englishName: 'Arabic', dir: 'rtl', script: /\p{Script=Arabic}/u, fallback: ['en', 'fr', 'it'] },
  { code: 'fa', nativeName: 'فارسی / دری', englishName: 'Persian / Dari', dir: 'rtl', script: /\p{Script=Arabic}/u, fallback: ['en', 'it'] },
  { code: 'ps', nativeName: 'پښتو', englishName: 'Pashto', dir: 'rtl', script: /\p{Script=Arabic}/u, fallback: ['fa', 'en', 'it'] },
  { code: 'ur', nativeName: 'اردو', englishName: 'Urdu', dir: 'rtl', script: /\p{Script=Arabic}/u, fallback: ['en', 'it'] },
  { code: 'bn', nativeName: 'বাংলা', englishName: 'Bengali', dir: 'ltr', script: /\p{Script=Bengali}/u, fallback: ['en', 'it'] },
  { code: 'uk', nativeName: 'Українська', englishName: 'Ukrainian', dir: 'ltr', script: /\p{Script=Cyrillic}/u, fallback: ['en', 'it'] },
  { code: 'ru', nativeName: 'Русский', englishName: 'Russian', dir: 'ltr', script: /\p{Script=Cyrillic}/u, fallback: ['en', 'it'] },
  { code: 'ti', nativeName: 'ትግርኛ', englishName: 'Tigrinya', dir: 'ltr', script: /\p{Script=Ethiopic}/u, fallback: ['en', 'it'] },
  { code: 'so', nativeName: 'Soomaali', englishName: 'Somali', dir: 'ltr', fallback: ['en', 'it'] },
  { code: 'zh', nativeName: '中文', englishName: 'Chinese', dir: 'ltr', script: /\p{Script=Han}/u, fallback: ['en', 'it'] },
  { code: 'tl', nativeName: 'Tagalog', englishName: 'Tagalog', dir: 'ltr', fallback: ['en', 'it'] },
  { code: 'ro', nativeName: 'Română', englishName: 'Romanian', dir: 'ltr', fallback: ['it', 'en'] },
];

export const languageCodes: readonly string[] = languages.map((l) => l.code);

/** The letters of a language's script, when it is not Latin. */
export function scriptOf(code: string): RegExp | undefined {
  return getLanguage(code)?.script;
}

export function getLanguage(code: string): Language | undefined {
  return languages.find((l) => l.code === code);
}

export function isSupported(code: string | null | undefined): code is string {
  return !!code && languageCodes.includes(code);
}

/** Maps a BCP 47 tag from a platform (`pt-BR`, `uk`, `fa-IR`, `prs`) to one of ours, if any. */
export function fromLanguageTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
  const aliases: Record<string, string> = { prs: 'fa', pbt: 'ps', pbu: 'ps', fil: 'tl', mo: 'ro', zho: 'zh', cmn: 'zh' };
  const code = aliases[base] ?? base;
  return isSupported(code) ? code : undefined;
}

export function isRtl(code: string): boolean {
  return getLanguage(code)?.dir === 'rtl';
}

/** The fallback chain for content: the language itself, then its fallbacks. */
export function contentChain(code: string): string[] {
  return [code, ...(getLanguage(code)?.fallback ?? ['en', 'it'])];
}
