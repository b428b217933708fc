/**
 * Dates, times, weekdays, numbers, distances and lists written the way each language writes them
 * (Intl), with times in the bot's time zone (config `server.timezone`, TIMEZONE, default Europe/Rome).
 *
 * Three decisions hold for every language:
 * - **The Gregorian calendar.** Appointments in Italy are Gregorian; Intl would otherwise give
 *   Persian and Pashto readers Solar Hijri months (۱۲ آذر, لیندۍ ۱۲).
 * - **ASCII digits.** Phone numbers, street numbers and the emergency numbers are written with them
 *   in Italy and must stay dialable by a tap; so that a message never mixes two numeral systems
 *   (۱٫۲ کیلومتر … 15 دقیقه), dates, times and distances use them too (`finishText` in `bidi.ts`
 *   turns any other digit into an ASCII one).
 * - **Full day and month names and the 24-hour clock**, as timetables in Rome are written:
 *   abbreviations such as "Arbc, Dis 2" (Somali) or "ሓሙ፣ 3 ታሕ" (Tigrinya) are not clear.
 *
 * Persian uses the Afghan (Dari) names of the Gregorian months (جنوری, دسمبر): many Persian
 * speakers in Rome are Afghans, and the names are recognisable to Iranian readers too. Pashto uses
 * the weekday names spoken in Afghanistan (دوشنبه …), not CLDR's literary ones (دونۍ, اونۍ).
 *
 * @example
 * const f = formatterFor('fa', 'Europe/Rome');
 * f.dateTime(new Date('2026-11-27T17:30:00Z'), now); // "جمعه 27 نومبر، 18:30"
 * f.distance(1500);                                   // "1.5 کیلومتر"
 * f.list(['وای‌فای', 'آشپزخانه', 'چاپگر']);             // "وای‌فای، آشپزخانه و چاپگر"
 */
export { isolateLatinRuns } from './bidi.js';

/** The time zone used when none is given. */
export const DEFAULT_TIMEZONE = 'Europe/Rome';

/**
 * Our language code → the Intl locale: Gregorian calendar, Latin digits; Tagalog is `fil` in CLDR,
 * Persian its Afghan variant, English British (as the English strings are: "Friday 27 November").
 */
export function intlLocale(lang: string): string {
  const base = ({ tl: 'fil', fa: 'fa-AF', en: 'en-GB' } as Record<string, string>)[lang] ?? lang;
  return `${base}-u-ca-gregory-nu-latn`;
}

/** Formatting bound to one language and one time zone. */
export interface Formatter {
  readonly lang: string;
  readonly timeZone: string;
  /** A day: "Friday 27 November" (the year only when it is not this year's). */
  date(d: Date, now?: Date): string;
  /** A time of day in the time zone, 24-hour clock: "18:30". */
  time(d: Date): string;
  /** A weekday: "Friday", "venerdì", "الجمعة". */
  weekday(d: Date): string;
  /** Day and time together: "Friday 27 November, 18:30" (the year only when it is not this year's). */
  dateTime(d: Date, now?: Date): string;
  /** A time range on one day: "18:00–20:00". */
  timeRange(start: Date, end: Date): string;
  /** A number with the locale's separators. */
  number(n: number, maxFractionDigits?: number): string;
  /** A distance in metres: "350 m" below 1 km (rounded to 50 m), "1.5 km" above. */
  distance(meters: number): string;
  /** "A, B and C" in the language's own words and separators (Intl.ListFormat); items with commas: "A, a; B, b". */
  list(items: readonly string[]): string;
  /** "A, B or C". */
  orList(items: readonly string[]): string;
}

/** Languages whose CLDR data we override, and how (see the module comment). */
const overrides: Record<string, { weekdays?: readonly string[]; numbers?: string; units?: { meter: string; kilometer: string } }> = {
  // Sunday first. The weekday names used in Afghanistan's Pashto; CLDR's (يونۍ … اونۍ) are literary and "اونۍ" also means "week".
  ps: { weekdays: ['یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه', 'شنبه'], numbers: 'en', units: { meter: 'متره', kilometer: 'کیلومتره' } },
  // CLDR glues "350متر" together when the digits are Latin.
  fa: { units: { meter: 'متر', kilometer: 'کیلومتر' } },
};

const cache = new Map<string, Formatter>();

/**
 * A {@link Formatter} for `lang` with times in `timeZone` (cached: Intl objects are costly to build).
 * An unknown time zone throws (config validation should catch it first).
 */
export function formatterFor(lang: string, timeZone: string = DEFAULT_TIMEZONE): Formatter {
  const key = `${lang}|${timeZone}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = build(lang, timeZone)));
  return f;
}

function build(lang: string, timeZone: string): Formatter {
  const locale = intlLocale(lang);
  const own = overrides[lang] ?? {};
  const dtf = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone, ...o });
  const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  const dayFmt = dtf({ weekday: 'long', day: 'numeric', month: 'long' });
  const dayWithYearFmt = dtf({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const timeFmt = dtf(clock);
  const weekdayFmt = dtf({ weekday: 'long' });
  const weekdayIndex = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
  const yearFmt = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  const sameYear = (d: Date, now: Date) => yearFmt.format(d) === yearFmt.format(now);
  const weekday = (d: Date): string => {
    if (!own.weekdays) return weekdayFmt.format(d);
    const i = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekdayIndex.format(d));
    return own.weekdays[i] ?? weekdayFmt.format(d);
  };
  const date = (d: Date, now = new Date()): string => {
    const withYear = !sameYear(d, now);
    if (!own.weekdays) return (withYear ? dayWithYearFmt : dayFmt).format(d);
    // "پنجشنبه، 3 دسمبر" from the parts: the weekday replaced, day before month.
    const parts = (withYear ? dayWithYearFmt : dayFmt).formatToParts(d);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${weekday(d)}، ${get('day')} ${get('month')}${withYear ? ` ${get('year')}` : ''}`;
  };
  const numberLocale = own.numbers ?? locale;
  const nf = new Map<number, Intl.NumberFormat>();
  const number = (n: number, max = 1) => {
    let fmt = nf.get(max);
    if (!fmt) nf.set(max, (fmt = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: max })));
    return fmt.format(n);
  };
  const unit = (u: 'meter' | 'kilometer', value: number) =>
    own.units ? `${number(value)} ${own.units[u]}` : new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
  const and = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const or = new Intl.ListFormat(locale, { style: 'long', type: 'disjunction' });
  return {
    lang,
    timeZone,
    date,
    time: (d) => timeFmt.format(d),
    weekday,
    dateTime: (d, now = new Date()) => `${date(d, now)}${dateTimeSeparator(lang)}${timeFmt.format(d)}`,
    timeRange: (start, end) => timeFmt.formatRange(start, end),
    number,
    distance: (meters) => {
      if (meters < 1000) {
        const m = Math.max(50, Math.round(meters / 50) * 50);
        return m >= 1000 ? unit('kilometer', 1) : unit('meter', m);
      }
      return unit('kilometer', Math.round(meters / 100) / 10);
    },
    // Items that hold commas themselves ("Courses, workshops") are separated by semicolons instead.
    list: (items) => (items.some((i) => /[,،、፣]/.test(i)) ? items.join(semicolon(lang)) : and.format(items)),
    orList: (items) => (items.some((i) => /[,،、፣]/.test(i)) ? items.join(semicolon(lang)) : or.format(items)),
  };
}

/** Between list items that contain commas. */
function semicolon(lang: string): string {
  if (lang === 'zh') return '；';
  if (lang === 'ti') return '፤ ';
  if (['ar', 'fa', 'ps', 'ur'].includes(lang)) return '؛ ';
  return '; ';
}

/** Between a day and a time: the language's comma (Arabic-script "،", Chinese none, Ge'ez "፣"). */
function dateTimeSeparator(lang: string): string {
  if (lang === 'zh') return ' ';
  if (lang === 'ti') return '፣ ';
  if (['ar', 'fa', 'ps', 'ur'].includes(lang)) return '، ';
  return ', ';
}

/** Minutes on foot for a distance (about 4.8 km/h, rounded up; at least 1). Use with `core:walkMinutes`. */
export function walkingMinutes(meters: number): number {
  return Math.max(1, Math.ceil(meters / 80));
}
