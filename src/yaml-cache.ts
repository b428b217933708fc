/**
 * YAML files read at every start (the language markers, the explainer, the lexicon, the flows),
 * parsed once and kept as JSON in the cache directories (`src/cache-dirs.ts`) under a hash of their
 * text: the `yaml` library takes ~1 s of CPU for them on a fresh process (most of it warming up its
 * own code), `JSON.parse` a few milliseconds (issue #17, start-up). A changed file has another
 * hash, so a stale copy is never read; a file that does not parse is parsed (and fails) every time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cacheDirs } from './cache-dirs.js';

/** Bumped when what is kept changes (or the `yaml` library parses differently): old copies are then ignored. */
const FORMAT = 'yaml-json-1';

/** The cached copy's file name for this text. */
export function yamlCacheName(text: string): string {
  return `yaml-${createHash('sha256').update(FORMAT).update('\0').update(text).digest('hex').slice(0, 20)}.json`;
}

/**
 * What `parse(text)` of the `yaml` library returns, from the cache when the same text was parsed
 * before. Throws as `parse` does for a broken document (parsed each time: errors are never cached).
 */
export function parseYamlCached(text: string): unknown {
  const name = yamlCacheName(text);
  const dirs = cacheDirs();
  for (const dir of dirs) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // unreadable: the next place, or parse
    }
  }
  const value = parse(text) as unknown;
  // Only values JSON gives back the same (YAML's .inf and .nan do not come back as numbers).
  if (!sameAsJson(value)) return value;
  const json = JSON.stringify(value);
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      // Written aside and renamed: a process reading at the same time never sees half a file.
      const part = `${path}.${process.pid}.part`;
      writeFileSync(part, json);
      renameSync(part, path);
      break;
    } catch {
      // A read-only place: try the next one (none: parsed again next time).
    }
  }
  return value;
}

/** Whether `JSON.parse(JSON.stringify(value))` is `value` again: plain objects, arrays, strings, finite numbers, booleans, null. */
function sameAsJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(sameAsJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).every(([k, v]) => k !== '__proto__' && sameAsJson(v));
}
