/**
 * The incubation interview answered from the greeting to the last question with the same choices,
 * for the tests that look at its end (the card, the matches, the time zone of a matched event).
 */
import type { OutputLine } from '../src/cli/simulate.js';

/** Runs the whole interview with `idea` as the project and returns the bot's last answer. */
export async function completeInterview(say: (input: Record<string, unknown>) => Promise<OutputLine>, idea: string): Promise<OutputLine> {
  await say({ text: 'hello' });
  await say({ choice: 'flow:incubation' });
  await say({ choice: 'flow:a:clear' });
  await say({ text: idea });
  for (const input of [
    { choice: 'flow:x:skip' }, // skills
    { choice: 'flow:x:skip' }, // languages
    { choice: 'flow:a:equipment' },
    { choice: 'flow:a:mentor_expert' },
    { choice: 'flow:x:done' },
    { choice: 'flow:a:soundproof' },
    { choice: 'flow:x:done' },
    { choice: 'flow:a:long' },
    { choice: 'flow:a:free' },
    { choice: 'flow:a:no' },
    { choice: 'flow:a:east' },
    { choice: 'flow:a:city' },
  ]) {
    await say(input);
  }
  return say({ choice: 'flow:a:yes' });
}
