/**
 * Checks every `locales/<lang>/<namespace>.json` against English: missing keys, extra keys, broken
 * `{{placeholders}}`, plural forms (the categories Intl.PluralRules gives each language: Arabic six,
 * Ukrainian and Russian four, Chinese one), missing namespace files, and which languages
 * `locales/STATUS.md` does not mark as reviewed by a native speaker. Used by `coworkbot locales check`
 * and by the locale test; new namespace files are covered without any change here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageCodes } from './languages.js';

export type IssueKind = 'missing-language' | 'unknown-language' | 'missing-file' | 'extra-file' | 'invalid-json' | 'missing-key' | 'extra-key' | 'placeholder' | 'plural' | 'type';

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
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /{{\s*([^},\s]+)\s*(?:,[^}]*)?}}|\$t\(([^),]+)/g;

type Flat = Map<string, string | string[]>;

/** Flattens nested JSON into dotted keys; arrays (word lists) stay whole. */
function flatten(obj: unknown, prefix = '', out: Flat = new Map()): Flat {
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
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 5 || !/^[a-z]{2,3}$/.test(cells[0]!)) continue;
    const status = cells[2] === 'reviewed' ? 'reviewed' : 'machine';
    rows.push({ code: cells[0]!, name: cells[1]!, status, writtenBy: cells[3]!, reviewedBy: cells[4]! });
  }
  return rows;
}

/** Compares every language under `dir` with `en`. `expected` is the list of language codes we speak. */
export function checkLocales(dir: string, expected: readonly string[] = languageCodes): LocaleReport {
  const issues: LocaleIssue[] = [];
  const dirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const lang of expected) if (!dirs.includes(lang)) issues.push({ kind: 'missing-language', lang, detail: `locales/${lang}/ does not exist` });
  for (const lang of dirs) if (!expected.includes(lang)) issues.push({ kind: 'unknown-language', lang, detail: `locales/${lang}/ is not in src/i18n/languages.ts` });

  const read = (lang: string, ns: string): Flat | undefined => {
    try {
      return flatten(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), 'utf8')));
    } catch (err) {
      issues.push({ kind: 'invalid-json', lang, ns, detail: (err as Error).message });
      return undefined;
    }
  };
  const nsOf = (lang: string) => (existsSync(join(dir, lang)) ? readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : []);
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
  const status = readStatus(dir);
  const unreviewed = expected.filter((l) => status.find((s) => s.code === l)?.status !== 'reviewed');
  return { languages: [...expected], namespaces, issues, unreviewed, status };
}

/** The report as text for a coordinator: problems first, then what still needs a native speaker. */
export function formatReport(r: LocaleReport): string {
  const lines = [`Checked ${r.languages.length} languages × ${r.namespaces.length} namespaces (${r.namespaces.join(', ')}) against English.`];
  if (r.issues.length === 0) lines.push('No missing keys, extra keys, broken placeholders or plural forms.');
  else {
    lines.push(`${r.issues.length} problem(s):`);
    const labels: Record<IssueKind, string> = {
      'missing-language': 'missing language', 'unknown-language': 'unknown language', 'missing-file': 'missing file', 'extra-file': 'extra file',
      'invalid-json': 'invalid JSON', 'missing-key': 'missing key', 'extra-key': 'extra key', placeholder: 'broken placeholder', plural: 'plural forms', type: 'wrong type',
    };
    for (const i of r.issues) lines.push(`  ${i.lang}${i.ns ? `/${i.ns}.json` : ''}${i.key ? ` ${i.key}` : ''}: ${labels[i.kind]}${i.detail ? ` (${i.detail})` : ''}`);
  }
  if (r.unreviewed.length) {
    lines.push(`Not yet reviewed by a native speaker (${r.unreviewed.length}): ${r.unreviewed.join(' ')}. See locales/STATUS.md.`);
  } else lines.push('Every language is reviewed by a native speaker.');
  return lines.join('\n');
}
