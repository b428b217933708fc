/**
 * YAML parsed once and kept as JSON (src/yaml-cache.ts): the same value as the `yaml` library's
 * `parse`, read back from the cache directory the next time, never for a changed text, and never
 * for a broken document or one JSON cannot carry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseYamlCached, yamlCacheName } from '../src/yaml-cache.js';

describe('the YAML cache', () => {
  let dir: string;
  const saved = process.env.TEMPLATE_CACHE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwb-yaml-'));
    process.env.TEMPLATE_CACHE_DIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPLATE_CACHE_DIR;
    else process.env.TEMPLATE_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives what parse gives, for the shipped files, and keeps it as JSON named after the text', () => {
    for (const file of ['data/language-markers.yaml', 'data/explainer.yaml', 'data/lexicon.yaml', 'flows/onboarding.yaml']) {
      const text = readFileSync(file, 'utf8');
      expect(parseYamlCached(text), file).toEqual(parse(text));
      const path = join(dir, yamlCacheName(text));
      expect(existsSync(path), file).toBe(true);
      // Read back from the cache: the same again.
      expect(parseYamlCached(text), file).toEqual(parse(text));
    }
  });

  it('reads the cached copy instead of parsing, and parses a changed text anew', () => {
    const text = 'a: 1\nb: [x, y]\n';
    expect(parseYamlCached(text)).toEqual({ a: 1, b: ['x', 'y'] });
    // What the cache holds is what comes back (here altered on purpose, to see it is read).
    writeFileSync(join(dir, yamlCacheName(text)), JSON.stringify({ a: 2 }));
    expect(parseYamlCached(text)).toEqual({ a: 2 });
    expect(parseYamlCached(`${text}c: true\n`)).toEqual({ a: 1, b: ['x', 'y'], c: true });
  });

  it('parses again after an unreadable copy', () => {
    const text = 'k: v\n';
    writeFileSync(join(dir, yamlCacheName(text)), '{not json');
    expect(parseYamlCached(text)).toEqual({ k: 'v' });
  });

  it('throws for a broken document as parse does, every time, and keeps nothing', () => {
    const text = 'a: [1, 2\nb: : :\n';
    expect(() => parse(text)).toThrow();
    expect(() => parseYamlCached(text)).toThrow();
    expect(() => parseYamlCached(text)).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps nothing JSON cannot give back (infinity, not-a-number)', () => {
    const text = 'big: .inf\nodd: .nan\n';
    const value = parseYamlCached(text) as { big: number; odd: number };
    expect(value.big).toBe(Number.POSITIVE_INFINITY);
    expect(value.odd).toBeNaN();
    expect(readdirSync(dir)).toEqual([]);
  });
});
