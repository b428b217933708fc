/**
 * Wall-clock helpers for one IANA time zone (Europe/Rome by default). The process may run in UTC;
 * everything a person sees ("tonight", "Saturday", opening hours) is in the city's time zone.
 */

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of `at` in `tz`. */
export function wallTime(at: Date, tz: string): WallTime {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: weekdayIndex[parts.weekday!] ?? 0,
  };
}

/** The instant when the wall clock in `tz` shows the given date and time. */
export function fromWallTime(tz: string, year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const target = Date.UTC(year, month - 1, day, hour, minute);
  let guess = target;
  // Two rounds settle the offset, also across a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const w = wallTime(new Date(guess), tz);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
    guess += target - shown;
  }
  return new Date(guess);
}

/** The start of the day `days` after the day of `at` (in `tz`). */
export function startOfDay(at: Date, tz: string, days = 0): Date {
  const w = wallTime(at, tz);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return fromWallTime(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * A process-local Date whose local fields equal the wall clock in `tz`: the `opening_hours`
 * package reads local fields, so this lets it evaluate hours in the city's time zone.
 */
export function asLocal(at: Date, tz: string): Date {
  const w = wallTime(at, tz);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute);
}
