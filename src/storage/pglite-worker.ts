/**
 * The embedded database on its own thread (started by `src/storage/db.ts`): this worker owns one
 * PGlite instance at a time (a closed database's thread opens the next one) and answers the main thread's requests, so PostgreSQL's WebAssembly and PGlite's
 * wire-protocol parsing run on a second core while the bot's thread does its own work.
 *
 * Requests are handled in the order they arrive; PGlite's own locks keep them one at a time. A
 * transaction is PGlite's `transaction` held open between a `begin` and a `commit`/`rollback`
 * request, so commit, rollback and a failed statement behave exactly as on the main thread.
 */
import { openAsBlob, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** What every database of the thread is opened with (posted once, as `workerData`). */
export interface WorkerInit {
  /** Start parameters added to PGlite's defaults. */
  extraStartParams: string[];
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

/** Which database to open. */
export interface OpenTarget {
  /** A data directory on disk; none: in memory. */
  dataDir?: string;
  /** A data directory to start from: a tar file (read in this thread) or its bytes. */
  load?: { path: string } | { blob: Blob };
}

/** One request from the main thread. */
export type WorkerRequest =
  | { id: number; op: 'open'; target: OpenTarget }
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: boolean }
  | { id: number; op: 'begin' | 'commit' | 'rollback' | 'close' }
  | { id: number; op: 'dump'; compression: 'none' | 'gzip'; checkpoint: boolean };

/** The answer to one request. */
export type WorkerReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: WorkerError };

/** An error as it crosses threads: its message and its plain fields (PostgreSQL's `code`, `detail`, …). */
export interface WorkerError {
  message: string;
  name: string;
  fields: Record<string, string | number | boolean | null | undefined>;
}

/** The plain fields of an error, which structured cloning would drop (it keeps only the message). */
function errorToPost(err: unknown): WorkerError {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', fields: {} };
  const fields: WorkerError['fields'] = {};
  for (const [k, v] of Object.entries(err)) {
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  return { message: err.message, name: err.name, fields };
}

const port = parentPort;
if (!port) throw new Error('pglite-worker: not started as a worker thread');
const init = workerData as WorkerInit;

async function open(target: OpenTarget): Promise<PGlite> {
  const options = {
    extensions: { pg_trgm, unaccent },
    startParams: [...PGlite.defaultStartParams, ...init.extraStartParams],
    pgliteWasmModule: init.pgliteWasmModule,
    initdbWasmModule: init.initdbWasmModule,
    fsBundle: init.fsBundle,
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
  };
  const load = target.load;
  if (!load) return PGlite.create(options);
  if ('blob' in load) return PGlite.create({ ...options, loadDataDir: load.blob });
  // File-backed: PGlite reads the file once into its own memory (no second copy through a Buffer).
  // Read whole when the file was replaced meanwhile (another process saved the same template).
  return PGlite.create({ ...options, loadDataDir: await openAsBlob(load.path) }).catch(() => PGlite.create({ ...options, loadDataDir: new Blob([readFileSync(load.path)]) }));
}

/** The open transaction: its handle, and how to end it (resolve: commit; reject: roll back). */
let current: { t: Transaction; end: Promise<unknown>; commit: () => void; rollback: () => void } | undefined;
const ROLLBACK = Symbol('rollback');

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

/** The thread's open database: one at a time; a closed one's thread is kept to open the next. */
let db: PGlite | undefined;

async function handle(req: WorkerRequest): Promise<void> {
  try {
    if (req.op === 'open') {
      if (db) throw new Error('pglite-worker: a database is open already');
      db = await open(req.target);
      reply({ id: req.id, ok: true });
      return;
    }
    const lite = db;
    if (!lite) throw new Error('database: closed');
    switch (req.op) {
      case 'query': {
        const runner = req.tx ? current?.t : lite;
        if (!runner) throw new Error('Transaction is closed');
        reply({ id: req.id, ok: true, value: (await runner.query(req.sql, req.params)).rows });
        return;
      }
      case 'begin': {
        let started!: () => void;
        const began = new Promise<void>((resolve) => (started = resolve));
        const end = lite.transaction(
          (t) =>
            new Promise((commit, rollback) => {
              current = { t, end, commit: () => commit(undefined), rollback: () => rollback(ROLLBACK) };
              started();
            }),
        );
        // A BEGIN that fails ends the transaction before it starts.
        await Promise.race([began, end]);
        reply({ id: req.id, ok: true });
        return;
      }
      case 'commit':
      case 'rollback': {
        const tx = current;
        if (!tx) throw new Error('Transaction is closed');
        current = undefined;
        if (req.op === 'commit') tx.commit();
        else tx.rollback();
        try {
          await tx.end;
        } catch (err) {
          if (err !== ROLLBACK) throw err;
        }
        reply({ id: req.id, ok: true });
        return;
      }
      case 'dump': {
        let blob: Blob | undefined;
        // Holding the transaction lock keeps every other statement out, so no transaction is
        // half-done in the copy; the checkpoint puts every committed page on disk.
        await lite.transaction(async (t) => {
          if (req.checkpoint) await t.query('CHECKPOINT');
          blob = await lite.dumpDataDir(req.compression);
        });
        const bytes = await blob!.arrayBuffer();
        reply({ id: req.id, ok: true, value: new Uint8Array(bytes) }, [bytes]);
        return;
      }
      case 'close': {
        db = undefined;
        current = undefined;
        if (!lite.closed) await lite.close();
        reply({ id: req.id, ok: true });
        return;
      }
    }
  } catch (err) {
    reply({ id: req.id, ok: false, error: errorToPost(err) });
  }
}

port.on('message', (req: WorkerRequest) => void handle(req));
