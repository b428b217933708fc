/**
 * Weekdays and dates named in a message, in every language: "on Sunday", "domenica", "یکشنبه",
 * "12 December", "12 dicembre", "12/12", "12 декабря", "১২ ডিসেম্বর", "12月12日", "dopodomani".
 *
 * Weekday and month names come from Intl for each of our languages (the Gregorian calendar, also in
 * Persian and Pashto), plus the forms the lexicon lists (`data/lexicon.yaml`, `time`); dates are a
 * day number next to a month name, or day/month in figures (the European order).
 */
import { normalizeForMatch } from '../core/text.js';
import { languageCodes } from '../i18n/languages.js';

/** Weekday keys, index 0 = Sunday (as `wallTime().weekday`). */
export const weekdayKeys = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof weekdayKeys)[number];

/** A calendar date without a year (the next one is meant). */
export interface DayOfYear {
  month: number;
  day: number;
}

/** Names that are also everyday words in their language ("linggo" is Sunday and "week" in Tagalog). */
const ambiguous = new Set(['linggo', 'luni', 'mai', 'may', 'march', 'mars', 'set', 'ago', 'mar', 'dic', 'lug', 'giu']);

function localeOf(lang: string): string {
  // Persian and Pashto default to the Solar Hijri calendar; people in Rome mean the Gregorian one.
  // (Not i18n/format's intlLocale: that picks the Afghan forms for writing; reading takes the Iranian
  // names from Intl and the Dari ones from the list below.)
  return `${lang === 'tl' ? 'fil' : lang}-u-ca-gregory`;
}

let weekdayCache: { name: string; day: number }[] | undefined;
/** Every language's weekday names (the long forms: short ones are everyday words, "mon", "dim", "sam"), normalized, longest first. */
export function weekdayNames(): { name: string; day: number }[] {
  if (weekdayCache) return weekdayCache;
  const out = new Map<string, number>();
  for (const lang of languageCodes) {
    for (const style of ['long'] as const) {
      const f = new Intl.DateTimeFormat(localeOf(lang), { weekday: style, timeZone: 'UTC' });
      for (let d = 0; d < 7; d++) {
        // 2026-01-04 was a Sunday.
        const name = normalizeForMatch(f.format(new Date(Date.UTC(2026, 0, 4 + d, 12))));
        if ([...name].length >= 3 && !ambiguous.has(name) && !out.has(name)) out.set(name, d);
      }
    }
  }
  weekdayCache = [...out].map(([name, day]) => ({ name, day })).sort((a, b) => b.name.length - a.name.length);
  return weekdayCache;
}

/** Dari month names (Afghanistan writes the Gregorian months this way). */
const dariMonths = ['جنوری', 'فبروری', 'مارچ', 'اپریل', 'می', 'جون', 'جولای', 'اگست', 'سپتمبر', 'اکتوبر', 'نومبر', 'دسمبر'];

let monthCache: Map<string, number> | undefined;
/** Every language's month names (standalone and in a date, long and short), normalized → 1–12. */
export function monthNames(): Map<string, number> {
  if (monthCache) return monthCache;
  const out = new Map<string, number>();
  const add = (raw: string, m: number) => {
    const name = normalizeForMatch(raw.replace(/[\d\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef.,]/g, ' '))
      .replace(/\b(de|del|di)\b/g, ' ')
      .trim();
    if ([...name].length >= 3 && !ambiguous.has(name) && !out.has(name) && !name.includes(' ')) out.set(name, m);
  };
  for (const lang of languageCodes) {
    const locale = localeOf(lang);
    for (const style of ['long', 'short'] as const) {
      const alone = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
      const inDate = new Intl.DateTimeFormat(locale, { month: style, day: 'numeric', timeZone: 'UTC' });
      for (let m = 1; m <= 12; m++) {
        const date = new Date(Date.UTC(2026, m - 1, 15, 12));
        add(alone.format(date), m);
        // In a date, Slavic languages use the genitive ("12 декабря", "12 грудня").
        for (const part of inDate.formatToParts(date)) if (part.type === 'month') add(part.value, m);
      }
    }
  }
  dariMonths.forEach((name, i) => add(name, i + 1));
  monthCache = out;
  return out;
}

/** Arabic-Indic, Persian and Bengali digits → ASCII. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef]/g, (d) => {
    const cp = d.codePointAt(0) ?? 0;
    return String(cp >= 0x09e6 ? cp - 0x09e6 : cp >= 0x06f0 ? cp - 0x06f0 : cp - 0x0660);
  });
}

const validDate = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2028, month, 0)).getUTCDate();

/**
 * Dates named in `text` ("12 December", "December 12th", "12/12", "il 12 dicembre", "12月12日").
 * A lone number is not a date; a time ("18.30") is not either.
 */
export function findDates(text: string): DayOfYear[] {
  const raw = asciiDigits(text);
  const out: DayOfYear[] = [];
  const push = (month: number, day: number) => {
    if (validDate(month, day) && !out.some((d) => d.month === month && d.day === day)) out.push({ month, day });
  };
  // Chinese: 12月12日 / 12月12号
  for (const m of raw.matchAll(/(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]/g)) push(Number(m[1]), Number(m[2]));
  // Figures: 12/12, 12.12.2026, 12-12 (day first); not a time like 18.30 or 9:30.
  for (const m of raw.matchAll(/(?<![\d:])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?(?![\d:])/g)) {
    const [day, month] = [Number(m[1]), Number(m[2])];
    if (m[0].includes('.') && !m[3] && month > 12) continue;
    push(month, day);
  }
  // A day number next to a month name, in either order, with "de", "of", "-го" between at most.
  const words = normalizeForMatch(raw).split(' ');
  const months = monthNames();
  words.forEach((w, i) => {
    const month = months.get(w) ?? months.get(w.replace(/^(ال|ب|في)/, ''));
    if (!month) return;
    for (const j of [i - 1, i - 2, i + 1, i + 2]) {
      const n = /^(\d{1,2})(st|nd|rd|th|er|eme|e|o|a|go|ого|го|th)?$/.exec(words[j] ?? '');
      if (n) {
        push(month, Number(n[1]));
        break;
      }
    }
  });
  return out;
}

/** "The day after tomorrow" in every language: two days from today. */
const afterTomorrow = [
  'dopodomani',
  'day after tomorrow',
  'apres demain',
  'apres-demain',
  'pasado manana',
  'بعد بكرة',
  'بعد بكرا',
  'بعد غد',
  'پس فردا',
  'پسفردا',
  'بل سبا',
  'پرسوں',
  'পরশু',
  'পরশুদিন',
  'післязавтра',
  'послезавтра',
  'ድሕሪ ጽባሕ',
  'saa dambe',
  'maalinta saa dambe',
  '后天',
  'sa makalawa',
  'makalawa',
  'poimaine',
  'poimâine',
].map(normalizeForMatch);

/** Days from today a relative word names ("dopodomani" → 2), if any. */
export function relativeDays(padded: string): number | undefined {
  return afterTomorrow.some((w) => padded.includes(` ${w} `) || (/[\u4e00-\u9fff]/.test(w) && padded.includes(w))) ? 2 : undefined;
}
