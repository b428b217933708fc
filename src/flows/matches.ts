/**
 * Matching a finished interview to spaces and events. The flow feature only knows this interface;
 * the knowledge feature provides the real implementation (wired in `src/app.ts`; `AppOptions.matches`
 * replaces it, as the simulator's `matches` option does for tests).
 */

/** What the interview found out, in enums and numbers only (no free text leaves the card). */
export interface MatchCriteria {
  /** The person's language (spaces whose staff speak it rank first). */
  lang: string;
  /** `none` | `vague` | `clear`. */
  stage?: string;
  /** Option values from the interview: `focus`, `people`, `training`, `equipment`, `mentor_guide`, `mentor_expert`, `italian`. */
  needs: string[];
  /** Equipment option values (`soundproof`, `camera`, `computer`…). */
  equipment: string[];
  /** Topic option values (`digital`, `media`, `food`…). */
  topics: string[];
  /** When the person is free: `mornings`, `afternoons`, `evenings`, `weekends`. */
  freeTimes: string[];
  /** `free` | `low` | `any`. */
  budget?: string;
  childcare?: boolean;
  /** A zone option value (`centre`, `east`…) or a shared location. */
  district?: string;
  location?: { lat: number; lng: number };
  /** How far the person can travel, in km. */
  maxKm?: number;
  /** 1 welcome, 2 help with the project, 3 an expert. */
  supportLevel: 1 | 2 | 3;
}

export interface SpaceMatch {
  id: string;
  name: string;
  /** One short line in the person's language: why it fits. */
  why?: string;
  address?: string;
}

export interface EventMatch {
  id: string;
  title: string;
  startsAt: Date;
  spaceName?: string;
}

/** Finds spaces and upcoming events that fit. Implementations must not throw for "nothing found". */
export interface MatchProvider {
  spaces(criteria: MatchCriteria): Promise<SpaceMatch[]>;
  /** Every space name known (a machine-written summary may name matches only). */
  spaceNames?(): string[];
  events(criteria: MatchCriteria, now: Date): Promise<EventMatch[]>;
}

/** The default until the knowledge feature is wired: finds nothing, and the bot says so honestly. */
export const noMatches: MatchProvider = {
  spaces: async () => [],
  events: async () => [],
};
