/**
 * Translations of content that ship with the content itself, drafted by machine and stored for
 * review: `<content dir>/translations/<lang>.csv` with the columns `ref` (`space:<id>`, `event:<id>`,
 * `explainer:<id>`), `field` (`description`, `price_note`, `title`, `text`), `source` (the text it
 * translates, as in the content, usually English) and `text` (the translation).
 *
 * Why here and not as `description_<lang>` columns of spaces.csv: a column holds text the content's
 * authors stand behind and shows without any note; these are drafts nobody has reviewed yet. Loaded
 * into `content_translations` as `machine` rows they show with the note "Translated automatically",
 * appear on the `/translations` page where a coordinator or a native speaker approves, edits or
 * rejects each one, and are tied to their source text by its hash: when the source changes, the
 * draft stops being shown (and the file's row, whose `source` no longer matches, is reported by
 * `coworkbot locales check`). A reviewed or rejected row in the database is never overwritten.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecordsCached } from '../parse-cache.js';
import type { LocaleIssue } from '../i18n/check.js';
import { languageCodes } from '../i18n/languages.js';
import { translationSource } from '../llm/content-translations.js';
import { errorMessage, type Logger } from '../logger.js';
import { sourceHash, type NewTranslation, type TranslationStore } from '../storage/translation-store.js';
import { loadContent, type KnowledgeContent, type LoadOptions } from './content.js';
import { translatableContent } from './translatable.js';

/** One row of a seed file. */
export interface SeedRow {
  lang: string;
  ref: string;
  field: string;
  source: string;
  text: string;
  /** File and line, for messages. */
  where: string;
}

/** Parsed seed files by path and modification time: every start (and every test app) reads them. */
const cache = new Map<string, { mtimeMs: number; size: number; rows: SeedRow[] }>();

/** The seed rows of a content directory and the problems met reading them (a file skipped, a row ignored). */
export interface SeedFiles {
  seeds: SeedRow[];
  problems: string[];
}

/** Reads the seed files of `dir` for {@link seedTranslations} (the app reads them while its database opens). */
export function readSeedFiles(dir: string): SeedFiles {
  const problems: string[] = [];
  return { seeds: readSeeds(dir, problems), problems };
}

/** Reads `<dir>/translations/<lang>.csv` for every language file present. Malformed files are reported, not thrown. */
export function readSeeds(dir: string, problems: string[] = []): SeedRow[] {
  const folder = join(dir, 'translations');
  if (!existsSync(folder)) return [];
  const out: SeedRow[] = [];
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const lang = file.slice(0, -4);
    if (!languageCodes.includes(lang)) {
      problems.push(`translations/${file}: "${lang}" is not one of the bot's languages`);
      continue;
    }
    const path = join(folder, file);
    const st = statSync(path);
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      out.push(...hit.rows);
      continue;
    }
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parseCsvRecordsCached(readFileSync(path, 'utf8'), { bom: true, skip_empty_lines: true });
    } catch (err) {
      problems.push(`translations/${file}: not a valid CSV file (${errorMessage(err)})`);
      continue;
    }
    const header = records[0]?.record.map((h) => h.trim()) ?? [];
    const col = (name: string) => header.indexOf(name);
    if (['ref', 'field', 'source', 'text'].some((c) => col(c) < 0)) {
      problems.push(`translations/${file}: the header must have the columns ref, field, source, text`);
      continue;
    }
    const rows: SeedRow[] = [];
    for (const { record, info } of records.slice(1)) {
      const get = (name: string) => (record[col(name)] ?? '').trim();
      if (!get('ref') || !get('text')) continue;
      rows.push({ lang, ref: get('ref'), field: get('field'), source: get('source'), text: get('text'), where: `translations/${file} line ${info.lines}` });
    }
    cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, rows });
    out.push(...rows);
  }
  return out;
}

/** How each seed row relates to the content: usable, a translation of an older source text, or about nothing. */
function classify(content: KnowledgeContent, seeds: SeedRow[]) {
  const records = new Map(translatableContent(content).map((r) => [r.ref, r]));
  const usable: (NewTranslation & { where: string })[] = [];
  const stale: SeedRow[] = [];
  const unknown: SeedRow[] = [];
  for (const row of seeds) {
    const fields = records.get(row.ref)?.fields[row.field];
    if (!fields) {
      unknown.push(row);
      continue;
    }
    if (fields[row.lang]?.trim()) continue; // the content has its own text in this language
    const source = translationSource(fields, row.lang);
    if (!source || source.text.trim() !== row.source) {
      stale.push(row);
      continue;
    }
    usable.push({ ref: row.ref, field: row.field, lang: row.lang, sourceLang: source.lang, sourceText: source.text, text: row.text, where: row.where });
  }
  return { usable, stale, unknown };
}

/**
 * Stores the seed translations of `dir` that the database lacks for the current content, as machine
 * translations. Cheap when nothing is new (one query). Returns how many rows were stored.
 */
export async function seedTranslations(dir: string, content: KnowledgeContent, store: TranslationStore, now: Date, log?: Logger, read: SeedFiles = readSeedFiles(dir)): Promise<number> {
  const { seeds, problems } = read;
  for (const p of problems) log?.warn({ problem: p }, 'content translations: a seed file was skipped');
  if (seeds.length === 0) return 0;
  const { usable, stale } = classify(content, seeds);
  if (stale.length) log?.info({ rows: stale.length }, 'content translations: some seed rows translate an older text and were not used');
  const existing = await store.sourceHashes();
  const fresh: NewTranslation[] = [];
  let replaced = 0;
  for (const u of usable) {
    const have = existing.get(`${u.ref}|${u.field}|${u.lang}`);
    if (have === undefined) fresh.push(u);
    else if (have !== sourceHash(u.sourceLang, u.sourceText)) {
      // The database holds a translation of an older source text: this draft is newer.
      await store.putMachine(u, now);
      replaced++;
    }
  }
  const stored = (await store.putMachineMany(fresh, now)) + replaced;
  if (stored) log?.info({ stored }, 'content translations: stored machine-drafted translations shipped with the content');
  return stored;
}

/**
 * For `coworkbot locales check`: every content field (space, event, explainer) that has no text and
 * no current seed translation in some language, seed rows that translate an older source text, and
 * seed rows about nothing. The content directory must load (else one issue says why).
 */
export function checkContentTranslations(dir: string, opts: LoadOptions, expected: readonly string[] = languageCodes): LocaleIssue[] {
  const issues: LocaleIssue[] = [];
  let content: KnowledgeContent;
  try {
    content = loadContent(dir, opts);
  } catch (err) {
    return [{ kind: 'invalid-data', lang: '*', detail: `content in ${dir}: ${errorMessage(err).split('\n').slice(0, 3).join(' ')}` }];
  }
  const problems: string[] = [];
  const seeds = readSeeds(dir, problems);
  for (const p of problems) issues.push({ kind: 'invalid-data', lang: '*', detail: p });
  const { usable, stale, unknown } = classify(content, seeds);
  for (const s of stale) issues.push({ kind: 'missing-content', lang: s.lang, key: `${s.ref} ${s.field}`, detail: `${s.where} translates an older text: translate the current one` });
  for (const s of unknown) issues.push({ kind: 'invalid-data', lang: s.lang, key: `${s.ref} ${s.field}`, detail: `${s.where}: no such content field` });
  const seeded = new Set(usable.map((u) => `${u.ref}|${u.field}|${u.lang}`));
  for (const r of translatableContent(content)) {
    for (const [field, fields] of Object.entries(r.fields)) {
      if (!Object.values(fields).some((v) => v?.trim())) continue;
      for (const lang of expected) {
        if (fields[lang]?.trim() || seeded.has(`${r.ref}|${field}|${lang}`)) continue;
        issues.push({ kind: 'missing-content', lang, key: `${r.ref} ${field}`, detail: `no ${lang} text in the content and none in translations/${lang}.csv` });
      }
    }
  }
  return issues;
}
