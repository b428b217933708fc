/**
 * Fuzzing the CSV content importer (fast-check): the demo spaces.csv / events.csv mutated character
 * by character, rows shuffled or duplicated, cells replaced by random values, and random CSV. Every
 * input gives content or a ContentError listing its problems (file, row, column), never a crash.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentError, dataDir, loadContent } from '../../src/knowledge/content.js';
import { mutateText } from './mutate.js';
import { fuzzRuns } from './runs.js';

const spaces = readFileSync(join(dataDir, 'demo', 'spaces.csv'), 'utf8');
const events = readFileSync(join(dataDir, 'demo', 'events.csv'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'cwb-csv-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = { now: new Date('2026-11-24T10:00:00Z'), timezone: 'Europe/Rome' };

/** The importer's contract for one pair of files: content, or a ContentError with clear issues. */
function check(spacesCsv: string, eventsCsv: string): 'content' | 'error' {
  writeFileSync(join(dir, 'spaces.csv'), spacesCsv);
  writeFileSync(join(dir, 'events.csv'), eventsCsv);
  try {
    const c = loadContent(dir, opts);
    expect(Array.isArray(c.spaces)).toBe(true);
    return 'content';
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const i of err.issues) {
      expect(i.file).toMatch(/\S/);
      expect(i.message).toMatch(/\S/);
    }
    return 'error';
  }
}

/** CSV rows (header kept first) reordered, duplicated or dropped. */
const shuffleRows = fc.array(fc.record({ from: fc.nat(), to: fc.nat(), kind: fc.constantFrom('swap', 'dup', 'drop') }), { minLength: 1, maxLength: 5 }).map((ops) => (csv: string) => {
  const [head, ...rows] = csv.split('\n');
  for (const o of ops) {
    if (rows.length === 0) break;
    const a = o.from % rows.length;
    const b = o.to % rows.length;
    if (o.kind === 'swap') [rows[a], rows[b]] = [rows[b]!, rows[a]!];
    else if (o.kind === 'dup') rows.splice(b, 0, rows[a]!);
    else rows.splice(a, 1);
  }
  return [head, ...rows].join('\n');
});

/** One cell (between commas, outside quotes in simple rows) replaced by a random value. */
const replaceCell = fc
  .record({
    row: fc.nat(),
    col: fc.nat(),
    value: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '"', '""', 'yes', '-1', '99:99-00:00', '2026-02-30T25:00', 'free;paid', '\u202e', 'NaN', '1e309')),
  })
  .map((e) => (csv: string) => {
    const lines = csv.split('\n');
    const i = 1 + (e.row % Math.max(1, lines.length - 1));
    if (!lines[i]) return csv;
    const cells = lines[i]!.split(',');
    cells[e.col % cells.length] = e.value;
    lines[i] = cells.join(',');
    return lines.join('\n');
  });

describe('CSV importer fuzzing', () => {
  it('the demo content imports (the mutations start from valid files)', () => {
    expect(check(spaces, events)).toBe('content');
  });

  // A full import (with the gazetteer and lexicon) takes tens of milliseconds: fewer runs here, and an
  // eighth of them in `npm test` (the full count under `npm run fuzz`).
  it('spaces.csv and events.csv mutated character by character: content or a clear error', () => {
    fc.assert(
      fc.property(mutateText(), mutateText(), fc.boolean(), (ms, me, both) => void check(ms(spaces), both ? me(events) : events)),
      fuzzRuns(300, 40),
    );
  }, 120_000);

  it('rows shuffled, duplicated, dropped and cells replaced: content or a clear error', () => {
    const counts = { content: 0, error: 0 };
    fc.assert(
      fc.property(shuffleRows, replaceCell, shuffleRows, replaceCell, (s1, c1, s2, c2) => void counts[check(c1(s1(spaces)), c2(s2(events)))]++),
      fuzzRuns(300, 40),
    );
    expect(counts.error).toBeGreaterThan(0);
  }, 120_000);

  it('random CSV text: content or a clear error', () => {
    const cell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('id', 'name', 'district', '"a,b"', '"', ''));
    const csv = fc
      .array(
        fc.array(cell, { maxLength: 8 }).map((c) => c.join(',')),
        { maxLength: 12 },
      )
      .map((rows) => rows.join('\n'));
    fc.assert(
      fc.property(csv, csv, (s, e) => void check(s, e)),
      fuzzRuns(800, 100),
    );
  });
});
