/**
 * Dates, times, weekdays, numbers and distances written the way each language writes them (Intl),
 * with times in the bot's time zone (config `server.timezone`, TIMEZONE, default Europe/Rome), and
 * helpers that keep Latin names, addresses, phone numbers and URLs readable inside right-to-left text.
 *
 * Every date uses the Gregorian calendar: events happen in Rome, and Intl would otherwise give Persian
 * and Pashto readers Solar Hijri dates. Digits stay those of the locale (Persian ۱۸:۳۰, Bengali ৬:৩০).
 *
 * @example
 * const f = formatterFor('fa', 'Europe/Rome');
 * f.dateTime(new Date('2026-11-27T17:30:00Z')); // "جمعه ۲۷ نوامبر ساعت ۱۸:۳۰"
 * f.distance(1500);                              // "۱٫۵ کیلومتر"
 */
import { isRtl } from './languages.js';
import { isolate } from './i18n.js';

/** The time zone used when none is given. */
export const DEFAULT_TIMEZONE = 'Europe/Rome';

/** Our language code → the Intl locale (Gregorian calendar forced; Tagalog is `fil` in CLDR). */
export function intlLocale(lang: string): string {
  const base = lang === 'tl' ? 'fil' : lang;
  return `${base}-u-ca-gregory`;
}

/** Formatting bound to one language and one time zone. Create one per turn or per message. */
export interface Formatter {
  readonly lang: string;
  readonly timeZone: string;
  /** A day: "Friday 27 November" (the year only when it is not this year's). */
  date(d: Date, now?: Date): string;
  /** A time of day in the time zone: "18:30", "6:30 PM", "۱۸:۳۰". */
  time(d: Date): string;
  /** A weekday: "Friday", "venerdì", "الجمعة". */
  weekday(d: Date): string;
  /** Day and time together: "Friday 27 November, 18:30". */
  dateTime(d: Date, now?: Date): string;
  /** A time range on one day: "18:00–20:00". */
  timeRange(start: Date, end: Date): string;
  /** A number with the locale's digits and separators. */
  number(n: number, maxFractionDigits?: number): string;
  /** A distance in metres: "350 m" below 1 km (rounded to 50 m), "1.5 km" above. */
  distance(meters: number): string;
}

/**
 * A {@link Formatter} for `lang` with times in `timeZone`. Pass `config.server.timezone`.
 * An unknown time zone throws (config validation should catch it first).
 */
export function formatterFor(lang: string, timeZone: string = DEFAULT_TIMEZONE): Formatter {
  const locale = intlLocale(lang);
  const dtf = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone, ...o });
  const dayWithYear = dtf({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const day = dtf({ weekday: 'long', day: 'numeric', month: 'long' });
  const timeFmt = dtf({ hour: 'numeric', minute: '2-digit' });
  const weekdayFmt = dtf({ weekday: 'long' });
  const yearFmt = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  const dayAndTime = dtf({ weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });
  const dayAndTimeWithYear = dtf({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' });
  const sameYear = (d: Date, now: Date) => yearFmt.format(d) === yearFmt.format(now);
  return {
    lang,
    timeZone,
    date: (d, now = new Date()) => (sameYear(d, now) ? day : dayWithYear).format(d),
    time: (d) => timeFmt.format(d),
    weekday: (d) => weekdayFmt.format(d),
    dateTime: (d, now = new Date()) => (sameYear(d, now) ? dayAndTime : dayAndTimeWithYear).format(d),
    timeRange: (start, end) => timeFmt.formatRange(start, end),
    number: (n, max = 1) => new Intl.NumberFormat(locale, { maximumFractionDigits: max }).format(n),
    distance: (meters) => {
      if (meters < 1000) {
        const m = Math.max(50, Math.round(meters / 50) * 50);
        return m >= 1000 ? unit(locale, 'kilometer', 1) : unit(locale, 'meter', m);
      }
      return unit(locale, 'kilometer', Math.round(meters / 100) / 10);
    },
  };
}

function unit(locale: string, u: 'meter' | 'kilometer', value: number): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** Minutes on foot for a distance (about 4.8 km/h, rounded up; at least 1). Use with `core:walkMinutes`. */
export function walkingMinutes(meters: number): number {
  return Math.max(1, Math.ceil(meters / 80));
}

/**
 * In a right-to-left language, wraps each run of Latin letters, digits, URLs, e-mail addresses and
 * phone numbers in bidi isolates (FSI … PDI), so "Via Appia 12", "+39 06 1234 5678" or
 * "https://example.org/a?b=1" keep their order inside Arabic, Persian, Pashto or Urdu text.
 * Left-to-right languages and text that already contains isolates are returned unchanged.
 * Use it on content text (space descriptions, addresses) that did not pass through `turn.t`;
 * values interpolated by `turn.t` are isolated already.
 */
export function isolateLatinRuns(text: string, lang: string): string {
  if (!isRtl(lang) || text.includes('\u2068')) return text;
  return text.replace(LTR_RUN, (run) => isolate(run));
}

// A run starts with a Latin letter, a digit or "+" (phone numbers) and may contain spaces and the
// punctuation that belongs inside addresses, times, URLs and numbers; it ends on a letter or digit
// (or "/" for URLs), so sentence punctuation stays outside.
const LTR_RUN = /(?:https?:\/\/[^\s\u0600-\u06ff]+[^\s.,;:!?)\u0600-\u06ff]|[+\p{Script=Latin}\d](?:[\p{Script=Latin}\d.,:/@+\-_#'’&()]|\s(?=[+\p{Script=Latin}\d]))*[\p{Script=Latin}\d/)])|[\p{Script=Latin}\d]/gu;
