/**
 * `npx tsx scripts/gazetteer-names.ts`: fills the empty per-language name columns of
 * `data/gazetteer.csv` (ar fa ps ur bn ti uk ru zh) with transliterations of each place's Italian
 * name (src/knowledge/transliterate.ts), for people to review. Cells that already hold names are
 * kept as they are (hand-written spellings win); run it after adding a place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dataDir } from '../src/knowledge/content.js';
import { transliterate, transliteratedLanguages } from '../src/knowledge/transliterate.js';

const path = join(dataDir, 'gazetteer.csv');
const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const header = ['name', 'aliases', 'kind', 'lat', 'lng', ...transliteratedLanguages];

/** The names worth writing in other scripts: the canonical one and the squares and spaced spellings people use. */
function sources(row: Record<string, string>): string[] {
  const name = row.name!.replace(/\s*\(.*?\)/, '');
  const aliases = (row.aliases ?? '')
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
  const flat = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  return [name, ...aliases.filter((a) => /^Piazza /.test(a) || (flat(a) === flat(name) && a !== name))];
}

let filled = 0;
for (const row of rows) {
  if (row.kind === 'elsewhere') continue;
  for (const lang of transliteratedLanguages) {
    if ((row[lang] ?? '').trim()) continue;
    const names = new Set<string>();
    for (const s of sources(row)) {
      for (const translateWords of [true, false]) {
        const t = transliterate(s, lang, { translateWords });
        if (t) names.add(t);
      }
    }
    row[lang] = [...names].join(';');
    filled++;
  }
}
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
writeFileSync(path, [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))].join('\n') + '\n');
console.log(`filled ${filled} cells in ${path}`);
