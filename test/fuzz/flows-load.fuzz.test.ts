/**
 * Fuzzing the flow loader (fast-check): random text, the real flow files mutated at the character
 * level, and the real flow documents mutated structurally. Every input gives a Flow or a FlowError
 * naming the file (`file: path: reason`), never another exception.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { flowsDir, FlowError, parseFlow } from '../../src/flows/load.js';
import { mutateText, mutateValue } from './mutate.js';
import { fuzzRuns } from './runs.js';

const sources = readdirSync(flowsDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(flowsDir, f), 'utf8'));

/** The loader's contract for one input: a Flow or a clear FlowError, nothing else. */
function check(source: string): 'flow' | 'error' {
  try {
    const flow = parseFlow(source, 'fuzz.yaml');
    expect(typeof flow.id).toBe('string');
    return 'flow';
  } catch (err) {
    if (!(err instanceof FlowError)) throw err;
    expect(err.message.startsWith('fuzz.yaml: ')).toBe(true);
    expect(err.reason.length).toBeGreaterThan(0);
    return 'error';
  }
}

describe('flow loader fuzzing', () => {
  it('the real flows load (the mutations start from valid documents)', () => {
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const s of sources) expect(check(s)).toBe('flow');
  });

  it('a document that is a YAML alias bomb or a dangling alias is a clear error, quickly', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    const started = Date.now();
    expect(check(bomb)).toBe('error');
    expect(check('id: *nowhere')).toBe('error');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('random text: a flow or a clear error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => void check(s)),
      fuzzRuns(1500),
    );
  });

  it('random YAML-looking documents: a flow or a clear error', () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.constantFrom('id: x', 'version: 1', 'steps:', '  - id: a', '    say: hi', '- ', ': ', '&a', '*a', '!!binary', '{', '[', '"', "'", '---', '...', '#', '\t', '  '),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(yamlish, (parts) => void check(parts.join('\n'))),
      fuzzRuns(1500),
    );
  });

  it('the real flow files mutated character by character: a flow or a clear error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sources), mutateText(), (src, mutate) => void check(mutate(src))),
      fuzzRuns(1000),
    );
  });

  it('the real flow documents mutated structurally (values deleted, swapped, retyped): a flow or a clear error', () => {
    const docs = sources.map((s) => parse(s) as unknown);
    let errors = 0;
    fc.assert(
      fc.property(fc.constantFrom(...docs), mutateValue(), (doc, mutate) => {
        if (check(stringify(mutate(structuredClone(doc)))) === 'error') errors++;
      }),
      fuzzRuns(1500),
    );
    expect(errors).toBeGreaterThan(0); // the mutations do reach the validation
  });
});
