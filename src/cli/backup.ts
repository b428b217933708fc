import { errorMessage } from '../logger.js';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupFileName, backupTarget, pgRestore, restoreEmbedded } from '../storage/backup.js';
import { configuredDb, DatabaseBusyError, parseDbTarget } from '../storage/db.js';
import type { Command } from './command.js';

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n`);
    return undefined;
  }
}

/** Turns an operator-facing failure into its message and exit code. */
function failed(err: unknown): number {
  if (err instanceof BackupError || err instanceof DatabaseBusyError) {
    process.stderr.write(`${err.message}\n`);
    return err instanceof BackupError ? err.exitCode : 1;
  }
  throw err;
}

export const backupCommand: Command = {
  summary: 'copy the whole database into one file (consistent while the bot runs)',
  help: `Usage: coworkbot backup [FILE] [--db DIR|postgres://URL]

Writes the whole database into FILE (default: coworkbot-<date>-<time>.tar.gz or .dump in
BACKUP_DIR, or in the current directory).
- Embedded database (DATA_DIR): a gzipped copy of the data directory, taken as one consistent
  snapshot. If the bot is running on it, the running bot takes the snapshot (same machine and
  user; it is asked through a file in DATA_DIR and the signal SIGUSR2).
- PostgreSQL (DATABASE_URL): pg_dump --format=custom. pg_dump must be installed, of the server's
  major version or newer; without it the command says so and exits with code 69.
Restore with: coworkbot restore FILE --yes`,
  async run(args, config) {
    const parsed = parse(args, { db: { type: 'string' } });
    if (!parsed) return 2;
    const target = parsed.values.db ? parseDbTarget(String(parsed.values.db)) : configuredDb(config);
    const kind = target.kind === 'postgres' ? 'postgres' : 'pglite';
    const file = resolve(parsed.positionals[0] ?? join(config.ops.backupDir ?? '.', backupFileName(kind, new Date())));
    try {
      const { bytes, how } = await backupTarget(target, file);
      process.stdout.write(`Backup written: ${file} (${(bytes / 1e6).toFixed(1)} MB, ${how}).\n`);
      return 0;
    } catch (err) {
      return failed(err);
    }
  },
};

export const restoreCommand: Command = {
  summary: 'replace the whole database with a backup file (the bot must be stopped)',
  help: `Usage: coworkbot restore FILE --yes [--db DIR|postgres://URL]

Replaces the whole database with the backup in FILE (made by coworkbot backup). Stop the bot
first; start it again afterwards (it applies any newer migrations at start).
- Embedded database (DATA_DIR): the current directory is kept as DATA_DIR.before-restore-<time>.
  Refused while a process uses DATA_DIR.
- PostgreSQL (DATABASE_URL): the current database is first dumped next to FILE
  (coworkbot-before-restore-<time>.dump), then emptied and FILE restored with pg_restore in one
  transaction.
A backup taken by a newer coworkbot (with migrations this version does not know) is refused.
--yes confirms that the current data is replaced.`,
  async run(args, config) {
    const parsed = parse(args, { db: { type: 'string' }, yes: { type: 'boolean' } });
    if (!parsed) return 2;
    const file = parsed.positionals[0];
    if (!file) {
      process.stderr.write('Usage: coworkbot restore FILE --yes\n');
      return 2;
    }
    if (!existsSync(file)) {
      process.stderr.write(`${file}: no such file.\n`);
      return 1;
    }
    if (!parsed.values.yes) {
      process.stderr.write(`This replaces the whole database with ${file}. Stop the bot, then run again with --yes.\n`);
      return 2;
    }
    const target = parsed.values.db ? parseDbTarget(String(parsed.values.db)) : configuredDb(config);
    try {
      if (target.kind === 'memory') throw new BackupError('The in-memory database cannot be restored into.');
      const stamp = backupFileName('postgres', new Date()).slice(10, 25);
      const r = target.kind === 'postgres' ? await pgRestore(target.url, file, join(dirname(resolve(file)), `coworkbot-before-restore-${stamp}.dump`)) : await restoreEmbedded(target.dir, file);
      process.stdout.write(
        [
          `Restored ${file} (${r.migrations} migrations recorded in it).`,
          r.previous ? `The database it replaced is kept in ${r.previous}.` : 'There was no database to keep.',
          'Start the bot again: coworkbot start',
          '',
        ].join('\n'),
      );
      return 0;
    } catch (err) {
      return failed(err);
    }
  },
};
