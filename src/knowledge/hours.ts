/**
 * Opening hours (OpenStreetMap `opening_hours` syntax) evaluated in the city's time zone, and
 * written out in a person's language ("Mon–Fri 09:30–19:30 · Sat 10:00–13:00").
 */
import OpeningHours from 'opening_hours';
import { intlLocale } from '../i18n/format.js';
import { asLocal } from './time.js';

const parsed = new Map<string, OpeningHours>();

function hoursOf(value: string): OpeningHours {
  let oh = parsed.get(value);
  if (!oh) {
    oh = new OpeningHours(value, null);
    parsed.set(value, oh);
  }
  return oh;
}

/** Whether a space with these hours is open at `at`. */
export function isOpenAt(hours: string, at: Date, tz: string): boolean {
  return hoursOf(hours).getState(asLocal(at, tz));
}

/** Open intervals per weekday (index 0 = Monday) in minutes after midnight, from a reference week. */
export function weeklyIntervals(hours: string): [number, number][][] {
  const week: [number, number][][] = [[], [], [], [], [], [], []];
  const from = new Date(2026, 0, 5);
  const to = new Date(2026, 0, 12);
  for (const [start, end] of hoursOf(hours).getOpenIntervals(from, to)) {
    const dayIndex = Math.floor((start.getTime() - from.getTime()) / 86_400_000);
    const startMin = start.getHours() * 60 + start.getMinutes();
    const sameDay = end.getDate() === start.getDate();
    const endMin = sameDay ? end.getHours() * 60 + end.getMinutes() : 24 * 60;
    if (dayIndex >= 0 && dayIndex < 7) week[dayIndex]!.push([startMin, endMin]);
  }
  return week;
}

/** Open on some day at 19:30 or later ("in the evening"). */
export function opensInEvening(hours: string): boolean {
  return weeklyIntervals(hours).some((d) => d.some(([s, e]) => s <= 19 * 60 + 30 && e > 19 * 60 + 30));
}

/**
 * Open on a weekday (0 = Sunday, as `wallTime().weekday`): at all, or in the evening (open at some
 * point between 18:00 and 21:00) or the morning (between 09:00 and 12:00).
 */
export function opensOn(hours: string, weekday: number, part?: 'evening' | 'morning'): boolean {
  const intervals = weeklyIntervals(hours)[(weekday + 6) % 7]!;
  const [from, to] = part === 'evening' ? [18 * 60, 21 * 60] : part === 'morning' ? [9 * 60, 12 * 60] : [0, 24 * 60];
  return intervals.some(([s, e]) => s < to && e > from);
}

/** Open on Saturday or Sunday. */
export function opensAtWeekend(hours: string): boolean {
  const w = weeklyIntervals(hours);
  return w[5]!.length > 0 || w[6]!.length > 0;
}

function hhmm(min: number, locale: string): string {
  const d = new Date(Date.UTC(2026, 0, 5, Math.floor(min / 60), min % 60));
  if (min === 24 * 60) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 5, 23, 59)));
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(d);
}

/**
 * The usual weekly hours in the person's language, consecutive days with the same hours grouped.
 * Returns '' when the hours never open (then the caller says to ask the space).
 */
export function readableHours(hours: string, lang: string): string {
  const locale = intlLocale(lang);
  // Full day names: abbreviations are unclear in several languages (Somali "Arbc", Tigrinya "ሓሙ").
  const dayName = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const names = Array.from({ length: 7 }, (_, i) => dayName.format(new Date(Date.UTC(2026, 0, 5 + i, 12))));
  const week = weeklyIntervals(hours).map((d) => d.map(([s, e]) => `${hhmm(s, locale)}–${hhmm(e, locale)}`).join(', '));
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    if (!week[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < 7 && week[j + 1] === week[i]) j++;
    const days = j === i ? names[i] : j === i + 1 ? `${names[i]}, ${names[j]}` : `${names[i]}–${names[j]}`;
    parts.push(`${days} ${week[i]}`);
    i = j + 1;
  }
  return parts.join(' · ');
}
