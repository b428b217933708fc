/**
 * YAML and CSV parsed once and kept as JSON (src/parse-cache.ts): the same value as the parser's,
 * read back from the cache directory the next time, never for a changed text or another way of
 * parsing it, and never for a broken document or one JSON cannot carry.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseCached, parseCacheName, parseCsvObjectsCached, parseCsvRecordsCached, parseYamlCached } from '../src/parse-cache.js';
import { tempCacheDir } from './helpers.js';

describe('the parse cache', () => {
  const cacheDir = tempCacheDir('cwb-yaml-', 'each');

  it('gives what parse gives, for the shipped files, and keeps it as JSON named after the text', () => {
    for (const file of ['data/language-markers.yaml', 'data/explainer.yaml', 'data/lexicon.yaml', 'flows/onboarding.yaml']) {
      const text = readFileSync(file, 'utf8');
      expect(parseYamlCached(text), file).toEqual(parse(text));
      const path = join(cacheDir(), parseCacheName('yaml', text));
      expect(existsSync(path), file).toBe(true);
      // Read back from the cache: the same again.
      expect(parseYamlCached(text), file).toEqual(parse(text));
    }
  });

  it('reads the cached copy instead of parsing, and parses a changed text anew', () => {
    const text = 'a: 1\nb: [x, y]\n';
    expect(parseYamlCached(text)).toEqual({ a: 1, b: ['x', 'y'] });
    // What the cache holds is what comes back (here altered on purpose, to see it is read).
    writeFileSync(join(cacheDir(), parseCacheName('yaml', text)), JSON.stringify({ a: 2 }));
    expect(parseYamlCached(text)).toEqual({ a: 2 });
    expect(parseYamlCached(`${text}c: true\n`)).toEqual({ a: 1, b: ['x', 'y'], c: true });
  });

  it("gives what csv-parse gives for the shipped CSV files, with each row's last line", () => {
    for (const file of ['data/demo/spaces.csv', 'data/demo/translations/bn.csv']) {
      const text = readFileSync(file, 'utf8');
      const direct = (parseCsv(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[]).map((r) => ({
        record: r.record,
        info: { lines: r.info.lines },
      }));
      expect(parseCsvRecordsCached(text, { bom: true, skip_empty_lines: true }), file).toEqual(direct);
      expect(parseCsvRecordsCached(text, { bom: true, skip_empty_lines: true }), file).toEqual(direct);
    }
    const gazetteer = readFileSync('data/gazetteer.csv', 'utf8');
    const objects = parseCsv(gazetteer, { columns: true, skip_empty_lines: true, relax_column_count: true });
    expect(parseCsvObjectsCached(gazetteer, { skip_empty_lines: true, relax_column_count: true })).toEqual(objects);
    expect(parseCsvObjectsCached(gazetteer, { skip_empty_lines: true, relax_column_count: true })).toEqual(objects);
  });

  it('keeps one copy per way of parsing: the same text parsed otherwise is parsed anew', () => {
    const text = 'a,b\n1,2\n';
    expect(parseCached('one', text, () => ['first'])).toEqual(['first']);
    expect(parseCached('two', text, () => ['second'])).toEqual(['second']);
    expect(parseCached('one', text, () => ['not called'])).toEqual(['first']);
  });

  it('parses again after an unreadable copy', () => {
    const text = 'k: v\n';
    writeFileSync(join(cacheDir(), parseCacheName('yaml', text)), '{not json');
    expect(parseYamlCached(text)).toEqual({ k: 'v' });
  });

  it('throws for a broken document as parse does, every time, and keeps nothing', () => {
    const text = 'a: [1, 2\nb: : :\n';
    expect(() => parse(text)).toThrow();
    expect(() => parseYamlCached(text)).toThrow();
    expect(() => parseYamlCached(text)).toThrow();
    expect(readdirSync(cacheDir())).toEqual([]);
  });

  it('keeps nothing JSON cannot give back (infinity, not-a-number)', () => {
    const text = 'big: .inf\nodd: .nan\n';
    const value = parseYamlCached(text) as { big: number; odd: number };
    expect(value.big).toBe(Number.POSITIVE_INFINITY);
    expect(value.odd).toBeNaN();
    expect(readdirSync(cacheDir())).toEqual([]);
  });
});
