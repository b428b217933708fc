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

/**
 * Runs transcripts on shared bots: one simulator (one app, one database) per content directory and
 * start time (`now`), instead of a new app per transcript (~1 s of CPU each: the database template, the
 * content import). A transcript runs as if alone: its line numbers start at 1, the clock is back at
 * its `now`, and every person the transcripts before it left (with their handoffs, cards, follows…) is
 * erased first, through the bot's own erasure. Its user names also carry the transcript's name
 * inside the bot (the output shows them as written), so nothing of an earlier person can match.
 */
export class TranscriptBots {
  private readonly sims = new Map<string, Promise<Simulator>>();
  /** Transcripts still to run per bot: a bot closes after its last one (each holds a database). */
  private readonly left = new Map<string, number>();

  /** @param all the options of every transcript that will run (each bot closes after its last one). */
  constructor(all: TranscriptOptions[]) {
    for (const o of all) this.left.set(TranscriptBots.key(o), (this.left.get(TranscriptBots.key(o)) ?? 0) + 1);
  }

  /**
   * The content is read at the clock's time when the app starts (this weekend's events, what has
   * passed): transcripts share an app only with the same content and the same start time.
   */
  private static key(options: TranscriptOptions): string {
    return JSON.stringify([options.data ?? '', options.now ?? null]);
  }

  /** Runs a transcript; returns what the bot actually answered for each input. */
  async run(name: string, options: TranscriptOptions, inputs: Record<string, unknown>[]): Promise<OutputLine[]> {
    const key = TranscriptBots.key(options);
    let sim = this.sims.get(key);
    if (!sim) {
      sim = Simulator.create({ config: testConfig(), now: options.now ? new Date(options.now) : undefined, contentDir: options.data });
      this.sims.set(key, sim);
    }
    const s = await sim;
    try {
      for (const { id } of await s.app.db.query<{ id: string }>('SELECT id FROM people')) await s.app.store.erasePerson(id);
      s.nextScript(options.now ? new Date(options.now) : undefined);
      const prefix = `${name}/`;
      const out: OutputLine[] = [];
      for (const input of inputs) {
        const line = await s.line(JSON.stringify(typeof input.user === 'string' ? { ...input, user: prefix + input.user } : input));
        out.push('user' in line && line.user.startsWith(prefix) ? { ...line, user: line.user.slice(prefix.length) } : line);
      }
      return out;
    } finally {
      const left = (this.left.get(key) ?? 1) - 1;
      this.left.set(key, left);
      if (left <= 0) {
        this.sims.delete(key);
        await s.close();
      }
    }
  }

  /** Closes the bots still open (transcripts that did not run). */
  async close(): Promise<void> {
    for (const sim of this.sims.values()) await (await sim).close();
    this.sims.clear();
  }
}

export function writeTranscript(path: string, options: TranscriptOptions, inputs: Record<string, unknown>[], outputs: OutputLine[]): void {
  const lines = [...(Object.keys(options).length ? [JSON.stringify({ options })] : []), ...inputs.map((input, i) => JSON.stringify({ in: input, out: outputs[i] }))];
  writeFileSync(path, `${lines.join('\n')}\n`);
}
