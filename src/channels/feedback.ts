/**
 * Reactions to the bot's messages (Telegram `message_reaction`, WhatsApp `reaction`) are never
 * answered: a 👍 or ❤️ on an answer is stored as "useful", a 👎 as "not useful" (the latest reaction
 * wins; removing it removes the feedback), and counted anonymously in the insights. Other emoji, and
 * reactions to messages that are not the bot's, are acknowledged and left alone.
 */
import { createHash } from 'node:crypto';
import type { ChannelPorts } from './ports.js';
import { actorOf } from '../core/pipeline.js';
import { FeedbackStore, type TurnEvent } from '../storage/feedback-store.js';
import { feedbackOf, type Reaction, type ReactionOutcome } from './reaction.js';

export type { Reaction, ReactionOutcome } from './reaction.js';

/**
 * What an answer was about, from the events of the turn that wrote it (the key the insights count
 * by; never free text). Messages a facilitator wrote are `person`.
 */
export function answerTarget(author: string, events: TurnEvent[]): string {
  if (author.startsWith('facilitator:')) return 'person';
  if (author !== 'bot') return (author.split(':', 1)[0] ?? '').slice(0, 40);
  const first = (type: string, field: string): string | undefined => {
    const v = events.find((e) => e.type === type)?.data[field];
    return typeof v === 'string' && v.length > 0 && v.length <= 80 ? v : undefined;
  };
  const space = first('knowledge_space', 'space') ?? first('space_viewed', 'space');
  if (space) return `space:${space}`;
  const event = first('knowledge_event', 'event');
  if (event) return `event:${event}`;
  const topic = first('knowledge_topic', 'topic');
  if (topic) return `explainer:${topic}`;
  const asked = first('knowledge_question', 'target');
  if (asked) return asked;
  if (events.some((e) => e.type === 'knowledge_events')) return 'events';
  if (events.some((e) => e.type === 'knowledge_spaces')) return 'spaces';
  const flow = first('flow_completed', 'flow') ?? first('flow_step', 'flow') ?? first('flow_started', 'flow');
  if (flow) return `flow:${flow}`;
  if (events.some((e) => e.type.startsWith('handoff_'))) return 'handoff';
  const command = first('command', 'command');
  if (command) return `command:${command}`;
  if (events.some((e) => e.type === 'not_understood')) return 'not_understood';
  return 'other';
}

/**
 * Stores a reaction as feedback on the answer it points at, and logs the anonymous event. Never
 * creates a person and never answers. Idempotent: a redelivered reaction changes nothing.
 */
export async function acceptReaction(app: ChannelPorts, r: Reaction): Promise<ReactionOutcome> {
  const useful = feedbackOf(r.emoji);
  if (useful === undefined) return 'ignored';
  const ids = [r.address, ...(r.aliases ?? [])];
  if (ids.length > 1) await app.store.linkAddresses(r.channel, ids, app.clock.now());
  let person;
  for (const id of ids) if ((person = await app.store.findPerson(r.channel, id))) break;
  if (!person) return 'ignored';
  const feedback = new FeedbackStore(app.db);
  const message = await feedback.reactedMessage(person.id, r.channel, r.target);
  if (!message) return 'ignored';
  const actor = actorOf(person.id);
  const target = answerTarget(message.author, await feedback.turnEvents(actor, message.createdAt));
  const at = app.clock.now();
  if (!(await feedback.set(message.id, person.id, useful, target, at))) return 'unchanged';
  const value: ReactionOutcome = useful === null ? 'withdrawn' : useful ? 'useful' : 'not_useful';
  // `answer` lets the insights keep one (the latest) value per person and answer; it cannot be
  // turned back into the message.
  const answer = createHash('sha256').update(`answer:${message.id}`).digest('hex').slice(0, 12);
  await app.store.logEvent('answer_feedback', { actor, channel: r.channel, lang: person.language ?? undefined, data: { value, target, answer }, at });
  return value;
}
