import { errorMessage } from '../logger.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkLocales, formatReport } from '../i18n/check.js';
import { localesDir } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import { exportPo, importPo } from '../i18n/translators.js';
import { checkContentTranslations } from '../knowledge/translation-seeds.js';
import type { Command } from './command.js';

export const localesCommand: Command = {
  summary: 'check translations; export and import them for translators (PO files)',
  help: `Usage: coworkbot locales check [--dir DIR] [--content DIR] [--json]
       coworkbot locales export --lang CODE [--dir DIR] [--out FILE.po]
       coworkbot locales import FILE.po [--lang CODE] [--reviewer "NAME"] [--date YYYY-MM-DD] [--dry-run] [--dir DIR]

check   compares every locales/<lang>/<namespace>.json with English: missing keys, extra keys,
        broken {{placeholders}}, wrong plural forms, missing files, values left in English
        (allowed ones: locales/identical.yaml), glossary breaks (locales/glossary.yaml), and
        content (spaces, events, explainer in CONTENT_DIR or --content) with no text and no
        translation in a language; then the review status of every string and the languages
        locales/STATUS.md does not mark as reviewed. Exit code 1 when anything is missing or
        broken (strings not yet reviewed alone do not fail).
export  writes one gettext PO file with every string of a language, for a translator's tool
        (Poedit, Weblate, Lokalize, OmegaT…): English as msgid, the key as msgctxt, strings
        not yet reviewed marked fuzzy. To stdout unless --out.
import  writes a translator's PO file back into locales/<lang>/*.json (layout kept) and records
        every entry without the fuzzy flag as reviewed by --reviewer (default: the file's
        Last-Translator) in locales/<lang>/review.yaml. Entries whose English changed since the
        export, or whose placeholders differ, are skipped and listed. Exit code 1 when any was.`,
  async run(args, config) {
    const [sub, ...rest] = args;
    if (sub === 'check') {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, content: { type: 'string' }, json: { type: 'boolean' } } });
      const report = checkLocales(values.dir ?? localesDir);
      const contentDir = values.content ?? config.content.dir;
      report.issues.push(...checkContentTranslations(contentDir, { now: new Date(), timezone: config.server.timezone }));
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
      return report.issues.length ? 1 : 0;
    }
    if (sub === 'export') {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' } } });
      const lang = values.lang ?? '';
      if (!languageCodes.includes(lang) || lang === 'en') {
        process.stderr.write(`Give the language to export: --lang ${languageCodes.filter((l) => l !== 'en').join('|')}\n`);
        return 2;
      }
      const po = exportPo(values.dir ?? localesDir, lang);
      if (values.out) {
        writeFileSync(values.out, po);
        process.stderr.write(`Wrote ${values.out}\n`);
      } else process.stdout.write(po);
      return 0;
    }
    if (sub === 'import') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { dir: { type: 'string' }, lang: { type: 'string' }, reviewer: { type: 'string' }, date: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      });
      const file = positionals[0];
      if (!file) {
        process.stderr.write('Give the PO file to import: coworkbot locales import fa.po --reviewer "Name"\n');
        return 2;
      }
      if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
        process.stderr.write('--date must be YYYY-MM-DD\n');
        return 2;
      }
      let result;
      try {
        result = importPo(values.dir ?? localesDir, readFileSync(file, 'utf8'), { lang: values.lang, reviewer: values.reviewer, date: values.date, dryRun: values['dry-run'] });
      } catch (err) {
        process.stderr.write(`${file}: ${errorMessage(err)}\n`);
        return 1;
      }
      const lines = [`${result.lang}: ${result.changed} translation(s) changed, ${result.reviewed} string(s) newly marked reviewed${values['dry-run'] ? ' (dry run: nothing written)' : ''}.`];
      if (result.skipped.length) {
        lines.push(`${result.skipped.length} entr${result.skipped.length === 1 ? 'y' : 'ies'} skipped:`);
        for (const s of result.skipped) lines.push(`  ${s.key}: ${s.why}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return result.skipped.length ? 1 : 0;
    }
    process.stderr.write(`${this.help}\n`);
    return 2;
  },
};
