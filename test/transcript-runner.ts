/**
 * Transcript tests: each `test/transcripts/*.jsonl` file is a whole conversation, one simulator
 * exchange per line: `{"in": {…simulate input…}, "out": {…simulate output…}}`. An optional first
 * line `{"options": {"now": "2026-11-27T18:00:00+01:00", "data": "test/content/other"}}` sets the
 * simulator's options.
 *
 * Re-record on purpose (after a deliberate change of wording): `UPDATE_TRANSCRIPTS=1 npx vitest run test/transcripts.test.ts`,
 * then read the diff before committing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Simulator, type OutputLine } from '../src/cli/simulate.js';
import { testConfig } from './helpers.js';

export interface TranscriptOptions {
  now?: string;
  data?: string;
}

export interface Exchange {
  in: Record<string, unknown>;
  out: OutputLine;
}

export function readTranscript(path: string): { options: TranscriptOptions; exchanges: Exchange[] } {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  let options: TranscriptOptions = {};
  const exchanges: Exchange[] = [];
  for (const [i, line] of lines.entries()) {
    const parsed = JSON.parse(line) as { options?: TranscriptOptions } & Partial<Exchange>;
    if (i === 0 && parsed.options) options = parsed.options;
    else if (parsed.in) exchanges.push({ in: parsed.in, out: parsed.out as OutputLine });
    else throw new Error(`${path}:${i + 1}: expected {"in": …, "out": …}`);
  }
  return { options, exchanges };
}

/** Runs a transcript; returns what the bot actually answered for each input. */
export async function runTranscript(options: TranscriptOptions, inputs: Record<string, unknown>[]): Promise<OutputLine[]> {
  const sim = await Simulator.create({
    config: testConfig(),
    now: options.now ? new Date(options.now) : undefined,
    contentDir: options.data,
  });
  try {
    const out: OutputLine[] = [];
    for (const input of inputs) out.push(await sim.line(JSON.stringify(input)));
    return out;
  } finally {
    await sim.close();
  }
}

export function writeTranscript(path: string, options: TranscriptOptions, inputs: Record<string, unknown>[], outputs: OutputLine[]): void {
  const lines = [...(Object.keys(options).length ? [JSON.stringify({ options })] : []), ...inputs.map((input, i) => JSON.stringify({ in: input, out: outputs[i] }))];
  writeFileSync(path, `${lines.join('\n')}\n`);
}
