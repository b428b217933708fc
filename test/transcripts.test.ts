import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTranscript, TranscriptBots, writeTranscript } from './transcript-runner.js';

const dir = join(import.meta.dirname, 'transcripts');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
const update = process.env.UPDATE_TRANSCRIPTS === '1';

describe('transcripts', () => {
  const bots = new TranscriptBots(files.map((f) => readTranscript(join(dir, f)).options));
  afterAll(() => bots.close());

  it('has transcripts to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const path = join(dir, file);
    const { options, exchanges } = readTranscript(path);
    const inputs = exchanges.map((e) => e.in);
    const actual = await bots.run(file.replace(/\.jsonl$/, ''), options, inputs);
    if (update) {
      writeTranscript(path, options, inputs, actual);
      return;
    }
    for (const [i, e] of exchanges.entries()) {
      expect(actual[i], `${file}, exchange ${i + 1}: ${JSON.stringify(e.in)}`).toEqual(e.out);
    }
  });
});
