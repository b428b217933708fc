/**
 * The knowledge content: spaces and events (CSV files coordinators keep in a spreadsheet), the
 * coworking explainer, the multilingual lexicon and the gazetteer of Rome (YAML / CSV in `data/`).
 *
 * Import policy: every row of every file is validated first; one bad row rejects the whole import
 * and the previous content stays in use. A half-imported directory would show some spaces and not
 * others without anyone noticing, which is worse than showing yesterday's list.
 */
import { errorMessage } from '../logger.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpeningHours from 'opening_hours';
import { parseCsvRecordsCached, parseYamlCached } from '../parse-cache.js';
import { z } from 'zod';
import { detectLanguage } from '../i18n/detect.js';
import { languageCodes } from '../i18n/languages.js';
import { serviceTags, topicTags, type ServiceTag, type TopicTag } from '../storage/content-tags.js';
import { fromWallTime, startOfDay, wallTime } from './time.js';

// The tag vocabulary is shared with the store that keeps staff edits (src/storage/content-tags.ts).
export { serviceTags, topicTags, type ServiceTag, type TopicTag };

export type SpacePrice = 'free' | 'low' | 'paid';

/** A coworking space (or another place to work) as imported from `spaces.csv`. */
export interface Space {
  id: string;
  name: string;
  address: string;
  /** The neighbourhood first, then its aliases. */
  districts: string[];
  lat: number;
  lng: number;
  /** OpenStreetMap `opening_hours` syntax. */
  hours: string;
  price: SpacePrice;
  /** The `price_note` column (Italian or English). */
  priceNote?: string;
  /** `price_note_<lang>` columns, with the plain column in its language's slot (like `descriptions`). */
  priceNotes?: Record<string, string>;
  /** ISO 639-1 codes of the languages the staff speak. */
  languages: string[];
  services: ServiceTag[];
  phone?: string;
  email?: string;
  website?: string;
  /** The `description` column (Italian or English). */
  description?: string;
  /** `description_<lang>` columns. */
  descriptions: Record<string, string>;
  verified: boolean;
}

const texts = z.record(z.string(), z.string());

/**
 * A {@link Space} as the last accepted import stored it (JSON, `knowledge_spaces.data`), checked
 * when read back at start. Loose: keys a newer version added are kept.
 */
export const storedSpaceSchema: z.ZodType<Space> = z.looseObject({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  districts: z.array(z.string()),
  lat: z.number(),
  lng: z.number(),
  hours: z.string(),
  price: z.enum(['free', 'low', 'paid']),
  priceNote: z.string().optional(),
  priceNotes: texts.optional(),
  languages: z.array(z.string()),
  services: z.array(z.enum(serviceTags)),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.string().optional(),
  description: z.string().optional(),
  descriptions: texts,
  verified: z.boolean(),
});

/** An event at a space, from `events.csv`. */
export interface KnowledgeEvent {
  id: string;
  spaceId: string;
  title: string;
  titles: Record<string, string>;
  start: Date;
  end?: Date;
  price: 'free' | 'paid';
  topics: TopicTag[];
  languages: string[];
  description?: string;
  descriptions: Record<string, string>;
}

/** A {@link KnowledgeEvent} as stored (`knowledge_events.data`): the times are ISO strings there, dates here. */
export const storedEventSchema: z.ZodType<KnowledgeEvent> = z.looseObject({
  id: z.string(),
  spaceId: z.string(),
  title: z.string(),
  titles: texts,
  start: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
  end: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional(),
  price: z.enum(['free', 'paid']),
  topics: z.array(z.enum(topicTags)),
  languages: z.array(z.string()),
  description: z.string().optional(),
  descriptions: texts,
});

export interface ExplainerTopic {
  id: string;
  title: Record<string, string>;
  text: Record<string, string>;
  paraphrases: Record<string, string[]>;
}

/** Words per language: `terms[group][key][lang] = phrases`. */
export type LexiconGroup = Record<string, Record<string, string[]>>;
export interface Lexicon {
  services: LexiconGroup;
  price: LexiconGroup;
  time: LexiconGroup;
  topics: LexiconGroup;
  intents: LexiconGroup;
  languages: LexiconGroup;
}

export interface GazetteerPlace {
  name: string;
  /** Other names in Latin letters: squares, streets, spellings, common misspellings. */
  aliases: string[];
  /** `elsewhere`: a city or country outside Rome, named so it is never mistaken for a district. */
  kind: 'district' | 'station' | 'elsewhere';
  lat: number;
  lng: number;
  /** The name in other scripts, by language (columns `ar fa ur ps bn ti ru uk zh`). */
  names: Record<string, string[]>;
}

/** Everything the knowledge feature answers from, parsed and validated. */
export interface KnowledgeContent {
  spaces: Space[];
  events: KnowledgeEvent[];
  explainer: ExplainerTopic[];
  lexicon: Lexicon;
  gazetteer: GazetteerPlace[];
  /** Where the spaces and events came from (for logs and `coworkbot import`). */
  source: string;
}

/** One thing wrong in a content file. */
export interface ContentIssue {
  file: string;
  /** The spreadsheet row (the header is row 1). */
  row?: number;
  column?: string;
  message: string;
}

/** Thrown when a content directory is not valid; nothing was imported. */
export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the content:\n${issues.map(formatIssue).join('\n')}`);
  }
}

export function formatIssue(i: ContentIssue): string {
  return [i.file, i.row !== undefined ? `row ${i.row}` : undefined, i.column ? `column "${i.column}"` : undefined].filter(Boolean).join(', ') + `: ${i.message}`;
}

/** A space's price note per language (older stored content has only `priceNote`). */
export function priceNoteFields(s: Space): Record<string, string> {
  if (s.priceNotes && Object.keys(s.priceNotes).length) return s.priceNotes;
  return s.priceNote ? { en: s.priceNote } : {};
}

/** The `data/` directory of the repository (explainer, lexicon, gazetteer, demo content). */
export const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

// ---------------------------------------------------------------- CSV helpers

interface CsvRow {
  row: number;
  values: Record<string, string>;
}

function readCsv(path: string, issues: ContentIssue[], required: readonly string[], optional: readonly string[], langColumns: readonly string[]): CsvRow[] {
  const file = basename(path);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvRecordsCached(readFileSync(path, 'utf8'), { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    issues.push({ file, message: `not a valid CSV file (${errorMessage(err)})` });
    return [];
  }
  if (records.length === 0) {
    issues.push({ file, message: 'the file is empty; it needs a header row' });
    return [];
  }
  const header = records[0]!.record.map((h) => h.trim());
  const known = new Set([...required, ...optional]);
  for (const h of header) {
    const lang = langColumns.find((c) => h.startsWith(`${c}_`));
    if (lang) {
      const code = h.slice(lang.length + 1);
      if (!languageCodes.includes(code)) issues.push({ file, row: 1, column: h, message: `"${code}" is not one of the bot's languages (${languageCodes.join(', ')})` });
    } else if (!known.has(h)) issues.push({ file, row: 1, column: h, message: `unknown column (expected: ${[...required, ...optional].join(', ')})` });
  }
  for (const r of required) if (!header.includes(r)) issues.push({ file, row: 1, column: r, message: 'this column is missing' });
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) issues.push({ file, row: 1, column: dup, message: 'this column appears twice' });
  const rows: CsvRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const row = info.lines;
    if (record.length !== header.length) {
      issues.push({ file, row, message: `has ${record.length} fields but the header has ${header.length} (check the quotes and commas)` });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = (record[i] ?? '').trim()));
    rows.push({ row, values });
  }
  return rows;
}

const list = (v: string) =>
  v
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a short slug: lower-case letters, digits, _ or - (e.g. millepiani)');
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const isoLanguage = z.string().superRefine((c, ctx) => {
  if (!/^[a-z]{2}$/.test(c) || languageNames.of(c) === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${c}" is not an ISO 639-1 language code (two letters, e.g. ar, fr, uk)` });
  }
});
/** Whether `code` is an ISO 639-1 language code (the check the CSV import uses for `languages`). */
export function isIsoLanguage(code: string): boolean {
  return isoLanguage.safeParse(code).success;
}
const optional = (s: z.ZodType<string>) => z.union([z.literal(''), s]).transform((v) => (v === '' ? undefined : v));

function tagList<T extends string>(tags: readonly T[], what: string) {
  return z.string().transform((v, ctx) => {
    const out: T[] = [];
    for (const t of list(v)) {
      if ((tags as readonly string[]).includes(t)) out.push(t as T);
      else ctx.addIssue({ code: 'custom', message: `unknown ${what} "${t}" (allowed: ${tags.join(' ')})` });
    }
    return out;
  });
}

const languageList = z.string().transform((v, ctx) => {
  const out: string[] = [];
  for (const c of list(v)) {
    const r = isoLanguage.safeParse(c);
    if (r.success) out.push(c);
    else ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message });
  }
  return out;
});

function number(min: number, max: number, what: string) {
  return z.string().transform((v, ctx) => {
    const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a ${what} in decimal degrees between ${min} and ${max} (got "${v}")` });
      return z.NEVER;
    }
    return n;
  });
}

/** Checks OpenStreetMap `opening_hours` syntax. */
export function checkHours(value: string): string | undefined {
  try {
    const oh = new OpeningHours(value, null);
    void oh;
    return undefined;
  } catch (err) {
    return (String(err).split('\n')[0] ?? '').slice(0, 200);
  }
}

function collect<T>(file: string, row: CsvRow, schema: z.ZodType<T>, issues: ContentIssue[]): T | undefined {
  const r = schema.safeParse(row.values);
  if (r.success) return r.data;
  for (const i of r.error.issues) issues.push({ file, row: row.row, column: i.path.length ? String(i.path[0]) : undefined, message: i.message });
  return undefined;
}

/**
 * The `<prefix>_<lang>` columns of a row. The plain `<prefix>` column is written in Italian or
 * English: it fills that language's slot when the row has no explicit column for it, so the
 * fallback chain (e.g. es → en → it) finds it.
 */
function langMap(values: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k.startsWith(`${prefix}_`) && v) out[k.slice(prefix.length + 1)] = v;
  const base = values[prefix];
  if (base) {
    const lang = italianOrEnglish(base);
    if (!out[lang]) out[lang] = base;
  }
  return out;
}

/** The language of a plain (unsuffixed) content column: Italian when it reads as Italian, else English. */
export function italianOrEnglish(text: string): 'it' | 'en' {
  return detectLanguage(text)?.lang === 'it' ? 'it' : 'en';
}

// ---------------------------------------------------------------- spaces.csv

const spaceColumns = ['id', 'name', 'address', 'district', 'lat', 'lng', 'hours', 'price', 'languages', 'services'] as const;
const spaceOptional = ['price_note', 'phone', 'email', 'website', 'description', 'verified'] as const;

const spaceRow = z.object({
  id: slug,
  name: z.string().min(1, 'the name is empty'),
  address: z.string(),
  district: z.string().transform((v, ctx) => {
    const l = list(v);
    if (l.length === 0) ctx.addIssue({ code: 'custom', message: 'the district is empty' });
    return l;
  }),
  lat: number(-90, 90, 'latitude'),
  lng: number(-180, 180, 'longitude'),
  hours: z.string().superRefine((v, ctx) => {
    const bad = v === '' ? 'the hours are empty' : checkHours(v);
    if (bad) ctx.addIssue({ code: 'custom', message: `not valid opening_hours syntax (e.g. "Mo-Fr 09:00-19:00; Sa 10:00-13:00"): ${bad}` });
  }),
  price: z.enum(['free', 'low', 'paid'], { error: (i) => `must be free, low or paid (got "${String(i.input)}")` }),
  price_note: z.string().optional(),
  languages: languageList,
  services: tagList(serviceTags, 'service'),
  phone: optional(z.string().regex(/^\+?[0-9 ()./-]{5,25}$/, 'must be a phone number, e.g. +39 06 1234567')).optional(),
  email: optional(z.email('must be an email address')).optional(),
  website: optional(z.url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' })).optional(),
  description: z.string().optional(),
  verified: z.enum(['', 'yes', 'no'], { error: (i) => `must be yes or no (got "${String(i.input)}")` }).optional(),
});

function toSpace(r: z.output<typeof spaceRow>, values: Record<string, string>): Space {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    districts: r.district,
    lat: r.lat,
    lng: r.lng,
    hours: r.hours,
    price: r.price,
    priceNote: r.price_note || undefined,
    priceNotes: langMap(values, 'price_note'),
    languages: r.languages,
    services: r.services,
    phone: r.phone,
    email: r.email,
    website: r.website,
    description: r.description || undefined,
    descriptions: langMap(values, 'description'),
    verified: r.verified !== 'no',
  };
}

// ---------------------------------------------------------------- events.csv

const eventColumns = ['id', 'space_id', 'title', 'start', 'price', 'topics', 'languages'] as const;
const eventOptional = ['end', 'description'] as const;

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads an event time: ISO 8601 with an offset, or the relative form `@+N HH:MM` (N days from
 * today) / `@sat HH:MM` (the next such weekday on or after today), resolved in `tz` against `now`.
 * @returns the instant, or an error message.
 */
export function parseEventTime(value: string, now: Date, tz: string): Date | string {
  const rel = /^@(\+\d{1,3}|mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (rel) {
    const today = wallTime(now, tz);
    const days = rel[1]!.startsWith('+') ? Number(rel[1]!.slice(1)) : (weekdays.indexOf(rel[1]!) - today.weekday + 7) % 7;
    const day = wallTime(startOfDay(now, tz, days), tz);
    return fromWallTime(tz, day.year, day.month, day.day, Number(rel[2]), Number(rel[3]));
  }
  if (isoWithOffset.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return `must be ISO 8601 with an offset (e.g. 2026-11-28T18:30:00+01:00) or relative (@+2 18:30, @sat 10:00) (got "${value}")`;
}

function eventRow(now: Date, tz: string) {
  const time = z.string().transform((v, ctx) => {
    const t = parseEventTime(v, now, tz);
    if (typeof t === 'string') {
      ctx.addIssue({ code: 'custom', message: t });
      return z.NEVER;
    }
    return t;
  });
  return z.object({
    id: slug,
    space_id: z.string().min(1, 'the space_id is empty'),
    title: z.string().min(1, 'the title is empty'),
    start: time,
    end: z.union([z.literal('').transform(() => undefined), time]).optional(),
    price: z.enum(['free', 'paid'], { error: (i) => `must be free or paid (got "${String(i.input)}")` }),
    topics: tagList(topicTags, 'topic'),
    languages: languageList,
    description: z.string().optional(),
  });
}

// ---------------------------------------------------------------- YAML and gazetteer

const perLang = z.record(z.string(), z.string());
const explainerSchema = z.object({
  version: z.literal(1),
  topics: z.array(z.object({ id: slug, title: perLang, text: perLang, paraphrases: z.record(z.string(), z.array(z.string())) })).min(1),
});
const group = z.record(z.string(), z.record(z.string(), z.array(z.string())));
const lexiconSchema = z.object({
  version: z.literal(1),
  terms: z.object({ services: group, price: group, time: group, topics: group, intents: group, languages: group }),
});

/** Parsed YAML files by path and modification time: the explainer and lexicon are large and rarely change. */
const yamlCache = new Map<string, { mtimeMs: number; value: unknown }>();

function readYaml<T>(path: string, schema: z.ZodType<T>, issues: ContentIssue[]): T | undefined {
  const file = basename(path);
  const mtimeMs = statSync(path).mtimeMs;
  const cached = yamlCache.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.value as T;
  let raw: unknown;
  try {
    raw = parseYamlCached(readFileSync(path, 'utf8'));
  } catch (err) {
    issues.push({ file, message: `not valid YAML (${errorMessage(err).split('\n')[0]})` });
    return undefined;
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    for (const i of r.error.issues.slice(0, 10)) issues.push({ file, column: i.path.join('.'), message: i.message });
    return undefined;
  }
  yamlCache.set(path, { mtimeMs, value: r.data });
  return r.data;
}

/** The gazetteer's optional columns: a place's names in the languages not written in Latin letters. */
const gazetteerScripts = ['ar', 'fa', 'ur', 'ps', 'bn', 'ti', 'ru', 'uk', 'zh'] as const;

function readGazetteer(path: string, issues: ContentIssue[]): GazetteerPlace[] {
  const file = basename(path);
  const schema = z.object({
    name: z.string().min(1, 'the name is empty'),
    aliases: z.string().transform(list),
    kind: z.enum(['district', 'station', 'elsewhere'], { error: 'must be district, station or elsewhere' }),
    lat: number(-90, 90, 'latitude'),
    lng: number(-180, 180, 'longitude'),
  });
  const out: GazetteerPlace[] = [];
  for (const row of readCsv(path, issues, ['name', 'aliases', 'kind', 'lat', 'lng'], gazetteerScripts, [])) {
    const p = collect(file, row, schema, issues);
    if (!p) continue;
    const names: Record<string, string[]> = {};
    for (const lang of gazetteerScripts) if (row.values[lang]) names[lang] = list(row.values[lang]);
    out.push({ ...p, names });
  }
  return out;
}

// ---------------------------------------------------------------- the whole directory

export interface LoadOptions {
  now: Date;
  timezone: string;
}

/** The file to use: the one in `dir` when present, else the repository's `data/` default. */
function pick(dir: string, name: string): string {
  const own = join(dir, name);
  return existsSync(own) ? own : join(dataDir, name);
}

/**
 * Reads and validates a content directory: `spaces.csv` (required), `events.csv` (optional), and
 * `explainer.yaml`, `lexicon.yaml`, `gazetteer.csv` from the directory when present, else from `data/`.
 * @throws ContentError listing every problem found (file, row, column, what is wrong).
 */
export function loadContent(dir: string, opts: LoadOptions): KnowledgeContent {
  const issues: ContentIssue[] = [];
  const spacesPath = join(dir, 'spaces.csv');
  if (!existsSync(dir)) throw new ContentError([{ file: dir, message: 'the content directory does not exist' }]);
  if (!existsSync(spacesPath)) throw new ContentError([{ file: 'spaces.csv', message: `not found in ${dir}` }]);

  const spaces: Space[] = [];
  const seenSpaces = new Map<string, number>();
  for (const row of readCsv(spacesPath, issues, spaceColumns, spaceOptional, ['description', 'price_note'])) {
    const r = collect('spaces.csv', row, spaceRow, issues);
    if (!r) continue;
    const first = seenSpaces.get(r.id);
    if (first !== undefined) {
      issues.push({ file: 'spaces.csv', row: row.row, column: 'id', message: `duplicate id "${r.id}" (already used in row ${first})` });
      continue;
    }
    seenSpaces.set(r.id, row.row);
    spaces.push(toSpace(r, row.values));
  }

  const events: KnowledgeEvent[] = [];
  const eventsPath = join(dir, 'events.csv');
  if (existsSync(eventsPath)) {
    const schema = eventRow(opts.now, opts.timezone);
    const seen = new Map<string, number>();
    for (const row of readCsv(eventsPath, issues, eventColumns, eventOptional, ['title', 'description'])) {
      const r = collect('events.csv', row, schema, issues);
      if (!r) continue;
      const first = seen.get(r.id);
      if (first !== undefined) {
        issues.push({ file: 'events.csv', row: row.row, column: 'id', message: `duplicate id "${r.id}" (already used in row ${first})` });
        continue;
      }
      seen.set(r.id, row.row);
      if (!seenSpaces.has(r.space_id)) {
        issues.push({ file: 'events.csv', row: row.row, column: 'space_id', message: `no space with id "${r.space_id}" in spaces.csv` });
        continue;
      }
      if (r.end && r.end.getTime() < r.start.getTime()) {
        issues.push({ file: 'events.csv', row: row.row, column: 'end', message: 'ends before it starts' });
        continue;
      }
      events.push({
        id: r.id,
        spaceId: r.space_id,
        title: r.title,
        titles: langMap(row.values, 'title'),
        start: r.start,
        end: r.end,
        price: r.price,
        topics: r.topics,
        languages: r.languages,
        description: r.description || undefined,
        descriptions: langMap(row.values, 'description'),
      });
    }
  }

  const explainer = readYaml(pick(dir, 'explainer.yaml'), explainerSchema, issues);
  const lexicon = readYaml(pick(dir, 'lexicon.yaml'), lexiconSchema, issues);
  const gazetteer = readGazetteer(pick(dir, 'gazetteer.csv'), issues);
  if (issues.length > 0 || !explainer || !lexicon) throw new ContentError(issues);
  events.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { spaces, events, explainer: explainer.topics, lexicon: lexicon.terms, gazetteer, source: dir };
}
