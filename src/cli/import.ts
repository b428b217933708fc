import { parseArgs } from 'node:util';
import { ContentError, formatIssue } from '../knowledge/content.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { configuredDb, openDatabase, parseDbTarget } from '../storage/db.js';
import type { Command } from './command.js';

export const importCommand: Command = {
  summary: 'check and import spaces.csv and events.csv from a directory',
  help: `Usage: coworkbot import DIR [--db memory|DIR|postgres://URL] [--check]

Validates DIR/spaces.csv and DIR/events.csv (and explainer.yaml, lexicon.yaml, gazetteer.csv
when DIR has them; otherwise those come from data/). Every problem is listed with its file,
row, column and what is wrong. If there is any problem nothing is imported and the previous
content stays in use. With --check the files are only validated.
Uses DATABASE_URL, or the embedded database in DATA_DIR (stop "coworkbot start" first, or the
next start imports CONTENT_DIR by itself).`,
  async run(args, config) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, check: { type: 'boolean' } } });
    const dir = positionals[0];
    if (!dir) {
      process.stderr.write('Give the directory with spaces.csv and events.csv, e.g. coworkbot import data/demo\n');
      return 2;
    }
    const db = await openDatabase(values.check ? { kind: 'memory' } : values.db ? parseDbTarget(values.db) : configuredDb(config));
    try {
      const kb = new KnowledgeBase(db, config.server.timezone);
      const r = await kb.importDir(dir, new Date());
      process.stdout.write(
        values.check ? `${dir}: valid (${r.spaces} spaces, ${r.events} events).\n` : `Imported ${r.spaces} spaces and ${r.events} events from ${dir}${r.unchanged ? ' (no change)' : ''}.\n`,
      );
      return 0;
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      process.stderr.write(`Nothing was imported: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} in ${dir}.\n`);
      for (const i of err.issues) process.stderr.write(`  ${formatIssue(i)}\n`);
      return 1;
    } finally {
      await db.close();
    }
  },
};
