/**
 * Checks every `locales/<lang>/<namespace>.json` against English: missing keys, extra keys, broken
 * `{{placeholders}}`, plural forms (the categories Intl.PluralRules gives each language: Arabic six,
 * Ukrainian and Russian four, Chinese one), missing namespace files, values left identical to English
 * (allowed ones listed in `locales/identical.yaml`), breaks of the glossary (`locales/glossary.yaml`:
 * one word per concept in each language, words to avoid, the interview's name), and which languages
 * `locales/STATUS.md` does not mark as reviewed by a native speaker, with the review status of every
 * string (`locales/<lang>/review.yaml`, see `review.ts`). Used by `coworkbot locales check` and by the
 * locale test; new namespace files are covered without any change here.
 */
import { errorMessage } from '../logger.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { languageCodes } from './languages.js';
import { readReview, stringStatus, type StringStatus } from './review.js';

export type IssueKind =
  | 'missing-language'
  | 'unknown-language'
  | 'missing-file'
  | 'extra-file'
  | 'invalid-json'
  | 'missing-key'
  | 'extra-key'
  | 'placeholder'
  | 'plural'
  | 'type'
  | 'same-as-english'
  | 'glossary'
  | 'invalid-data'
  | 'missing-content';

/** One problem in one language file. `key` is a dotted path inside the namespace. */
export interface LocaleIssue {
  kind: IssueKind;
  lang: string;
  ns?: string;
  key?: string;
  detail?: string;
}

/** One row of `locales/STATUS.md`. */
export interface LanguageStatus {
  code: string;
  name: string;
  status: 'machine' | 'reviewed';
  writtenBy: string;
  reviewedBy: string;
}

export interface LocaleReport {
  languages: string[];
  namespaces: string[];
  issues: LocaleIssue[];
  /** Languages not marked `reviewed` in STATUS.md (or missing from it). */
  unreviewed: string[];
  status: LanguageStatus[];
  /** Per language, how many strings are reviewed, stale (changed since review) or machine-drafted. */
  review: Record<string, Record<StringStatus, number>>;
}

const termsSchema = z.object({
  version: z.literal(1),
  terms: z.record(z.string(), z.object({ en: z.string(), use: z.record(z.string(), z.array(z.string())), avoid: z.record(z.string(), z.array(z.string())).optional() })),
  shapeIdea: z.object({ exact: z.array(z.string()), quoted: z.array(z.string()), text: z.record(z.string(), z.string()) }),
  exceptions: z.array(z.object({ lang: z.string(), key: z.string(), term: z.string(), why: z.string() })),
});
/** `locales/glossary.yaml`: the word for each concept in each language. */
export type Glossary = z.infer<typeof termsSchema>;
const identicalSchema = z.object({ version: z.literal(1), any: z.array(z.string()), langs: z.record(z.string(), z.array(z.string())) });

function readYamlFile<T>(path: string, schema: z.ZodType<T>, issues: LocaleIssue[], name: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const r = schema.safeParse(parseYaml(readFileSync(path, 'utf8')));
    if (r.success) return r.data;
    issues.push({
      kind: 'invalid-data',
      lang: '*',
      detail: `${name}: ${r.error.issues
        .map((i) => `${i.path.join('.')} ${i.message}`)
        .slice(0, 3)
        .join('; ')}`,
    });
  } catch (err) {
    issues.push({ kind: 'invalid-data', lang: '*', detail: `${name}: ${errorMessage(err).split('\n')[0]}` });
  }
  return undefined;
}

/** Reads `locales/glossary.yaml` (undefined when absent). */
export function readGlossary(dir: string, issues: LocaleIssue[] = []): Glossary | undefined {
  return readYamlFile(join(dir, 'glossary.yaml'), termsSchema, issues, 'glossary.yaml');
}

/** Glossary breaks of one string: a term the English mentions but the translation lacks, or a form to avoid. */
export function glossaryBreaks(g: Glossary, lang: string, key: string, en: string, value: string): string[] {
  const out: string[] = [];
  // Placeholders ({{space}}) are not words; Arabic-script vowel marks do not change a word.
  const plain = (s: string) =>
    s
      .replace(/{{[^}]*}}/g, ' ')
      .replace(/[\u064B-\u0652\u0670]/g, '')
      .toLocaleLowerCase();
  const lower = plain(value);
  en = en.replace(/{{[^}]*}}/g, ' ');
  const excepted = (term: string) => g.exceptions.some((e) => e.lang === lang && e.key === key && e.term === term);
  for (const [term, t] of Object.entries(g.terms)) {
    for (const bad of t.avoid?.[lang] ?? []) if (lower.includes(plain(bad))) out.push(`uses "${bad}" (avoid it: say ${term} as ${(t.use[lang] ?? []).map((u) => `"${u}"`).join(' or ')})`);
    const use = t.use[lang];
    if (!use || excepted(term) || !new RegExp(t.en, 'i').test(en)) continue;
    if (!use.some((u) => lower.includes(plain(u)))) out.push(`English says "${term}" but this has none of ${use.map((u) => `"${u}"`).join(', ')}`);
  }
  const name = g.shapeIdea.text[lang];
  if (name) {
    if (g.shapeIdea.exact.includes(key) && value !== name) out.push(`should be exactly "${name}" (the interview's name)`);
    if (g.shapeIdea.quoted.includes(key) && !value.includes(name)) out.push(`should quote the interview's name "${name}"`);
  }
  return out;
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /{{\s*([^},\s]+)\s*(?:,[^}]*)?}}|\$t\(([^),]+)/g;

export type Flat = Map<string, string | string[]>;

/** Flattens nested JSON into dotted keys; arrays (word lists) stay whole. */
export function flatten(obj: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (typeof obj === 'string' || Array.isArray(obj)) out.set(prefix, obj as string | string[]);
  else if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** The placeholder names a string uses (`{{count}}`, `{{ name, uppercase }}`, `$t(core:menu.menu)`). */
export function placeholders(s: string): Set<string> {
  const out = new Set<string>();
  for (const m of s.matchAll(PLACEHOLDER)) out.add(m[1] ? `{{${m[1]}}}` : `$t(${m[2]})`);
  return out;
}

/** The plural categories a language needs (CLDR, through Intl). Tagalog is `fil` in CLDR. */
export function pluralCategories(lang: string): string[] {
  return new Intl.PluralRules(lang === 'tl' ? 'fil' : lang).resolvedOptions().pluralCategories as string[];
}

const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const fmt = (s: Set<string>) => [...s].sort().join(' ') || '(none)';

/** Groups plural keys by base (`walk_one`, `walk_other` → `walk`); other keys stay as they are. */
function split(flat: Flat): { plain: Flat; plurals: Map<string, Map<string, string>> } {
  const plain: Flat = new Map();
  const plurals = new Map<string, Map<string, string>>();
  const bases = new Set([...flat.keys()].filter((k) => k.endsWith('_other')).map((k) => k.replace(PLURAL_SUFFIX, '')));
  for (const [k, v] of flat) {
    const m = PLURAL_SUFFIX.exec(k);
    const base = m ? k.slice(0, m.index) : undefined;
    if (base !== undefined && bases.has(base) && typeof v === 'string') {
      if (!plurals.has(base)) plurals.set(base, new Map());
      plurals.get(base)!.set(m![1]!, v);
    } else plain.set(k, v);
  }
  return { plain, plurals };
}

/** Reads `locales/STATUS.md`: the rows of its table whose first cell is a language code. */
export function readStatus(dir: string): LanguageStatus[] {
  const path = join(dir, 'STATUS.md');
  if (!existsSync(path)) return [];
  const rows: LanguageStatus[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length < 5 || !/^[a-z]{2,3}$/.test(cells[0]!)) continue;
    const status = cells[2] === 'reviewed' ? 'reviewed' : 'machine';
    rows.push({ code: cells[0]!, name: cells[1]!, status, writtenBy: cells[3]!, reviewedBy: cells[4]! });
  }
  return rows;
}

/** Compares every language under `dir` with `en`. `expected` is the list of language codes we speak. */
export function checkLocales(dir: string, expected: readonly string[] = languageCodes): LocaleReport {
  const issues: LocaleIssue[] = [];
  const dirs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  for (const lang of expected) if (!dirs.includes(lang)) issues.push({ kind: 'missing-language', lang, detail: `locales/${lang}/ does not exist` });
  for (const lang of dirs) if (!expected.includes(lang)) issues.push({ kind: 'unknown-language', lang, detail: `locales/${lang}/ is not in src/i18n/languages.ts` });

  const read = (lang: string, ns: string): Flat | undefined => {
    try {
      return flatten(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), 'utf8')));
    } catch (err) {
      issues.push({ kind: 'invalid-json', lang, ns, detail: errorMessage(err) });
      return undefined;
    }
  };
  const nsOf = (lang: string) =>
    existsSync(join(dir, lang))
      ? readdirSync(join(dir, lang))
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
          .sort()
      : [];
  const namespaces = nsOf('en');

  for (const ns of namespaces) {
    const en = read('en', ns);
    if (!en) continue;
    const enSplit = split(en);
    for (const lang of expected.filter((l) => dirs.includes(l) && l !== 'en')) {
      if (!existsSync(join(dir, lang, `${ns}.json`))) {
        issues.push({ kind: 'missing-file', lang, ns, detail: `locales/${lang}/${ns}.json does not exist` });
        continue;
      }
      const other = read(lang, ns);
      if (!other) continue;
      const o = split(other);
      for (const [key, enValue] of enSplit.plain) {
        const v = o.plain.get(key);
        if (v === undefined) {
          issues.push({ kind: 'missing-key', lang, ns, key });
          continue;
        }
        if (Array.isArray(enValue) !== Array.isArray(v)) {
          issues.push({ kind: 'type', lang, ns, key, detail: Array.isArray(enValue) ? 'should be a list' : 'should be a text' });
          continue;
        }
        if (typeof v === 'string' && typeof enValue === 'string') {
          const want = placeholders(enValue);
          const got = placeholders(v);
          if (!same(want, got)) issues.push({ kind: 'placeholder', lang, ns, key, detail: `has ${fmt(got)}, English has ${fmt(want)}` });
        }
      }
      for (const key of o.plain.keys()) if (!enSplit.plain.has(key) && !enSplit.plurals.has(key)) issues.push({ kind: 'extra-key', lang, ns, key });
      for (const [base, enForms] of enSplit.plurals) {
        const forms = o.plurals.get(base);
        if (!forms) {
          issues.push({ kind: 'missing-key', lang, ns, key: `${base}_other` });
          continue;
        }
        const needed = pluralCategories(lang);
        const missing = needed.filter((c) => !forms.has(c));
        const extra = [...forms.keys()].filter((c) => !needed.includes(c) && c !== 'zero'); // i18next uses _zero in any language when present
        if (missing.length) issues.push({ kind: 'plural', lang, ns, key: base, detail: `missing plural forms: ${missing.map((c) => `_${c}`).join(' ')}` });
        if (extra.length) issues.push({ kind: 'plural', lang, ns, key: base, detail: `forms this language does not use: ${extra.map((c) => `_${c}`).join(' ')}` });
        const enAll = new Set([...enForms.values()].flatMap((s) => [...placeholders(s)]));
        const enOther = placeholders(enForms.get('other') ?? '');
        for (const [cat, s] of forms) {
          const got = placeholders(s);
          const stray = [...got].filter((p) => !enAll.has(p));
          if (stray.length) issues.push({ kind: 'placeholder', lang, ns, key: `${base}_${cat}`, detail: `unknown ${stray.join(' ')}` });
          if (cat === 'other' && !same(got, enOther)) issues.push({ kind: 'placeholder', lang, ns, key: `${base}_other`, detail: `has ${fmt(got)}, English has ${fmt(enOther)}` });
        }
      }
      for (const base of o.plurals.keys()) if (!enSplit.plurals.has(base)) issues.push({ kind: 'extra-key', lang, ns, key: `${base}_*` });
    }
  }
  // English itself must have the plural forms English needs.
  for (const ns of namespaces) {
    const en = read('en', ns);
    if (!en) continue;
    for (const [base, forms] of split(en).plurals) {
      const missing = pluralCategories('en').filter((c) => !forms.has(c));
      if (missing.length) issues.push({ kind: 'plural', lang: 'en', ns, key: base, detail: `missing plural forms: ${missing.map((c) => `_${c}`).join(' ')}` });
    }
  }
  for (const lang of expected.filter((l) => dirs.includes(l) && l !== 'en')) {
    for (const ns of nsOf(lang)) if (!namespaces.includes(ns)) issues.push({ kind: 'extra-file', lang, ns, detail: `locales/${lang}/${ns}.json has no English original` });
  }
  // Identical to English, glossary, review status: over every string of every language.
  const glossary = readGlossary(dir, issues);
  const identical = readYamlFile(join(dir, 'identical.yaml'), identicalSchema, issues, 'identical.yaml');
  const english = new Map<string, string | string[]>();
  for (const ns of namespaces) for (const [k, v] of read('en', ns) ?? []) english.set(`${ns}:${k}`, v);
  const enOf = (key: string) => english.get(key) ?? english.get(key.replace(PLURAL_SUFFIX, '_other'));
  const review: LocaleReport['review'] = {};
  for (const lang of expected.filter((l) => dirs.includes(l))) {
    const counts: Record<StringStatus, number> = { reviewed: 0, stale: 0, machine: 0 };
    let entries: ReturnType<typeof readReview> = {};
    try {
      entries = readReview(dir, lang);
    } catch (err) {
      issues.push({ kind: 'invalid-data', lang, detail: errorMessage(err) });
    }
    const allowed = new Set([...(identical?.any ?? []), ...(identical?.langs[lang] ?? [])]);
    for (const ns of namespaces.filter((n) => existsSync(join(dir, lang, `${n}.json`)))) {
      let flat: Flat;
      try {
        flat = flatten(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), 'utf8')));
      } catch {
        continue; // reported above
      }
      for (const [k, v] of flat) {
        const key = `${ns}:${k}`;
        const en = enOf(key);
        if (en === undefined) continue;
        counts[lang === 'en' ? 'reviewed' : stringStatus(en, v, entries[key])]++;
        if (lang === 'en' || typeof v !== 'string' || typeof en !== 'string') continue;
        if (v.trim() === en.trim() && /\p{L}/u.test(en) && !allowed.has(v.trim()))
          issues.push({ kind: 'same-as-english', lang, ns, key: k, detail: `"${v.slice(0, 60)}" (translate it, or list it in locales/identical.yaml)` });
        if (glossary) for (const b of glossaryBreaks(glossary, lang, key, en, v)) issues.push({ kind: 'glossary', lang, ns, key: k, detail: b });
      }
    }
    review[lang] = counts;
  }
  const status = readStatus(dir);
  const unreviewed = expected.filter((l) => status.find((s) => s.code === l)?.status !== 'reviewed');
  return { languages: [...expected], namespaces, issues, unreviewed, status, review };
}

/** The report as text for a coordinator: problems first, then what still needs a native speaker. */
export function formatReport(r: LocaleReport): string {
  const lines = [`Checked ${r.languages.length} languages × ${r.namespaces.length} namespaces (${r.namespaces.join(', ')}) against English.`];
  if (r.issues.length === 0) lines.push('No missing keys, extra keys, broken placeholders or plural forms, untranslated strings or glossary breaks.');
  else {
    lines.push(`${r.issues.length} problem(s):`);
    const labels: Record<IssueKind, string> = {
      'missing-language': 'missing language',
      'unknown-language': 'unknown language',
      'missing-file': 'missing file',
      'extra-file': 'extra file',
      'invalid-json': 'invalid JSON',
      'missing-key': 'missing key',
      'extra-key': 'extra key',
      placeholder: 'broken placeholder',
      plural: 'plural forms',
      type: 'wrong type',
      'same-as-english': 'same as English',
      glossary: 'glossary',
      'invalid-data': 'invalid file',
      'missing-content': 'content not translated',
    };
    for (const i of r.issues) lines.push(`  ${i.lang}${i.ns ? `/${i.ns}.json` : ''}${i.key ? ` ${i.key}` : ''}: ${labels[i.kind]}${i.detail ? ` (${i.detail})` : ''}`);
  }
  const counts = Object.entries(r.review).filter(([l]) => l !== 'en');
  if (counts.length) {
    const total = (c: Record<StringStatus, number>) => c.reviewed + c.stale + c.machine;
    lines.push('Review status per string (reviewed / changed since review / machine-drafted):');
    for (const [l, c] of counts) lines.push(`  ${l}: ${c.reviewed} / ${c.stale} / ${c.machine} of ${total(c)}`);
  }
  if (r.unreviewed.length) {
    lines.push(`Not yet reviewed by a native speaker (${r.unreviewed.length}): ${r.unreviewed.join(' ')}. See locales/STATUS.md.`);
  } else lines.push('Every language is reviewed by a native speaker.');
  return lines.join('\n');
}
