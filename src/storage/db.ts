/**
 * One small database contract with two engines behind it: PGlite (Postgres compiled to WASM, in
 * process — the embedded default) and PostgreSQL through `pg` (`DATABASE_URL`). The same SQL runs on
 * both; nothing outside `src/storage/` writes SQL.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { cacheDirs, writeCached } from '../cache-dirs.js';
import type { Config } from '../config.js';
import { mark } from '../timing.js';
import { pgliteExtensions } from './pglite-extensions.js';
import type { OpenTarget, WorkerError, WorkerInit, WorkerReply, WorkerRequest } from './pglite-worker.js';

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

/** A request to the database thread, before it gets its number. */
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/**
 * Starts a database thread from its file next to this one: compiled (dist/, `npm start`) or
 * TypeScript (tsx: tests, bench). A worker thread does not inherit the process's module hooks, so
 * for TypeScript a one-line script registers tsx's loader in the thread first.
 */
function startWorker(init: WorkerInit): Worker {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', here), { workerData: init });
  const file = new URL('./pglite-worker.ts', here).href;
  // tsx's ES module API (its `import` export of `tsx/esm/api`; `require.resolve` would give the CommonJS one).
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(file)}); });`, { eval: true, workerData: init });
}

/**
 * Threads whose database was closed, kept (idle, not keeping the process alive) for the next
 * database: starting a thread and loading PGlite into it costs ~0.3 s of CPU, and the tests open
 * hundreds of databases one after another.
 */
const idleThreads: Worker[] = [];
const MAX_IDLE_THREADS = 2;

function idleThreadGone(this: Worker): void {
  const at = idleThreads.indexOf(this);
  if (at >= 0) idleThreads.splice(at, 1);
}

/** A thread for one database: an idle one, else a new one. */
async function takeThread(): Promise<Worker> {
  const idle = idleThreads.pop();
  if (idle) {
    idle.off('exit', idleThreadGone).off('error', idleThreadGone);
    return idle;
  }
  return startWorker(await threadInit());
}

function returnThread(worker: Worker): void {
  if (idleThreads.length >= MAX_IDLE_THREADS) {
    void worker.terminate();
    return;
  }
  worker.unref();
  worker.on('exit', idleThreadGone).on('error', idleThreadGone);
  idleThreads.push(worker);
}

/** An error from the database thread, with PostgreSQL's fields (`code`, `detail`, `constraint`, …) as PGlite gives them. */
function threadError(e: WorkerError): Error {
  const err = Object.assign(new Error(e.message), e.fields);
  err.name = e.name;
  return err;
}

/**
 * The embedded database on a worker thread (src/storage/pglite-worker.ts owns the PGlite instance):
 * PostgreSQL's WebAssembly and PGlite's protocol parsing use the second core, and the bot's thread
 * only posts statements and receives rows (structured cloning keeps Date, bigint, Uint8Array, json).
 * A transaction is exclusive, as PGlite's own: while one is open or waiting, statements outside it
 * wait; those inside it go straight through.
 */
class ThreadDb implements Db {
  readonly kind = 'pglite' as const;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  /** Set when the thread is gone (closed, crashed): every request fails with it. */
  private failure: Error | undefined;
  /** Settles when the last transaction asked for has ended. */
  private txTail: Promise<void> = Promise.resolve();
  private txWaiting = 0;
  private closing: Promise<void> | undefined;

  /** The thread's id in the operating system (Linux), for CPU time per thread. */
  osThreadId: number | undefined;
  private readonly onMessage = (batch: WorkerReply[]) => {
    for (const m of batch) this.settle(m);
  };
  private readonly onError = (err: Error) => this.fail(new Error(`database: the database thread failed: ${err.message}`, { cause: err }));
  private readonly onExit = (code: number) => this.fail(new Error(`database: the database thread stopped (exit code ${code})`));

  private constructor(
    readonly worker: Worker,
    private readonly onClose: () => void,
  ) {
    worker.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit);
  }

  /** Opens a database on a thread of its own; fails (the thread ended) when PGlite cannot open it. */
  static async open(target: OpenTarget, onClose: () => void = () => undefined): Promise<ThreadDb> {
    const db = new ThreadDb(await takeThread(), onClose);
    try {
      db.osThreadId = (await db.call({ op: 'open', target })) as number | undefined;
    } catch (err) {
      // A failed start may leave the thread's PGlite half-made: the thread ends with it.
      db.detach();
      await db.worker.terminate();
      throw err;
    }
    return db;
  }

  /** Stops listening to the thread (closed: it goes back to the idle threads, or it ended). */
  private detach(): void {
    this.worker.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit);
  }

  private settle(m: WorkerReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    // Idle, the thread does not keep the process alive (as PGlite on the main thread does not);
    // while a request is pending it does, or a script awaiting its last query would just exit.
    if (this.pending.size === 0) this.worker.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(threadError(m.error));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private call(req: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // The requests made in one go (this turn's microtasks) are posted together: one message,
      // one wake-up of the database thread.
      if (this.outbox.length === 0) queueMicrotask(() => this.flush());
      this.outbox.push({ ...req, id } as WorkerRequest);
    });
  }

  private outbox: WorkerRequest[] = [];

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (this.failure) return; // already failed with the thread
    try {
      this.worker.postMessage(batch);
    } catch {
      // A parameter that cannot be cloned (a function): that request fails, the others go.
      for (const req of batch) {
        try {
          this.worker.postMessage([req]);
        } catch (err) {
          const p = this.pending.get(req.id);
          this.pending.delete(req.id);
          if (this.pending.size === 0) this.worker.unref();
          p?.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    }
  }

  /** Runs `fn` with the database to itself: after every transaction asked for before, before any statement asked for after. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.txTail;
    let done!: () => void;
    this.txTail = new Promise((resolve) => (done = resolve));
    this.txWaiting++;
    try {
      await before;
      return await fn();
    } finally {
      this.txWaiting--;
      done();
    }
  }

  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    while (this.txWaiting > 0) await this.txTail;
    return (await this.call({ op: 'query', sql, params })) as T[];
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.call({ op: 'begin' });
      let open = true;
      const q: Queryable = {
        query: async <R extends object>(sql: string, params: unknown[] = []) => {
          if (!open) throw new Error('Transaction is closed');
          return (await this.call({ op: 'query', sql, params, tx: true })) as R[];
        },
      };
      try {
        const out = await fn(q);
        open = false;
        await this.call({ op: 'commit' });
        return out;
      } catch (err) {
        if (open) {
          open = false;
          // The statement's own error says more than a rollback that fails after it (a dead thread).
          await this.call({ op: 'rollback' }).catch(() => undefined);
        }
        throw err;
      }
    });
  }

  /** The data directory as a tar (`gzip`: compressed), taken with every other statement held back. */
  async dump(compression: 'none' | 'gzip', checkpoint: boolean): Promise<Uint8Array> {
    return this.exclusive(async () => (await this.call({ op: 'dump', compression, checkpoint })) as Uint8Array);
  }

  async snapshot(): Promise<Uint8Array> {
    return this.dump('gzip', true);
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      const closed =
        !this.failure &&
        (await this.call({ op: 'close' }).then(
          () => true,
          () => false,
        ));
      this.fail(new Error('database: closed'));
      this.detach();
      // A thread whose database closed cleanly opens the next one; any other ends here.
      if (closed) returnThread(this.worker);
      else await this.worker.terminate();
      this.onClose(); // the directory is free once the database is closed, not before
    })();
    return this.closing;
  }
}

/**
 * The worker thread an embedded database runs on, and its operating-system thread id where known
 * (Linux: its CPU time is in /proc/self/task/ID/stat), for tests and diagnostics; none for PostgreSQL.
 */
export function databaseThread(db: Db): { worker: Worker; osThreadId: number | undefined } | undefined {
  return db instanceof ThreadDb ? { worker: db.worker, osThreadId: db.osThreadId } : undefined;
}

/** Where to keep the database. */
export type DbTarget = { kind: 'memory' } | { kind: 'dir'; dir: string } | { kind: 'postgres'; url: string };

/** Reads `memory`, a `postgres://` URL or a directory path. */
export function parseDbTarget(value: string): DbTarget {
  if (value === 'memory') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  return { kind: 'dir', dir: value };
}

/** The database the configuration asks for: `DATABASE_URL`, else the embedded one in `DATA_DIR`. */
export function configuredDb(config: Config): DbTarget {
  return config.database.url ? parseDbTarget(config.database.url) : { kind: 'dir', dir: config.database.dataDir };
}

/** Which database a target names (a directory by its absolute path), to match an early open to its user. */
function targetKey(target: DbTarget): string {
  return target.kind === 'dir' ? `dir:${resolve(target.dir)}` : target.kind === 'postgres' ? `postgres:${target.url}` : 'memory';
}

/** A database opened ahead of its user by {@link openDatabaseEarly}, not yet taken. */
let early: { key: string; db: Promise<Db> } | undefined;

/**
 * Starts opening `target` (migrated) now; the next `openDatabase` of the same target takes it as it
 * is, opened or still opening, failed or not. The CLI calls it before it loads the bot's modules
 * (issue #17, start-up): the database thread then compiles PGlite and loads its data on the second
 * core while the main thread loads and parses, instead of after. At most one waits at a time.
 * @returns the database being opened (the promise its taker gets); none while another one waits.
 */
export function openDatabaseEarly(target: DbTarget): Promise<Db> | undefined {
  if (early) return undefined;
  const db = openDatabase(target);
  // Its failure is its taker's (the same rejected promise); a process that never takes it exits with it.
  db.catch(() => undefined);
  early = { key: targetKey(target), db };
  return db;
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
  if (early && migrating && early.key === targetKey(target)) {
    const taken = early.db;
    early = undefined;
    return taken;
  }
  if (target.kind === 'postgres') {
    // A bounded wait for a connection: with the database gone, a query fails (and is retried by its
    // caller) instead of waiting for ever; keep-alive notices a connection that silently died.
    // Loaded only for PostgreSQL: the embedded database's start (issue #17) does not wait for it.
    const { default: pgLib } = await import('pg');
    const pool = new pgLib.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 10_000, keepAlive: true });
    pool.on('error', () => undefined); // an idle client dying must not crash the process; queries report errors
    const db = new PostgresDb(pool);
    if (migrating) await migrate(db);
    return db;
  }
  if (target.kind === 'memory') {
    // initdb and the migrations cost seconds; a copy of the migrated template loads in well under one.
    const path = templatePath();
    // Unreadable (the thread tries the file, then a fresh read of it): built anew below.
    const db = path ? await ThreadDb.open({ load: { path } }).catch(() => undefined) : undefined;
    if (db) {
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
  let db: ThreadDb | undefined;
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
    db = await ThreadDb.open({ dataDir: dir, ...(template ? { load: { blob: template } } : {}) }, release);
    mark('db: PGlite created');
    if (migrating) await migrate(db);
    mark('db: migrations checked');
    return db;
  } catch (err) {
    if (db) await db.close();
    else release();
    throw err;
  }
}

/** What a database thread needs to open PGlite: the compiled WebAssembly (compiled once per process) and the start parameters. */
async function threadInit(): Promise<WorkerInit> {
  return { extraStartParams: START_PARAMS, ...(await pgliteBinaries()) };
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
  return { extensions: await pgliteExtensions(), startParams: [...PGlite.defaultStartParams, ...START_PARAMS], ...(await pgliteBinaries()) };
}

/** PGlite's start parameters beyond its defaults (see {@link pgliteOptions}). */
const START_PARAMS = ['-c', 'shared_buffers=16MB'];

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

export { pgliteExtensions };

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
  const db = await ThreadDb.open({});
  await migrate(db);
  const bytes = await db.dump('none', false);
  const template = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  // A read-only place is skipped: the template is only a speed-up.
  const path = writeCached(templateName(), bytes, templateDirs());
  return path ? { db, template, path } : { db, template };
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
