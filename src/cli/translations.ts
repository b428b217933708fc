import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { languageCodes } from '../i18n/languages.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { translatableContent } from '../knowledge/translatable.js';
import { configuredLlm } from '../llm/client.js';
import { ContentTexts } from '../llm/content-translations.js';
import { createLogger } from '../logger.js';
import { configuredDb, openDatabase, parseDbTarget } from '../storage/db.js';
import { TranslationStore, translationStatuses, type TranslationStatus } from '../storage/translation-store.js';
import type { Command } from './command.js';

/** One line of text for a TSV cell (tabs and line breaks would break the columns). */
const cell = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

export const translationsCommand: Command = {
  summary: 'list content translations, or machine-translate missing ones ahead of time',
  help: `Usage: coworkbot translations list [--lang CODE] [--status machine|reviewed|rejected|all] [--db …]
       coworkbot translations fill --lang CODE[,CODE…] [--delay-ms 500] [--db …]

list   prints stored content translations as tab-separated lines:
       id, status, language, reference, field, translation.
fill   machine-translates every explainer, space and event text missing in the given languages
       (needs OPENAI_API_KEY or OPENAI_BASE_URL), one record at a time with a pause between calls.
       Texts already translated, reviewed or rejected are skipped. Without this, the bot translates
       a text the first time somebody reads it. Review the results at /translations.
Uses DATABASE_URL, or the embedded database in DATA_DIR (stop "coworkbot start" first), and the
content in CONTENT_DIR.`,
  async run(args, config) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { db: { type: 'string' }, lang: { type: 'string' }, status: { type: 'string' }, 'delay-ms': { type: 'string' } },
    });
    const action = positionals[0];
    if (action !== 'list' && action !== 'fill') {
      process.stderr.write('Say what to do: coworkbot translations list, or coworkbot translations fill --lang fa\n');
      return 2;
    }
    const langs = (values.lang ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    const unknown = langs.find((l) => !languageCodes.includes(l));
    if (unknown) {
      process.stderr.write(`Unknown language "${unknown}". Use one of: ${languageCodes.join(' ')}\n`);
      return 2;
    }
    const status = values.status ?? 'all';
    if (status !== 'all' && !translationStatuses.includes(status as TranslationStatus)) {
      process.stderr.write('--status must be machine, reviewed, rejected or all\n');
      return 2;
    }
    const llm = configuredLlm(config, { timeoutMs: 60_000 });
    if (action === 'fill' && (!llm || langs.length === 0)) {
      process.stderr.write(!llm ? 'fill needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL.\n' : 'Give the languages to fill, e.g. --lang fa,uk\n');
      return 2;
    }
    const db = await openDatabase(values.db ? parseDbTarget(values.db) : configuredDb(config));
    try {
      const store = new TranslationStore(db);
      if (action === 'list') {
        const rows = await store.list({ lang: langs[0], status: status === 'all' ? undefined : (status as TranslationStatus), limit: 100_000 });
        for (const r of rows) process.stdout.write(`${r.id}\t${r.status}\t${r.lang}\t${r.ref}\t${r.field}\t${cell(r.text)}\n`);
        if (rows.length === 0) process.stderr.write('No translations stored.\n');
        return 0;
      }
      const log = createLogger(config.server.logLevel);
      const kb = new KnowledgeBase(db, config.server.timezone, log);
      await kb.open(config.content.dir, systemClock.now());
      // Waits as long as the model takes: nobody is waiting for a chat reply here.
      const texts = new ContentTexts({ store, llm, clock: systemClock, log, waitMs: 120_000, translateTimeoutMs: 60_000, retryAfterMs: 0 });
      const delay = Math.max(0, Number(values['delay-ms'] ?? 500) || 0);
      let translated = 0;
      let left = 0;
      for (const lang of langs) {
        for (const record of translatableContent(kb.content)) {
          const missing = Object.entries(record.fields).filter(([, f]) => !f[lang]?.trim() && Object.values(f).some((v) => v?.trim()));
          if (missing.length === 0) continue;
          const before = await store.forRecord(record.ref, lang);
          const picked = await texts.pickAll(record.ref, Object.fromEntries(missing), lang);
          const after = await store.forRecord(record.ref, lang);
          for (const [field] of missing) {
            if (picked[field]?.note === 'fallback') left++;
            else if (after.get(field)?.id !== before.get(field)?.id || after.get(field)?.sourceHash !== before.get(field)?.sourceHash) translated++;
          }
          if (delay) await new Promise((r) => setTimeout(r, delay));
        }
      }
      process.stdout.write(`Translated ${translated} text${translated === 1 ? '' : 's'}; ${left} left in another language (refused, rejected or the model failed).\n`);
      return left > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  },
};
