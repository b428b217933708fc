/**
 * Review status per string: which translations a native speaker has read, against which English.
 *
 * `locales/<lang>/review.yaml` holds one entry per reviewed string — `"core:menu.project": { source,
 * text, by, date }` — where `source` is a hash of the English text the reviewer saw and `text` a hash
 * of the translation they approved. A string is `reviewed` while both still match, `stale` when
 * either changed since (the English was reworded, or someone edited the translation without a
 * review), and `machine` (drafted by machine, never reviewed) when it has no entry. The file is
 * written by `coworkbot locales import` from a translator's PO file; nobody needs to edit it by hand.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';

export type StringStatus = 'reviewed' | 'stale' | 'machine';

/** One reviewed string. */
export interface ReviewEntry {
  /** Hash of the English text at review time ({@link textHash}). */
  source: string;
  /** Hash of the translation the reviewer approved. */
  text: string;
  /** Who reviewed it (a name or a role). */
  by: string;
  /** When, YYYY-MM-DD. */
  date: string;
}

const entrySchema = z.object({ source: z.string(), text: z.string(), by: z.string(), date: z.string() });
const fileSchema = z.record(z.string(), entrySchema);

/** A short, stable hash of a string value (a word list is hashed as its JSON). */
export function textHash(value: string | readonly string[]): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}

const reviewPath = (dir: string, lang: string) => join(dir, lang, 'review.yaml');

/** The review entries of one language, by `ns:key` ({} when none). Throws on a malformed file. */
export function readReview(dir: string, lang: string): Record<string, ReviewEntry> {
  const path = reviewPath(dir, lang);
  if (!existsSync(path)) return {};
  const raw = parseYaml(readFileSync(path, 'utf8')) as unknown;
  if (raw === null || raw === undefined) return {};
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`locales/${lang}/review.yaml: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  return parsed.data;
}

/** Writes the review entries of one language, keys sorted, with a header saying what the file is. */
export function writeReview(dir: string, lang: string, entries: Record<string, ReviewEntry>): void {
  const sorted = Object.fromEntries(
    Object.keys(entries)
      .sort()
      .map((k) => [k, entries[k]!]),
  );
  const header = `# Native-speaker review of locales/${lang}/*.json, written by \`coworkbot locales import\`.\n# source/text: hashes of the English and of the translation the reviewer approved.\n`;
  writeFileSync(reviewPath(dir, lang), header + stringifyYaml(sorted, { lineWidth: 0 }));
}

/** The status of one string given its English and translated values and its review entry. */
export function stringStatus(en: string | readonly string[], value: string | readonly string[], entry: ReviewEntry | undefined): StringStatus {
  if (!entry) return 'machine';
  return entry.source === textHash(en) && entry.text === textHash(value) ? 'reviewed' : 'stale';
}
