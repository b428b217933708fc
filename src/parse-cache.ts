/**
 * Files read at every start (the language markers, the explainer, the lexicon, the flows: YAML; the
 * spaces, events, gazetteer and translation seeds: CSV), parsed once and kept as JSON in the cache
 * directories (`src/cache-dirs.ts`) under a hash of their text and of how they are parsed: the `yaml`
 * library takes ~1 s of CPU for them on a fresh process (most of it warming up its own code) and
 * `csv-parse` a few hundred milliseconds, `JSON.parse` a few milliseconds (issue #17, start-up). A
 * changed file has another hash, so a stale copy is never read; a file that does not parse is parsed
 * (and fails) every time.
 */
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse } from 'yaml';
import { readCached, writeCached } from './cache-dirs.js';

/** Bumped when what is kept changes (or the `yaml` library parses differently): old copies are then ignored. */
const FORMAT = 'parsed-json-1';

/** The cached copy's file name for this text parsed this way (`kind` names the parser and its options). */
export function parseCacheName(kind: string, text: string): string {
  return `parsed-${createHash('sha256').update(FORMAT).update('\0').update(kind).update('\0').update(text).digest('hex').slice(0, 20)}.json`;
}

/** What `parse(text)` of the `yaml` library returns (see {@link parseCached}). */
export function parseYamlCached(text: string): unknown {
  return parseCached('yaml', text, parse);
}

/** A CSV row as `csv-parse` gives it with `info`: its fields and the line it ends on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** `csv-parse`'s records with `info` (only `lines` of it) for these options (see {@link parseCached}). */
export function parseCsvRecordsCached(text: string, options: { bom?: boolean; skip_empty_lines?: boolean; relax_column_count?: boolean }): CsvRecord[] {
  return parseCached(`csv-records ${JSON.stringify(options)}`, text, (t) =>
    (parseCsv(t, { ...options, info: true }) as unknown as CsvRecord[]).map((r) => ({ record: r.record, info: { lines: r.info.lines } })),
  ) as CsvRecord[];
}

/** `csv-parse`'s rows as objects named by the header (`columns: true`) for these options (see {@link parseCached}). */
export function parseCsvObjectsCached(text: string, options: { skip_empty_lines?: boolean; relax_column_count?: boolean }): Record<string, string>[] {
  return parseCached(`csv-objects ${JSON.stringify(options)}`, text, (t) => parseCsv(t, { ...options, columns: true })) as Record<string, string>[];
}

/**
 * What `parse(text)` returns, from the cache when the same text was parsed the same way (`kind`)
 * before. Throws as `parse` does for a broken document (parsed each time: errors are never cached).
 */
export function parseCached(kind: string, text: string, parse: (text: string) => unknown): unknown {
  const name = parseCacheName(kind, text);
  const kept = readCached(name, (bytes) => JSON.parse(bytes.toString('utf8')) as unknown);
  if (kept !== undefined) return kept;
  const value = parse(text) as unknown;
  // Only values JSON gives back the same (YAML's .inf and .nan do not come back as numbers).
  if (sameAsJson(value)) writeCached(name, JSON.stringify(value));
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
