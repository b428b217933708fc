import { parseArgs } from 'node:util';
import { configuredDb } from '../app.js';
import { openDatabase, parseDbTarget } from '../storage/db.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  summary: 'apply database migrations and exit',
  help: `Usage: coworkbot migrate [--db memory|DIR|postgres://URL]

Applies the SQL files in src/storage/migrations/ that are not yet recorded in the
schema_migrations table, in order. Uses DATABASE_URL, or the embedded database in DATA_DIR.`,
  async run(args, config) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' } } });
    const db = await openDatabase(values.db ? parseDbTarget(values.db) : configuredDb(config));
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    process.stdout.write(`Database is up to date (${db.kind}): ${rows.map((r) => r.name).join(', ')}\n`);
    await db.close();
    return 0;
  },
};
