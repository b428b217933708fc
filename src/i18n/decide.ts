/**
 * Which language to answer a message in, or whether to ask: the message's evidence
 * ({@link languageEvidence}) weighed against what the conversation already knows.
 *
 * - A language the person chose stays (they change it with the button or by naming a language).
 * - An established conversation keeps its language unless the new message is clearly another one:
 *   another script (Bengali letters after a wrong Tagalog guess), or a long message confidently in
 *   another language. "delete my data" in an English conversation stays English.
 * - A first message in a language the evidence names confidently, or in a script that names it, is
 *   answered in that language.
 * - When the evidence is weak and fits several languages ("salam", "سلام", "hi po"), the bot asks with
 *   those languages as buttons (2–4, each written in its own language) instead of guessing; the
 *   platform's language decides instead when it is one of them.
 * - A weak guess with one candidate ("ciao") is used, not confidently (the welcome offers a change).
 */
import { CONFIDENT, languageEvidence, scriptOf, type LanguageEvidence } from './detect.js';

/** What the conversation knows before this message. */
export interface LanguageContext {
  /** The language stored for the person, if any. */
  stored?: string;
  /** How it was stored: chosen by the person, detected from a message, or the platform's. */
  source?: 'explicit' | 'detected' | 'hint';
  /** The platform's language (Telegram `language_code`), already one of ours. */
  hint?: string;
  /** The person has written before and has a stored language. */
  established: boolean;
  /** Earlier text still waiting for the language question's answer: its words count too, and the bot does not ask twice. */
  pendingText?: string;
  /** The language when nothing can be told. */
  fallback: string;
}

/** Why the language was decided this way (events, tests). */
export type LanguageReason = 'explicit' | 'kept' | 'script' | 'switched' | 'detected' | 'hint' | 'guess' | 'ask' | 'none';

export interface LanguageDecision {
  /** The language to answer in (while asking: the best guess, used for nothing but the question's order). */
  lang: string;
  /** The bot is sure enough to store and use it without offering a change first. */
  confident: boolean;
  /** Ask the person: these 2–4 languages, most likely first. */
  ask?: string[];
  reason: LanguageReason;
  /** Store this language as detected (or hinted) for the person. */
  store?: 'detected' | 'hint';
}

/** A message at least this long (letters; a Han character counts three) can switch an established conversation. */
export const LONG_LETTERS = 24;
/** …when at least this confident. */
export const SWITCH_CONFIDENCE = 0.88;
/** Letters a message in another, shared script (Arabic, Cyrillic) needs to switch an established conversation. */
export const MIN_SCRIPT_SWITCH = 6;
/** The most languages offered as buttons. */
export const MAX_ASK = 4;
/** A candidate is plausible (worth a button) with at least this share of the best candidate's. */
const PLAUSIBLE = 0.45;

/** Decides the language for `text` in `context`. */
export function decideLanguage(text: string, context: LanguageContext): LanguageDecision {
  const { stored, source, hint, established, fallback } = context;
  if (stored && source === 'explicit') return { lang: stored, confident: true, reason: 'explicit' };
  const evidence = languageEvidence(context.pendingText ? `${context.pendingText}\n${text}` : text);
  const top = evidence.candidates[0]?.lang;

  if (established && stored) {
    if (!top || top === stored) return { lang: stored, confident: true, reason: 'kept' };
    // Another script is another language: a wrong early guess is corrected by unmistakable letters.
    // ("ሰላም" or "আছে" is enough; "да" or "شكرا" alone is not).
    const substantial = evidence.scriptCertain || evidence.letters >= MIN_SCRIPT_SWITCH;
    if (substantial && evidence.script !== 'latin' && evidence.script !== 'none' && evidence.script !== 'other' && evidence.script !== scriptOf(stored)) {
      const options = plausible(evidence);
      if (evidence.scriptCertain || evidence.confidence >= CONFIDENT || options.length < 2 || context.pendingText !== undefined) {
        return { lang: top, confident: true, reason: 'script', store: 'detected' };
      }
      return { lang: top, confident: false, ask: options, reason: 'ask' };
    }
    // Same script (or back to Latin letters): only a long message written confidently in another language.
    const storedShare = evidence.candidates.find((c) => c.lang === stored)?.share ?? 0;
    if (evidence.letters >= LONG_LETTERS && evidence.confidence >= SWITCH_CONFIDENCE && storedShare < 0.15) {
      return { lang: top, confident: true, reason: 'switched', store: 'detected' };
    }
    return { lang: stored, confident: true, reason: 'kept' };
  }

  // Someone new (or nothing stored yet).
  if (!top) {
    if (hint) return { lang: hint, confident: false, reason: 'hint', store: 'hint' };
    return { lang: fallback, confident: false, reason: 'none' };
  }
  if (evidence.scriptCertain) return { lang: top, confident: true, reason: 'script', store: 'detected' };
  if (evidence.confidence >= CONFIDENT) return { lang: top, confident: true, reason: 'detected', store: 'detected' };
  const options = plausible(evidence);
  if (hint && options.includes(hint)) return { lang: hint, confident: false, reason: 'hint', store: 'hint' };
  if (options.length >= 2 && context.pendingText === undefined) return { lang: top, confident: false, ask: options, reason: 'ask' };
  // One weak candidate: the platform's language wins ("hi" from a phone set to Bengali: anyone types
  // Latin letters), unless the message is in a script the platform's language is not written in.
  if (hint && (evidence.script === 'latin' || scriptOf(hint) === evidence.script)) return { lang: hint, confident: false, reason: 'hint', store: 'hint' };
  return { lang: top, confident: false, reason: 'guess', store: 'detected' };
}

/** The languages worth a button: the best ones with a fair share of the evidence, at most {@link MAX_ASK}. */
function plausible(evidence: LanguageEvidence): string[] {
  const best = evidence.candidates[0]?.share ?? 0;
  return evidence.candidates
    .filter((c) => c.share >= best * PLAUSIBLE)
    .slice(0, MAX_ASK)
    .map((c) => c.lang);
}
