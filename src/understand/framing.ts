/**
 * Politeness around a request: "salam aleikum, I arrived last month, is there a place to work near
 * Termini? thank you". A greeting or thanks of a few words at the start or the end of a longer message
 * frames the request without changing it, yet its words weigh on a model trained on short phrases.
 * {@link readWithoutFraming} reads the message without the clauses that alone read as a greeting or
 * thanks, when something else is left.
 */
import type { Scores } from './model.js';

/** A clause of at most this many words can be a greeting or a thanks around a request. */
const FRAME_MAX_WORDS = 4;
/** …when the model reads it alone as one from this confidence up. */
const FRAME_CONFIDENCE = 0.5;

/** What is left of a message that reads as a greeting or thanks must read as a request this surely. */
const REST_CONFIDENCE = 0.3;

const clauseBreak = /[,.!?;:،؛؟。，！？、\n]+|\s[-–—]\s/u;

/**
 * The scores of a message with its framing clauses left out: the whole message's scores when it has a
 * single clause, no framing, or nothing but framing.
 */
export function readWithoutFraming(classify: (text: string) => Scores, text: string): Scores {
  const clauses = text
    .split(clauseBreak)
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length < 2) return classify(text);
  const isFrame = (clause: string) => {
    if (clause.split(/\s+/).length > FRAME_MAX_WORDS) return false;
    const top = classify(clause)[0]!;
    return (top.intent === 'greeting' || top.intent === 'thanks') && top.confidence >= FRAME_CONFIDENCE;
  };
  let start = 0;
  let end = clauses.length;
  while (start < end - 1 && isFrame(clauses[start]!)) start++;
  while (end - 1 > start && isFrame(clauses[end - 1]!)) end--;
  const whole = classify(text);
  if (start === 0 && end === clauses.length) return whole;
  const rest = classify(clauses.slice(start, end).join(', '));
  // "muchas gracias, nada más" is all thanks: what is left must read as a request, and a confident
  // one when the whole message reads as a greeting or thanks.
  const framed = whole[0]!.intent === 'greeting' || whole[0]!.intent === 'thanks';
  if (['other', 'greeting', 'thanks'].includes(rest[0]!.intent) || (framed && rest[0]!.confidence < REST_CONFIDENCE)) return whole;
  return rest;
}
