/**
 * Facilitator opening hours in OpenStreetMap `opening_hours` syntax (HANDOFF_HOURS, default
 * "Mo-Fr 09:00-18:00"), evaluated in the configured time zone, and the "we'll answer from
 * Monday 9:00" phrase in the person's language.
 */
import OpeningHours from 'opening_hours';
import { formatterFor } from '../i18n/format.js';

/** The wall-clock time in `timeZone`, as a Date whose local fields hold that time (what opening_hours reads). */
function wallClock(at: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return new Date(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

export class FacilitatorHours {
  private readonly oh: OpeningHours;

  /** @throws Error with a readable message when `spec` is not valid opening_hours syntax. */
  constructor(
    readonly spec: string,
    private readonly timeZone: string,
  ) {
    this.oh = new OpeningHours(spec, null);
  }

  /** Whether facilitators are on duty at `at`; if not, when they start again (wall clock in the zone). */
  status(at: Date): { open: boolean; nextOpen?: Date } {
    const local = wallClock(at, this.timeZone);
    if (this.oh.getState(local)) return { open: true };
    const next = this.oh.getNextChange(local);
    return { open: false, nextOpen: next };
  }

  /** "Monday 09:00" (in the person's language) for a wall-clock date from {@link status}. */
  static formatNext(next: Date, lang: string): string {
    // A wall-clock date carries Rome's time in the process's own zone (see wallClock).
    const f = formatterFor(lang, Intl.DateTimeFormat().resolvedOptions().timeZone);
    return `${f.weekday(next)} ${f.time(next)}`;
  }
}
