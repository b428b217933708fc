/**
 * The labelled messages the understanding step is measured on (`npm run eval`).
 *
 * Splits live in `test/understanding/<split>/<lang>.jsonl`:
 * - `dev`: written by people who never saw the training phrases; tune on it freely.
 * - `dev2`: a second check written later, in real people's registers (typos, no accents, romanised
 *   Arabic/Persian/Urdu/Bengali, dialects, long and one-word messages); used to check generalisation,
 *   not tuned on.
 * - `dev3`: the first sealed test split (989 messages), retired after it had been measured five times
 *   while the bot changed; now studied like dev.
 * - `dev4`: 576 messages written for the hardest cases (14 safety messages, mostly indirect, 10
 *   requests for a person and 12 look-alikes per language); studied like dev.
 * - `dev5`: the second sealed test split (992 messages), retired after four measurements; studied like dev.
 * - `test`: written the same way, separately, and never tuned on. Only its figures are reported.
 * Training phrases live under `data/` and are never copied from either split.
 * The label vocabulary is documented in `test/understanding/LABELS.md`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface EvalEntities {
  place?: string;
  services?: string[];
  price?: 'free' | 'low';
  when?: string;
  topic?: string;
  staff_language?: string;
  children?: boolean;
  explain_topic?: string;
  requested_language?: string;
}

export interface EvalCase {
  id: string;
  text: string;
  /** The language the person wants to be answered in. */
  lang: string;
  /** False when this message alone cannot tell the language ("salam", "ok", a place name). */
  lang_evident: boolean;
  intent: string;
  alt_intents?: string[];
  entities?: EvalEntities;
  persona?: string;
  style?: string[];
  first?: boolean;
}

export type Split = 'dev' | 'dev2' | 'dev3' | 'dev4' | 'dev5' | 'test';

/** Every split name `--split` accepts. */
export const splits: readonly Split[] = ['dev', 'dev2', 'dev3', 'dev4', 'dev5', 'test'];

/** Every case of a split, in file order (files sorted by name). */
export function loadCases(split: Split, root = 'test/understanding'): EvalCase[] {
  const dir = join(root, split);
  if (!existsSync(dir)) return [];
  const cases: EvalCase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        cases.push(JSON.parse(line) as EvalCase);
      } catch (err) {
        throw new Error(`${join(dir, file)}:${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }
  return cases;
}
