/**
 * The intents the understanding step tells apart, and the shape of what it returns. The labels are
 * exactly those of `test/understanding/LABELS.md` (the held-out sets are labelled with them).
 */

/** Every intent, in the order the clarifying buttons and the model list them. */
export const intents = [
  'human',
  'safety',
  'privacy_info',
  'privacy_export',
  'privacy_delete',
  'incubation',
  'find_space',
  'events',
  'explain',
  'subscribe',
  'unsubscribe',
  'menu',
  'language',
  'greeting',
  'thanks',
  'oos_papers',
  'oos_housing',
  'oos_health',
  'oos_money',
  'oos_jobs',
  'other',
] as const;
export type Intent = (typeof intents)[number];

/** The out-of-scope classes: an honest "I can't advise on that", a person, and what the directory has. */
export const outOfScope = ['oos_papers', 'oos_housing', 'oos_health', 'oos_money', 'oos_jobs'] as const;
export type OutOfScope = (typeof outOfScope)[number];

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (intents as readonly string[]).includes(value);
}

/** Allowed entity values (the content's vocabularies; LABELS.md). */
export const serviceKeys = [
  'wifi',
  'desk',
  'kitchen',
  'childcare',
  'quiet_room',
  'meeting_room',
  'podcast_studio',
  'printer',
  'accessible',
  'mentoring',
  'italian_practice',
  'training',
  'events',
  'welcome_desk',
  'lockers',
  'cafe',
  'maker_lab',
  'rural',
] as const;
export const whenKeys = ['now', 'today', 'tonight', 'tomorrow', 'weekend', 'this_week', 'evening', 'morning', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const topicKeys = ['networking', 'italian', 'digital_skills', 'jobs', 'entrepreneurship', 'culture', 'mentoring', 'family', 'language_exchange', 'legal_info', 'training'] as const;
export const explainTopics = [
  'what_is_coworking',
  'what_you_can_do',
  'cost',
  'what_to_bring',
  'childcare',
  'code_of_conduct',
  'facilitator',
  'mentor',
  'support_levels',
  'residencies',
  'italian_practice',
  'first_visit',
] as const;

/** What a message names, in the labels' vocabulary (only what the text really says). */
export interface Entities {
  /** A canonical place name of the gazetteer, or `other:<name>`. */
  place?: string;
  services?: (typeof serviceKeys)[number][];
  price?: 'free' | 'low';
  when?: (typeof whenKeys)[number];
  topic?: (typeof topicKeys)[number];
  /** A language code: staff who speak it. */
  staff_language?: string;
  children?: boolean;
  explain_topic?: (typeof explainTopics)[number];
  /** A language code (intent `language`). */
  requested_language?: string;
}

/** What the message looks like language-wise (the decision is made elsewhere: `Bot.understandLanguage`, then `settleLanguage`). */
export interface LanguageEvidence {
  /** The detector's guess, if any. */
  lang?: string;
  /** 0–1. */
  confidence: number;
}

/** One reading of a message. */
export interface Understanding {
  intent: Intent;
  /** 0–1: how sure the step is. Below {@link UNSURE} the bot asks instead of guessing. */
  confidence: number;
  /** The next likeliest intents, best first (for the clarifying buttons). */
  alternatives: { intent: Intent; confidence: number }[];
  entities: Entities;
  language: LanguageEvidence;
  /** Who decided: a fixed rule (safety list, command word, language request), the offline model, or the LLM. */
  source: 'rule' | 'model' | 'llm';
  /** Set when the offline safety check matched (whatever the intent): the category and the list's language. */
  safety?: { category: string; lang: string };
}

/** What the step knows about the conversation (hints only; it decides nothing about them). */
export interface UnderstandContext {
  /** The language the bot answers in now. */
  lang?: string;
  /** The person's very first message. */
  first?: boolean;
}

/** Below this confidence the bot asks with buttons instead of acting on the intent. */
export const UNSURE = 0.4;
