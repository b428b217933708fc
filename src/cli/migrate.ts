import { parseArgs } from 'node:util';
import { loadFlows } from '../flows/load.js';
import { loadContent } from '../knowledge/content.js';
import { readSeedFiles } from '../knowledge/translation-seeds.js';
import { configuredDb, buildTemplate, openDatabase, parseDbTarget } from '../storage/db.js';
import { offlineModel } from '../understand/understand.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  summary: 'apply database migrations and exit',
  help: `Usage: coworkbot migrate [--db memory|DIR|postgres://URL]
       coworkbot migrate --template

Applies the SQL files in src/storage/migrations/ that are not yet recorded in the
schema_migrations table, in order. Uses DATABASE_URL, or the embedded database in DATA_DIR.

--template builds the migrated embedded database that a new data directory (and every in-memory
database) starts as a copy of, and trains the offline intent model, both in node_modules/.cache/coworkbot/
(npm ci and the Dockerfile run this; without it the first start builds the template and the first
message trains the model). Each is named after what it is built from (the migrations; the phrases in
data/intents/), so a changed schema or phrase builds a new one. The YAML and CSV files every
start reads (language markers, content, translation seeds, flows) are parsed into the same place.`,
  async run(args, config) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, template: { type: 'boolean' } } });
    if (values.template) {
      const t0 = performance.now();
      const built = await buildTemplate();
      await built.db.close();
      process.stdout.write(
        built.path
          ? `Embedded database template built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${built.path}\n`
          : 'Embedded database template built but not saved (no writable cache directory); the first start builds it.\n',
      );
      const t1 = performance.now();
      const model = offlineModel();
      process.stdout.write(`Offline intent model ready in ${((performance.now() - t1) / 1000).toFixed(1)} s (${model.size} features).\n`);
      // The files every start reads, parsed into the same place (src/parse-cache.ts; the language
      // markers and the gazetteer were read by the model's modules). A broken file is reported by the
      // start that reads it, with its line and reason; not here.
      for (const read of [() => loadContent(config.content.dir, { now: new Date(), timezone: config.server.timezone }), () => readSeedFiles(config.content.dir), () => loadFlows()]) {
        try {
          read();
        } catch {
          // see above
        }
      }
      return 0;
    }
    const db = await openDatabase(values.db ? parseDbTarget(values.db) : configuredDb(config));
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    process.stdout.write(`Database is up to date (${db.kind}): ${rows.map((r) => r.name).join(', ')}\n`);
    await db.close();
    return 0;
  },
};
