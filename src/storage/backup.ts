/**
 * Backups and restores of the whole database.
 *
 * - **Embedded (PGlite):** a physical copy of the data directory (`dumpDataDir`, a gzipped tar), taken
 *   inside the process that owns the database, after a `CHECKPOINT`, with every other statement held
 *   back. PGlite runs one statement at a time in one process, so that copy is a consistent snapshot even
 *   while the bot runs (a logical dump run beside the bot would interleave with its transactions on the
 *   one connection). When the bot is running, `coworkbot backup` asks it for the copy (a request file in
 *   the data directory and SIGUSR2); when it is not, the command opens the directory itself.
 * - **PostgreSQL:** `pg_dump --format=custom` (one MVCC snapshot, consistent while the bot runs) and
 *   `pg_restore`. They must be installed, of the server's major version or newer.
 *
 * Restores refuse a backup taken by a newer coworkbot (migrations this version does not know), keep the
 * database they replace (the old directory, or a dump of the old PostgreSQL database) and never run
 * while the bot is using the embedded directory.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { directoryOwner, lockDirectory, migrationFiles, openDatabase, pgliteOptions, type Db, type DbTarget } from './db.js';

/** A backup or restore that cannot go ahead; `message` is the line shown to the operator. */
export class BackupError extends Error {
  constructor(
    message: string,
    /** The exit code the CLI uses (69: a needed tool is missing; 1 otherwise). */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The file name extension of each kind of backup. */
export const backupExtension = { pglite: '.tar.gz', postgres: '.dump' } as const;

/** `coworkbot-20261202-053012.tar.gz`: sortable by name, which is also their age order. */
export function backupFileName(kind: Db['kind'], at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `coworkbot-${stamp}${backupExtension[kind]}`;
}

const SCHEDULED = /^coworkbot-\d{8}-\d{6}(\.tar\.gz|\.dump)$/;

function writeAtomically(file: string, data: Uint8Array): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  writeFileSync(partial, data, { mode: 0o600 });
  renameSync(partial, file);
}

// ── embedded ────────────────────────────────────────────────────────────────

/** Writes a snapshot of an open embedded database to `file`. Returns its size in bytes. */
export async function backupOpenDb(db: Db, file: string): Promise<number> {
  if (!db.snapshot) throw new BackupError('This database is PostgreSQL: use pg_dump (coworkbot backup does when DATABASE_URL is set).');
  const data = await db.snapshot();
  writeAtomically(file, data);
  return data.byteLength;
}

/** Migration names recorded in a database. */
async function recordedMigrations(q: { query: Db['query'] }): Promise<string[]> {
  return (await q.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
}

/** Refuses a backup that knows migrations this version does not (taken by a newer coworkbot). */
function checkNotNewer(names: string[], file: string): void {
  const known = new Set(migrationFiles().map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new BackupError(`${file} was taken by a newer coworkbot (it has migration ${unknown.join(', ')}). Restore it with that version, or restore an older backup.`);
  }
}

/** Opens an embedded backup in memory and lists its migrations (a broken or foreign file fails here). */
async function inspectEmbedded(data: Uint8Array<ArrayBuffer>, file: string): Promise<string[]> {
  if (data[0] !== 0x1f || data[1] !== 0x8b) {
    const hint = Buffer.from(data.subarray(0, 5)).toString('latin1') === 'PGDMP' ? ' It is a pg_dump file: restore it with DATABASE_URL set.' : '';
    throw new BackupError(`${file} is not an embedded-database backup (not a gzipped tar).${hint}`);
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let lite;
  try {
    lite = await PGlite.create({ ...(await pgliteOptions()), loadDataDir: new Blob([data]) });
  } catch (err) {
    throw new BackupError(`${file} could not be opened as a database (${errorMessage(err)}).`);
  }
  try {
    return await recordedMigrations({ query: async <T extends object>(sql: string) => (await lite.query<T>(sql)).rows });
  } catch {
    throw new BackupError(`${file} holds a database, but not a coworkbot one (no schema_migrations table).`);
  } finally {
    await lite.close();
  }
}

/**
 * Replaces the embedded database in `dir` with the backup in `file`. The directory it replaces is kept
 * as `<dir>.before-restore-<time>`. Refuses while a process uses `dir`.
 */
export async function restoreEmbedded(dir: string, file: string, now = new Date()): Promise<{ previous?: string; migrations: number }> {
  const target = resolve(dir);
  const holdsData = () => existsSync(target) && readdirSync(target).length > 0;
  // Refused at once while the bot runs on it (DatabaseBusyError), before the backup is read whole and
  // opened (~1.5 s of CPU for the demo's); checked again below, after the inspection.
  if (holdsData()) lockDirectory(target)();
  const data = new Uint8Array(readFileSync(file));
  const names = await inspectEmbedded(data, file);
  checkNotNewer(names, file);
  let previous: string | undefined;
  if (holdsData()) {
    lockDirectory(target)(); // throws DatabaseBusyError while the bot runs on it
    previous = `${target}.before-restore-${backupFileName('pglite', now).slice(10, 25)}`;
    renameSync(target, previous);
  }
  mkdirSync(target, { recursive: true });
  const release = lockDirectory(target);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const lite = await PGlite.create({ ...(await pgliteOptions()), dataDir: target, loadDataDir: new Blob([data]) });
    await lite.query('SELECT 1 FROM schema_migrations LIMIT 1');
    await lite.close();
  } finally {
    release(); // also drops the pid file the copy carried from the process that took it
  }
  return { previous, migrations: names.length };
}

/** Backs up an embedded directory no process is using (opened here without migrating). */
async function backupClosedDir(dir: string, file: string): Promise<number> {
  const db = await openDatabase({ kind: 'dir', dir }, { migrate: false });
  try {
    return await backupOpenDb(db, file);
  } finally {
    await db.close();
  }
}

// ── a running bot takes the backup (embedded) ────────────────────────────────

const requestFile = (dir: string, id: string) => join(dir, `backup-request-${id}.json`);
const resultFile = (dir: string, id: string) => join(dir, `backup-result-${id}.json`);

/**
 * In `coworkbot start` on the embedded database: SIGUSR2 makes the running bot write the backup a
 * request file in its data directory asks for (`coworkbot backup` writes it). Returns the uninstall.
 */
export function serveBackupRequests(db: Db, dataDir: string, log: Logger): () => void {
  const handler = () => {
    for (const name of readdirSync(dataDir).filter((f) => /^backup-request-[a-f0-9]{16}\.json$/.test(f))) {
      const id = name.slice(15, 31);
      let request: { file: string };
      try {
        request = JSON.parse(readFileSync(requestFile(dataDir, id), 'utf8')) as { file: string };
        rmSync(requestFile(dataDir, id), { force: true });
      } catch {
        continue; // being written, or already taken
      }
      answer(id, request.file);
    }
  };
  const answer = (id: string, file: string) =>
    backupOpenDb(db, file).then(
      (bytes) => {
        log.info({ bytes }, 'backup: written on request');
        writeFileSync(resultFile(dataDir, id), JSON.stringify({ ok: true, bytes }));
      },
      (err: unknown) => {
        log.error({ err: errorMessage(err) }, 'backup: requested backup failed');
        writeFileSync(resultFile(dataDir, id), JSON.stringify({ ok: false, error: errorMessage(err) }));
      },
    );
  process.on('SIGUSR2', handler);
  return () => process.off('SIGUSR2', handler);
}

/** Asks the bot running on `dataDir` (process `pid`) for a backup into `file`; waits for it. */
async function backupThroughRunningBot(dataDir: string, pid: number, file: string, timeoutMs = 300_000): Promise<number> {
  const id = randomBytes(8).toString('hex');
  // Written whole under a temporary name, then renamed: the bot never reads half a request.
  writeFileSync(`${requestFile(dataDir, id)}.tmp`, JSON.stringify({ file: resolve(file) }), { mode: 0o600 });
  renameSync(`${requestFile(dataDir, id)}.tmp`, requestFile(dataDir, id));
  process.kill(pid, 'SIGUSR2');
  const until = Date.now() + timeoutMs;
  const done = resultFile(dataDir, id);
  while (Date.now() < until) {
    if (existsSync(done)) {
      const r = JSON.parse(readFileSync(done, 'utf8')) as { ok: boolean; bytes?: number; error?: string };
      rmSync(done, { force: true });
      if (!r.ok) throw new BackupError(`The running bot (process ${pid}) could not write the backup: ${r.error}`);
      return r.bytes ?? 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(requestFile(dataDir, id), { force: true });
  throw new BackupError(`The running bot (process ${pid}) did not answer the backup request within ${Math.round(timeoutMs / 1000)} s. Is it a coworkbot of this version?`);
}

// ── PostgreSQL ────────────────────────────────────────────────────────────────

/** Runs a PostgreSQL client tool with the password in the environment (never on the command line). */
function runPgTool(tool: string, args: string[], url: string | undefined, opts: { stdout?: boolean } = {}): Promise<string> {
  const u = url ? new URL(url) : undefined;
  const password = u ? decodeURIComponent(u.password) : '';
  if (u) u.password = '';
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tool, u ? [...args, `--dbname=${u.toString()}`] : args, {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      if (opts.stdout) out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        reject(
          new BackupError(
            `${tool} was not found on PATH. Install the PostgreSQL client tools of your server's major version or newer ` +
              `(Debian: apt-get install postgresql-client), or run it where PostgreSQL runs, e.g. ` +
              `"docker compose exec -T postgres pg_dump -U coworkbot -Fc coworkbot > coworkbot.dump" (docs/operators.en.md#backups).`,
            69,
          ),
        );
      } else reject(e);
    });
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new BackupError(`${tool} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Dumps a PostgreSQL database in pg_dump's custom format. Returns the size in bytes. */
export async function pgDump(url: string, file: string, tool = 'pg_dump'): Promise<number> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await runPgTool(tool, ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`], url);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return statSync(file).size;
}

/** The migrations a pg_dump file records (its `schema_migrations` rows). */
async function dumpMigrations(file: string, tool: string): Promise<string[]> {
  if (Buffer.from(readFileSync(file).subarray(0, 5)).toString('latin1') !== 'PGDMP') {
    const hint = readFileSync(file)
      .subarray(0, 2)
      .equals(Buffer.from([0x1f, 0x8b]))
      ? ' It looks like an embedded-database backup: restore it with DATABASE_URL unset.'
      : '';
    throw new BackupError(`${file} is not a pg_dump custom-format file.${hint}`);
  }
  // Without a database, pg_restore prints the SQL it would run: here, the schema_migrations rows.
  const sql = await runPgTool(tool, ['--data-only', '--table=schema_migrations', '--file=-', file], undefined, { stdout: true });
  const copy = /COPY public\.schema_migrations \(name, applied_at\) FROM stdin;\n([\s\S]*?)\n\\\./.exec(sql);
  if (!copy) throw new BackupError(`${file} holds a database, but not a coworkbot one (no schema_migrations rows).`);
  return copy[1]!
    .split('\n')
    .map((l) => l.split('\t')[0] ?? '')
    .filter(Boolean);
}

/**
 * Replaces the PostgreSQL database at `url` with a pg_dump file: the current one is first dumped to
 * `keepAs`, then the public schema is emptied and the file restored in one transaction.
 */
export async function pgRestore(url: string, file: string, keepAs: string, tools = { dump: 'pg_dump', restore: 'pg_restore' }): Promise<{ previous?: string; migrations: number }> {
  const names = await dumpMigrations(file, tools.restore);
  checkNotNewer(names, file);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const hasSchema = (await client.query(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS yes`)).rows[0]?.yes === true;
    let previous: string | undefined;
    if (hasSchema) {
      await pgDump(url, keepAs, tools.dump);
      previous = keepAs;
    }
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
    await client.end();
    try {
      await runPgTool(tools.restore, ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', file], url);
    } catch (err) {
      const back = previous ? ` The database it replaced is in ${previous}: coworkbot restore ${previous} --yes` : '';
      throw new BackupError(`${errorMessage(err)}.${back}`);
    }
    return { previous, migrations: names.length };
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ── one entry point for the CLI and the schedule ─────────────────────────────

/**
 * Backs up the configured database into `file`: pg_dump for PostgreSQL; for the embedded database, the
 * running bot's snapshot when a bot uses the directory, else a snapshot taken here.
 */
export async function backupTarget(target: DbTarget, file: string): Promise<{ bytes: number; how: string }> {
  if (target.kind === 'postgres') return { bytes: await pgDump(target.url, file), how: 'pg_dump' };
  if (target.kind === 'memory') throw new BackupError('The in-memory database has nothing to back up.');
  const dir = resolve(target.dir);
  if (!existsSync(join(dir, 'PG_VERSION'))) throw new BackupError(`There is no embedded database in ${dir} (DATA_DIR).`);
  const pid = directoryOwner(dir);
  if (pid) return { bytes: await backupThroughRunningBot(dir, pid, file), how: `snapshot by the running bot (process ${pid})` };
  return { bytes: await backupClosedDir(dir, file), how: 'snapshot' };
}

/** Deletes scheduled backups in `dir` beyond the newest `keep` (only files named as this module names them). */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => SCHEDULED.test(f))
    .sort();
  const gone = files.slice(0, Math.max(0, files.length - keep));
  for (const f of gone) rmSync(join(dir, f), { force: true });
  // Partial files a crash left behind (never renamed into place) go too.
  for (const f of readdirSync(dir).filter((f) => /^coworkbot-.*\.partial-\d+$/.test(f))) rmSync(join(dir, f), { force: true });
  return gone;
}

/** The newest scheduled backup's time (from its name), if any. */
export function lastBackupAt(dir: string): Date | undefined {
  if (!existsSync(dir)) return undefined;
  const newest = readdirSync(dir)
    .filter((f) => SCHEDULED.test(f))
    .sort()
    .pop();
  if (!newest) return undefined;
  const m = /^coworkbot-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(newest)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export interface BackupScheduleOptions {
  db: Db;
  /** The database URL when `db` is PostgreSQL (pg_dump needs it). */
  url?: string;
  dir: string;
  intervalMs: number;
  keep: number;
  clock: Clock;
  log: Logger;
  /** How often the schedule checks whether a backup is due (default: a minute, or the interval if shorter). */
  checkEveryMs?: number;
}

/**
 * Scheduled backups with retention, in the running bot: a backup is due `intervalMs` after the newest
 * one in `dir` (at once when there is none); after each, only the newest `keep` are kept. A failure is
 * logged and tried again at the next check.
 */
export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: BackupScheduleOptions) {}

  start(): void {
    const every = this.opts.checkEveryMs ?? Math.min(60_000, this.opts.intervalMs);
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  /** Takes a backup if one is due. Resolves with the file written, if any. */
  async check(): Promise<string | undefined> {
    if (this.running) return undefined;
    const { dir, intervalMs, clock } = this.opts;
    const last = lastBackupAt(dir);
    const now = clock.now();
    if (last && now.getTime() - last.getTime() < intervalMs) return undefined;
    const file = join(dir, backupFileName(this.opts.db.kind, now));
    let written: string | undefined;
    this.running = this.take(file).then((ok) => {
      if (ok) written = file;
    });
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    return written;
  }

  private async take(file: string): Promise<boolean> {
    const { db, url, dir, keep, log } = this.opts;
    try {
      const bytes = db.kind === 'postgres' ? await pgDump(url!, file) : await backupOpenDb(db, file);
      const pruned = pruneBackups(dir, keep);
      log.info({ file: basename(file), bytes, pruned: pruned.length }, 'backup: scheduled backup written');
      return true;
    } catch (err) {
      log.error({ err: errorMessage(err) }, 'backup: scheduled backup failed; will try again');
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
