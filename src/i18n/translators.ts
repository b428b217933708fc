/**
 * The translators' round trip: `coworkbot locales export --lang fa` writes one gettext PO file with
 * every string of that language (the English as `msgid`, the current translation as `msgstr`, the key
 * as `msgctxt`), and `coworkbot locales import fa.po` writes the translations back into
 * `locales/<lang>/*.json` and records the strings a reviewer approved in `locales/<lang>/review.yaml`.
 *
 * Why PO: free tools every volunteer can install or use in a browser read and write it (Poedit,
 * Weblate, Lokalize, OmegaT, Crowdin, even a text editor); its `fuzzy` flag is exactly our
 * "machine-drafted, not yet reviewed", so a reviewer approves a string by clearing the flag, the way
 * these tools already work. XLIFF carries the same but is verbose XML that few volunteers can read by
 * hand; a CSV has no standard place for the review state, the context or notes.
 *
 * Word lists (what people may type, e.g. the words for "menu") are one entry each, one phrase per line.
 * Plural forms are one entry per CLDR category (`core:walkMinutes_few`).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flatten, placeholders } from './check.js';
import { setJsonValues } from './json-edit.js';
import { getLanguage } from './languages.js';
import { readPo, writePo, type PoEntry } from './po.js';
import { readReview, stringStatus, textHash, writeReview, type ReviewEntry } from './review.js';

const FUZZY = 'fuzzy';
const PLURAL = /_(zero|one|two|few|many|other)$/;

const namespacesOf = (dir: string) =>
  readdirSync(join(dir, 'en'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
const readFlat = (dir: string, lang: string, ns: string) => {
  try {
    return flatten(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), 'utf8')));
  } catch {
    return new Map<string, string | string[]>();
  }
};
const asText = (v: string | readonly string[]) => (typeof v === 'string' ? v : v.join('\n'));

/**
 * The PO file for `lang`: every string, reviewed ones without the `fuzzy` flag. `now` fills the
 * header's creation date.
 */
export function exportPo(dir: string, lang: string, now = new Date()): string {
  const review = readReview(dir, lang);
  const entries: PoEntry[] = [];
  for (const ns of namespacesOf(dir)) {
    const en = readFlat(dir, 'en', ns);
    const mine = readFlat(dir, lang, ns);
    // English keys in order, plus this language's own plural forms (Arabic has six).
    const keys = [...en.keys()].flatMap((k) => {
      if (!PLURAL.test(k) || !k.endsWith('_other')) return PLURAL.test(k) ? [] : [k];
      const base = k.replace(PLURAL, '');
      const forms = [...mine.keys()].filter((m) => m.replace(PLURAL, '') === base && PLURAL.test(m));
      return forms.length ? forms : [k];
    });
    for (const k of keys) {
      const source = en.get(k) ?? en.get(k.replace(PLURAL, '_other'))!;
      const value = mine.get(k);
      const key = `${ns}:${k}`;
      const notes: string[] = [];
      if (Array.isArray(source)) notes.push('Words people may type for this: one phrase per line, add the ways people really write it.');
      const ph = [...placeholders(asText(source))];
      if (ph.length) notes.push(`Keep ${ph.join(' ')} as they are: the bot puts a value there.`);
      if (PLURAL.test(k) && k !== k.replace(PLURAL, '_other')) notes.push(`Plural form "${PLURAL.exec(k)![1]}" of this language; msgid shows the English plural.`);
      const status = value === undefined ? 'machine' : stringStatus(source, value, review[key]);
      entries.push({
        context: key,
        id: asText(source),
        str: value === undefined ? '' : asText(value),
        extracted: notes,
        comments: status === 'stale' ? ['Reviewed before, but the English or the translation changed since: please check again.'] : [],
        references: [`locales/${lang}/${ns}.json`],
        flags: status === 'reviewed' ? [] : [FUZZY],
      });
    }
  }
  const name = getLanguage(lang)?.englishName ?? lang;
  const headers = {
    'Project-Id-Version': 'coworkbot',
    'POT-Creation-Date': now.toISOString().slice(0, 16).replace('T', ' ') + '+0000',
    'PO-Revision-Date': now.toISOString().slice(0, 16).replace('T', ' ') + '+0000',
    'Last-Translator': '',
    'Language-Team': name,
    Language: lang,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    'X-Note': 'fuzzy = drafted by machine, not yet reviewed. Clear it when the translation is right.',
  };
  return writePo({ headers, entries });
}

export interface ImportResult {
  lang: string;
  /** Translations written into the JSON files. */
  changed: number;
  /** Strings now marked reviewed. */
  reviewed: number;
  /** Entries not taken, with why (unknown key, English changed since export, placeholders broken). */
  skipped: { key: string; why: string }[];
}

export interface ImportOptions {
  /** The reviewer's name or role; default: the PO header's Last-Translator. */
  reviewer?: string;
  /** Review date (YYYY-MM-DD); default: the PO header's PO-Revision-Date, else today. */
  date?: string;
  /** Language, when the PO header lacks `Language`. */
  lang?: string;
  /** Check only: report what would change, write nothing. */
  dryRun?: boolean;
}

/**
 * Writes a translator's PO file back: each entry whose `msgid` is still the English text updates the
 * translation (layout of the JSON files kept); each entry without `fuzzy` (and with a translation) is
 * recorded as reviewed by the reviewer. Entries whose English changed since export, unknown keys and
 * broken placeholders are skipped and reported, never guessed.
 * @throws when the file is not PO, has no language, or names no reviewer while approving strings.
 */
export function importPo(dir: string, poText: string, opts: ImportOptions = {}, now = new Date()): ImportResult {
  const po = readPo(poText);
  const lang = opts.lang ?? po.headers.Language?.trim();
  if (!lang || !getLanguage(lang) || lang === 'en') throw new Error(`the PO file names no language we translate into (Language: "${lang ?? ''}"); give --lang`);
  const reviewer = (opts.reviewer ?? po.headers['Last-Translator'] ?? '').trim();
  const dateHeader = /^\d{4}-\d{2}-\d{2}/.exec(po.headers['PO-Revision-Date'] ?? '')?.[0];
  const date = opts.date ?? dateHeader ?? now.toISOString().slice(0, 10);
  const review = readReview(dir, lang);
  const result: ImportResult = { lang, changed: 0, reviewed: 0, skipped: [] };
  const byNs = new Map<string, Map<string, string | string[]>>();
  const approved: [string, ReviewEntry][] = [];
  const namespaces = new Set(namespacesOf(dir));
  for (const e of po.entries) {
    const key = e.context ?? '';
    const [ns, k] = key.includes(':') ? (key.split(/:(.*)/s, 2) as [string, string]) : ['', ''];
    if (!namespaces.has(ns) || !k) {
      result.skipped.push({ key, why: 'no such string (msgctxt must be namespace:key)' });
      continue;
    }
    const en = readFlat(dir, 'en', ns);
    const mine = readFlat(dir, lang, ns);
    const source = en.get(k) ?? (PLURAL.test(k) ? en.get(k.replace(PLURAL, '_other')) : undefined);
    const current = mine.get(k);
    if (source === undefined || current === undefined) {
      result.skipped.push({ key, why: 'no such string in this language' });
      continue;
    }
    if (e.id !== asText(source)) {
      result.skipped.push({ key, why: 'the English changed since this file was exported: export again' });
      continue;
    }
    if (e.str.trim() === '') continue;
    const value: string | string[] = Array.isArray(source)
      ? e.str
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
      : e.str;
    if (typeof value === 'string' && typeof source === 'string') {
      const want = [...placeholders(source)].sort().join(' ');
      const got = [...placeholders(value)].sort().join(' ');
      if (want !== got && !PLURAL.test(k)) {
        result.skipped.push({ key, why: `placeholders ${got || '(none)'} instead of ${want}` });
        continue;
      }
    }
    if (asText(value) !== asText(current)) {
      if (!byNs.has(ns)) byNs.set(ns, new Map());
      byNs.get(ns)!.set(k, value);
      result.changed++;
    }
    if (!e.flags.includes(FUZZY)) approved.push([key, { source: textHash(source), text: textHash(value), by: reviewer, date }]);
  }
  if (approved.length && !reviewer) throw new Error('strings are marked reviewed but nobody is named: give --reviewer "Name" (or fill Last-Translator)');
  for (const [key, entry] of approved) {
    if (review[key]?.source !== entry.source || review[key]?.text !== entry.text || review[key]?.by !== entry.by) result.reviewed++;
    review[key] = entry;
  }
  if (!opts.dryRun) {
    for (const [ns, values] of byNs) {
      const path = join(dir, lang, `${ns}.json`);
      writeFileSync(path, setJsonValues(readFileSync(path, 'utf8'), values));
    }
    if (approved.length) writeReview(dir, lang, review);
  }
  return result;
}
