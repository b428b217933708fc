/**
 * A reaction to one of the bot's messages, as both channels decode it, and what it says about the
 * answer. Pure: the decoders use it; `feedback.ts` stores it.
 */

/** A person's reaction to one of our messages, as both channels decode it. */
export interface Reaction {
  channel: 'telegram' | 'whatsapp';
  address: string;
  aliases?: string[];
  /** The platform id of the message reacted to, as our sends store it (`externalId`). */
  target: string;
  /** The reaction now; none when the person removed it. */
  emoji?: string;
  receivedAt: Date;
}

/** What a reaction did. */
export type ReactionOutcome = 'useful' | 'not_useful' | 'withdrawn' | 'unchanged' | 'ignored';

/** Skin-tone modifiers and the emoji variation selector do not change what a reaction means. */
const bare = (emoji: string) => emoji.replace(/[\u{1F3FB}-\u{1F3FF}\u{FE0F}]/gu, '');
const USEFUL = new Set(['👍', '❤']);
const NOT_USEFUL = new Set(['👎']);

/** `true` useful, `false` not useful, `null` removed, `undefined` an emoji that says neither. */
export function feedbackOf(emoji: string | undefined): boolean | null | undefined {
  if (!emoji) return null;
  const e = bare(emoji);
  return USEFUL.has(e) ? true : NOT_USEFUL.has(e) ? false : undefined;
}
