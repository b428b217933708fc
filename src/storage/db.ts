/**
 * One small database contract with two engines behind it: PGlite (Postgres compiled to WASM, in
 * process — the embedded default) and PostgreSQL through `pg` (`DATABASE_URL`). The same SQL runs on
 * both; nothing outside `src/storage/` writes SQL.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openAsBlob, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { cacheDirs } from '../cache-dirs.js';
import { mark } from '../timing.js';

/** Anything that runs a parameterised query. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A database connection (pool) with transactions. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Embedded only: a consistent copy of the whole database (gzipped tar of the data directory), taken
   * with every other query and transaction held back, after a checkpoint (src/storage/backup.ts).
   */
  snapshot?(): Promise<Uint8Array>;
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files in apply order. */
export function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(migrationsDir, name), 'utf8') }));
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
 * A lock keeps two processes starting together from applying the same file twice.
 * @returns the names of the migrations applied now.
 */
export async function migrate(db: Db): Promise<string[]> {
  const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  // Several processes starting together on one new PostgreSQL database (issue #17) would race to
  // create the table (IF NOT EXISTS does not stop two at once): under the migrations' lock.
  if (db.kind === 'postgres')
    await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7283401)');
      await q.query(createTable);
    });
  else await db.query(createTable);
  // One read decides the common case (everything applied already): a start on existing data then
  // costs one query here, not one locked transaction per file.
  const seenBefore = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  const applied: string[] = [];
  for (const file of migrationFiles()) {
    if (seenBefore.has(file.name)) continue;
    const done = await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7283401)');
      const seen = await q.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file.name]);
      if (seen.length > 0) return false;
      await execScript(q, file.sql);
      await q.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file.name]);
      return true;
    });
    if (done) applied.push(file.name);
  }
  return applied;
}

/** Runs a multi-statement script (split on `;` at line ends; our migrations keep to that). */
async function execScript(q: Queryable, sql: string): Promise<void> {
  const statements = sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
  for (const s of statements) await q.query(s);
}

/** Most distinct statements prepared by name (the code's own statements are far fewer; generated ones stop here). */
const MAX_PREPARED = 1000;
const preparedNames = new Map<string, string>();
/** Statements whose prepared plan went stale (a table changed under them): run unprepared from then on. */
const unpreparable = new Set<string>();

/**
 * A query config that prepares the statement once per connection (by a name derived from its text):
 * PostgreSQL then parses and plans it once instead of on every call. Statements without parameters
 * (migration scripts, several statements in one text) keep the simple protocol.
 */
function prepared(sql: string, params: unknown[]): pg.QueryConfig | string {
  if (params.length === 0) return sql;
  if (unpreparable.has(sql)) return { text: sql, values: params };
  let name = preparedNames.get(sql);
  if (!name) {
    if (preparedNames.size >= MAX_PREPARED) return { text: sql, values: params };
    name = `cwb_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    preparedNames.set(sql, name);
  }
  return { name, text: sql, values: params };
}

/** A prepared statement whose result columns changed under it (a table altered since): run it unprepared. */
function planChanged(err: unknown): boolean {
  return err instanceof Error && (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(err.message);
}

/**
 * Runs `sql` prepared (see {@link prepared}). When its plan no longer fits, the statement is never
 * prepared again in this process (a connection keeps the stale one), and outside a transaction it runs
 * once more at once (inside one, the failed statement has aborted the transaction: it fails, once).
 */
async function runPrepared(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[], retry: boolean): Promise<unknown[]> {
  const config = prepared(sql, params);
  try {
    return (typeof config === 'string' ? await client.query(config, params) : await client.query(config)).rows;
  } catch (err) {
    if (!planChanged(err)) throw err;
    unpreparable.add(sql);
    if (!retry) throw err;
    return (await client.query(sql, params)).rows;
  }
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}
  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await runPrepared(this.pool, sql, params, true)) as T[];
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const q: Queryable = {
        query: async <R extends object>(sql: string, params: unknown[] = []) => (await runPrepared(client, sql, params, false)) as R[],
      };
      const out = await fn(q);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      // A client whose ROLLBACK fails has lost its connection: it is destroyed, not returned to the
      // pool, where the next query on it could wait for ever (seen when the database went away).
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly lite: PGlite,
    private readonly onClose: () => void = () => undefined,
  ) {}
  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.lite.query<T>(sql, params)).rows;
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.lite.transaction(async (t) => fn({ query: async <R extends object>(sql: string, params: unknown[] = []) => (await t.query<R>(sql, params)).rows }));
  }
  async close(): Promise<void> {
    this.onClose();
    if (!this.lite.closed) await this.lite.close();
  }
  async snapshot(): Promise<Uint8Array> {
    let blob: Blob | undefined;
    // Holding the transaction lock keeps every other statement out (PGlite runs one at a time), so
    // no transaction is half-done in the copy; the checkpoint puts every committed page on disk.
    await this.lite.transaction(async (t) => {
      await t.query('CHECKPOINT');
      blob = await this.lite.dumpDataDir('gzip');
    });
    return new Uint8Array(await blob!.arrayBuffer());
  }
}

/** Where to keep the database. */
export type DbTarget = { kind: 'memory' } | { kind: 'dir'; dir: string } | { kind: 'postgres'; url: string };

/** Reads `memory`, a `postgres://` URL or a directory path. */
export function parseDbTarget(value: string): DbTarget {
  if (value === 'memory') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  return { kind: 'dir', dir: value };
}

/** Thrown when another process holds the embedded database directory. */
export class DatabaseBusyError extends Error {}

/**
 * Opens a database and applies migrations (`migrate: false` opens a directory or a PostgreSQL
 * database as it is, for backups and upgrade tests; an in-memory database is always new and migrated).
 * Embedded data directories are locked with a pid file, because two processes on one PGlite
 * directory corrupt it.
 */
export async function openDatabase(target: DbTarget, opts: { migrate?: boolean } = {}): Promise<Db> {
  const migrating = opts.migrate ?? true;
  if (target.kind === 'postgres') {
    // A bounded wait for a connection: with the database gone, a query fails (and is retried by its
    // caller) instead of waiting for ever; keep-alive notices a connection that silently died.
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 10_000, keepAlive: true });
    pool.on('error', () => undefined); // an idle client dying must not crash the process; queries report errors
    const db = new PostgresDb(pool);
    if (migrating) await migrate(db);
    return db;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const options = await pgliteOptions();
  mark('db: PGlite loaded');
  if (target.kind === 'memory') {
    // initdb and the migrations cost seconds; a copy of the migrated template loads in well under one.
    const path = templatePath();
    // File-backed: PGlite reads the file once into its own memory (no second copy through a Buffer).
    // Read again in memory when the file was replaced meanwhile (another process saved the same
    // template); unreadable: built anew below.
    const lite = path
      ? await PGlite.create({ ...options, loadDataDir: await openAsBlob(path) })
          .catch(async () => PGlite.create({ ...options, loadDataDir: new Blob([readFileSync(path)]) }))
          .catch(() => undefined)
      : undefined;
    if (lite) {
      const db = new PgliteDb(lite);
      mark('db: PGlite created');
      await migrate(db);
      mark('db: migrations checked'); // one query: the template has every migration
      return db;
    }
    const built = await buildTemplate();
    return built.db;
  }
  const dir = resolve(target.dir);
  mkdirSync(dir, { recursive: true });
  const release = lockDirectory(dir);
  try {
    // A new data directory starts as a copy of the migrated template (built now if there is none).
    const fresh = migrating && !existsSync(join(dir, 'PG_VERSION'));
    let template: Blob | undefined;
    if (fresh) {
      const tar = await migratedTemplate();
      // Written straight into the directory; PGlite then opens it as an existing database.
      if (!extractTemplate(tar, dir)) template = new Blob([tar as Uint8Array<ArrayBuffer>]);
    }
    mark('db: template copied');
    const lite = await PGlite.create({ ...options, dataDir: dir, ...(template ? { loadDataDir: template } : {}) });
    mark('db: PGlite created');
    const db = new PgliteDb(lite, release);
    if (migrating) await migrate(db);
    mark('db: migrations checked');
    return db;
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * How every embedded database is opened: the extensions our migrations use, and PGlite's start
 * parameters with a smaller buffer cache. Postgres's default 128 MB of `shared_buffers` lives in
 * PGlite's WebAssembly memory and is touched at start (~160 MB of resident memory); the demo
 * database is under 30 MB, and pages that do not fit are read from the data directory (the
 * operating system's cache) or, in memory, from PGlite's in-memory files.
 */
export async function pgliteOptions(): Promise<{
  extensions: Awaited<ReturnType<typeof pgliteExtensions>>;
  startParams: string[];
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}> {
  const { PGlite } = await import('@electric-sql/pglite');
  return { extensions: await pgliteExtensions(), startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'], ...(await pgliteBinaries()) };
}

let binaries: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob }> | undefined;

/**
 * PGlite's WebAssembly, compiled once per process, and its file-system bundle, read once. Without
 * them every `PGlite.create` reads and compiles ~9 MB of WebAssembly again (1–2 s each); a process
 * that opens many databases (the tests, a backup check) pays that once. A compiled module holds no
 * state: every database still gets its own instance and memory.
 */
function pgliteBinaries(): Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob }> {
  binaries ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(readFileSync(join(dist, 'pglite.wasm'))), WebAssembly.compile(readFileSync(join(dist, 'initdb.wasm')))]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([readFileSync(join(dist, 'pglite.data'))]) };
  })().catch((err: unknown) => {
    binaries = undefined; // a failed read is tried again next time, not remembered
    throw err;
  });
  return binaries;
}

/** The PostgreSQL extensions our migrations use, as PGlite loads them. */
export async function pgliteExtensions() {
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  return { pg_trgm, unaccent };
}

/**
 * The migrated template's file name: a hash of every migration (name and text) and of the PGlite
 * version, so a changed schema or engine never loads a stale template (it is rebuilt instead).
 */
export function templateName(files: { name: string; sql: string }[] = migrationFiles()): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update('\0').update(f.sql).update('\0');
  hash.update(pgliteVersion());
  return `template-${hash.digest('hex').slice(0, 16)}.tar`;
}

function pgliteVersion(): string {
  try {
    const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    let dir = dirname(main);
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** Where templates are kept, first choice first (see `src/cache-dirs.ts`). */
export function templateDirs(): string[] {
  return cacheDirs();
}

/** The saved template for the current schema, if any (first of {@link templateDirs}). */
function templatePath(): string | undefined {
  const name = templateName();
  for (const dir of templateDirs()) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Creates an in-memory database, migrates it and saves its data directory as the template (in the
 * first place that takes it: written whole, then renamed, so a reader never sees half a file).
 * @returns the migrated database (still open) and the template.
 */
export async function buildTemplate(): Promise<{ db: Db; template: Blob; path?: string }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = await PGlite.create(await pgliteOptions());
  const db = new PgliteDb(lite);
  await migrate(db);
  const template = await lite.dumpDataDir('none');
  const bytes = Buffer.from(await template.arrayBuffer());
  for (const dir of templateDirs()) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, templateName());
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
      return { db, template, path };
    } catch {
      // a read-only place: only a speed-up, try the next one
    }
  }
  return { db, template };
}

/** The migrated template (a tar), built (and saved) first when there is none for this schema. */
async function migratedTemplate(): Promise<Uint8Array> {
  const path = templatePath();
  if (path) {
    try {
      return readFileSync(path);
    } catch {
      // unreadable: build one
    }
  }
  const built = await buildTemplate();
  await built.db.close();
  return new Uint8Array(await built.template.arrayBuffer());
}

/**
 * Writes a template (the tar PGlite's `dumpDataDir` makes) into a new data directory, as PGlite's
 * own loading does (each file with its time, directories as needed) but with plain file writes
 * instead of through its WebAssembly file system and two more copies of the 42 MB.
 * `PG_VERSION` comes last: a start interrupted half-way finds no database and copies again.
 * @returns false (nothing written) for a tar with entries other than files and directories.
 */
export function extractTemplate(tar: Uint8Array, dir: string): boolean {
  const entries: { name: string; dir: boolean; data: Uint8Array; mtime: number }[] = [];
  const text = (at: number, len: number) => {
    const field = tar.subarray(at, at + len);
    const end = field.indexOf(0);
    return Buffer.from(field.subarray(0, end < 0 ? len : end)).toString('utf8');
  };
  for (let at = 0; at + 512 <= tar.length; ) {
    if (tar[at] === 0) break; // the end: zero blocks
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    const mtime = Number.parseInt(text(at + 136, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[at + 156]!);
    const prefix = text(at + 257, 6) === 'ustar' ? text(at + 345, 155) : '';
    // "/base/1/1259" (PGlite) or "./base/1/1259" (tar): relative to the data directory, never above it.
    const name = posix.normalize(`./${prefix ? `${prefix}/` : ''}${text(at, 100)}`).replace(/\/+$/, '');
    if (!Number.isFinite(size) || (type !== '0' && type !== '\0' && type !== '5')) return false;
    if (name === '..' || name.startsWith('../') || name.startsWith('/')) return false;
    entries.push({ name, dir: type === '5', data: tar.subarray(at + 512, at + 512 + size), mtime });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  if (!entries.some((e) => e.name === 'PG_VERSION' && !e.dir)) return false;
  const ordered = [...entries.filter((e) => e.name !== 'PG_VERSION'), ...entries.filter((e) => e.name === 'PG_VERSION')];
  for (const e of ordered) {
    const path = join(dir, e.name);
    if (e.dir) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, e.data);
    utimesSync(path, e.mtime, e.mtime);
  }
  return true;
}

/** The live process holding an embedded database directory, if any. */
export function directoryOwner(dir: string): number | undefined {
  const lock = join(dir, LOCK_FILE);
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, 'utf8'));
  return pid && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/** The pid file that marks an embedded database directory as in use. */
export const LOCK_FILE = 'coworkbot.pid';

/** Claims an embedded database directory for this process; returns the release. */
export function lockDirectory(dir: string): () => void {
  const lock = join(dir, LOCK_FILE);
  const pid = directoryOwner(dir);
  if (pid) {
    throw new DatabaseBusyError(`The embedded database in ${dir} is in use by process ${pid}. Stop it first, or use --db memory.`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a database error is about the data itself (SQLSTATE class 22: invalid text or JSON, a NUL byte, a number out of range): retrying the same values cannot help. */
export function invalidDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * The first row of a statement that always returns one (`INSERT … RETURNING`, `SELECT count(*)`).
 * Throws when there is none: that is a broken statement or schema, never a row to guess.
 */
export function oneRow<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('database: the statement returned no row');
  return row;
}
