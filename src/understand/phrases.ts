/**
 * The training phrases: `data/intents/<lang>.yaml`, one file per language, each a map from intent
 * to a list of phrases (see `data/intents/README.md`). Checked on load: an unknown intent, a file for
 * a language we do not speak, or an empty phrase stops with the file and the reason.
 */
import { errorMessage } from '../logger.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { dataDir } from '../knowledge/content.js';
import { languageCodes } from '../i18n/languages.js';
import { intents, type Intent } from './intents.js';
import type { Example } from './model.js';

export const intentsDir = join(dataDir, 'intents');

export interface Phrase extends Example {
  lang: string;
}

const fileSchema = z.partialRecord(z.enum(intents), z.array(z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1, 'an empty phrase'))).min(1));

/** Every phrase of every language file, in file order. */
export function loadPhrases(dir = intentsDir): Phrase[] {
  const out: Phrase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const lang = file.replace(/\.yaml$/, '');
    const where = join(dir, file);
    if (!(languageCodes as readonly string[]).includes(lang)) throw new Error(`${where}: not a language we speak (${lang})`);
    let raw: unknown;
    try {
      raw = parse(readFileSync(where, 'utf8'));
    } catch (err) {
      throw new Error(`${where}: not valid YAML (${errorMessage(err).split('\n')[0]})`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${where}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    }
    for (const [intent, list] of Object.entries(parsed.data) as [Intent, string[]][]) {
      for (const text of list) out.push({ lang, intent, text: String(text) });
    }
  }
  return out;
}
