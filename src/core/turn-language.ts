/**
 * The person's language has one owner per turn: this decision. Three things may speak to it, and it
 * alone weighs them (for the answer's language during the turn, and for what is stored after it):
 *
 * 1. the understanding step's reading of the message (`decideLanguage`, src/i18n/decide.ts), made
 *    before routing;
 * 2. a focused feature's pin (`Turn.pinLanguage`: a running interview keeps its language, because
 *    short answers full of names often look like another language), which wins over 1;
 * 3. the person's own choice in this turn (`Turn.setLanguage`: the picker, a language named in words,
 *    the language question's answer), which wins over everything.
 *
 * Nothing is written while the turn runs: the outcome is stored once, with the turn's state, in the
 * pipeline's `finish()` (one statement), so one message can never flip the stored language twice.
 */
import type { Person } from '../storage/store.js';

export type LanguageSource = NonNullable<Person['languageSource']>;

/** Who decided the turn's language change. */
export type LanguageDecider = 'understanding' | 'pin' | 'choice';

/** The person's language as stored before the turn. */
export interface StoredLanguage {
  language: string | null;
  source: Person['languageSource'];
}

/** What the turn has heard about the language so far. */
export interface LanguageInputs {
  /** The understanding step's language for this message, and how to store it (absent: store nothing). */
  understood: { lang: string; store?: 'detected' | 'hint' };
  /** The language a focused feature keeps (the last pin of the turn). */
  pin?: string;
  /** The person's explicit choice in this turn (the last one). */
  chosen?: string;
}

/** The turn's language, and what (if anything) to store for the person. */
export interface SettledLanguage {
  /** The language the turn answers in. */
  lang: string;
  /** The person's language after the turn (as the turn's code should see it). */
  language: string | null;
  source: Person['languageSource'];
  /** What to write with the turn's state; absent when the stored language stays as it was. */
  write?: { lang: string; source: LanguageSource; by: LanguageDecider };
}

/**
 * Weighs the understanding step, a pin and the person's choice (in that order of strength) against
 * what was stored. A pin never overrides an explicit choice, stored or made in this turn; a pin equal
 * to the understood language changes nothing (the understanding step's source stays).
 */
export function settleLanguage(stored: StoredLanguage, inputs: LanguageInputs): SettledLanguage {
  const { understood, pin, chosen } = inputs;
  let lang = understood.lang;
  let change: { lang: string; source: LanguageSource; by: LanguageDecider } | undefined;
  if (understood.store && (understood.lang !== stored.language || !stored.source)) change = { lang: understood.lang, source: understood.store, by: 'understanding' };
  const source = change?.source ?? stored.source;
  if (pin && pin !== lang && source !== 'explicit') {
    lang = pin;
    change = { lang: pin, source: 'detected', by: 'pin' };
  }
  if (chosen) {
    lang = chosen;
    change = { lang: chosen, source: 'explicit', by: 'choice' };
  }
  // A change that lands where the person already was (detected elsewhere, pinned back) writes nothing.
  const write = change && (change.lang !== stored.language || change.source !== stored.source) ? change : undefined;
  return { lang, language: write?.lang ?? stored.language, source: write?.source ?? stored.source, ...(write ? { write } : {}) };
}
