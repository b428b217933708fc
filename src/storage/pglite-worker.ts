/**
 * The embedded database on its own thread (started by `src/storage/db.ts`): this worker owns one
 * PGlite instance at a time (a closed database's thread opens the next one) and answers the main thread's requests, so PostgreSQL's WebAssembly and PGlite's
 * wire-protocol parsing run on a second core while the bot's thread does its own work.
 *
 * Requests are handled in the order they arrive; PGlite's own locks keep them one at a time. A
 * transaction is PGlite's `transaction` held open between a `begin` and a `commit`/`rollback`
 * request, so commit, rollback and a failed statement behave exactly as on the main thread.
 */
import { openAsBlob, readFileSync, readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parse, PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import { pgliteExtensions } from './pglite-extensions.js';

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

/** The answer to one request (posted in batches: an array of them). */
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
    extensions: await pgliteExtensions(),
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

/** Replies not yet posted: posted together once this turn of the event loop is done. */
let outbox: WorkerReply[] = [];
let outboxTransfer: ArrayBuffer[] = [];

/**
 * Queues an answer. The requests that arrived together are answered in one message (posting one
 * costs this thread more than running a short statement: the other thread is woken each time).
 */
function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(message);
  outboxTransfer.push(...transfer);
}

function flush(): void {
  const batch = outbox;
  const transfer = outboxTransfer;
  outbox = [];
  outboxTransfer = [];
  port!.postMessage(batch, transfer);
}

/** This thread's id in the operating system (Linux; for the bench's CPU time per thread), if known. */
function osThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || undefined;
  } catch {
    return undefined;
  }
}

/** The thread's open database: one at a time; a closed one's thread is kept to open the next. */
let db: PGlite | undefined;

/**
 * Statements prepared by name on the open database, by their text: each one's parameter types (to
 * serialise values as PGlite does) and its row description (to parse rows as PGlite does).
 */
let statements = new Map<string, { name: string; paramTypes: number[]; rowDescription: unknown }>();
let statementCount = 0;
/** Most statements prepared (the code's own are far fewer; generated ones run unprepared from here). */
const MAX_PREPARED = 1000;
/** Statements whose plan went stale (a table changed under them): run unprepared from then on. */
const unpreparable = new Set<string>();
/** Statements worth preparing: a single data statement (no DDL, no transaction control, no scripts). */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs a statement prepared by name: the first call parses and describes it (PGlite's `query` does
 * that on every call: parse, describe, bind, describe, execute, sync, six calls into PostgreSQL),
 * every later one sends bind, execute and sync in one call, and PostgreSQL reuses its parse tree.
 * Values are serialised and rows parsed with PGlite's own serialisers, parsers and result parser,
 * so the rows are those `query` returns. Outside a transaction it takes PGlite's transaction lock
 * as `query` does; inside one, the statement runs within it.
 */
async function preparedQuery(lite: PGlite, sql: string, params: unknown[], inTx: boolean): Promise<unknown[]> {
  const run = async (): Promise<unknown[]> => {
    let stmt = statements.get(sql);
    if (!stmt) {
      const name = `cwb_${++statementCount}`;
      const described = await lite.execProtocolStream(concat([protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]), {
        syncToFs: false,
      });
      const rowDescription = described.find((m) => m.name === 'rowDescription');
      stmt = { name, paramTypes: parse.parseDescribeStatementResults(described), rowDescription };
      statements.set(sql, stmt);
    }
    const types = stmt.paramTypes;
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serialize = lite.serializers[types[i]!];
      return serialize ? serialize(v) : String(v);
    });
    let messages: BackendMessage[];
    try {
      messages = await lite.execProtocolStream(concat([protocol.serialize.bind({ statement: stmt.name, values }), protocol.serialize.execute({}), protocol.serialize.sync()]), { syncToFs: false });
    } catch (err) {
      // A plan PostgreSQL can no longer use (a table altered since): never prepared again.
      if ((err as { code?: string }).code === '0A000') {
        statements.delete(sql);
        unpreparable.add(sql);
      }
      throw err;
    }
    if (!inTx) await lite.syncToFs();
    const withFields = stmt.rowDescription ? [stmt.rowDescription as BackendMessage, ...messages] : messages;
    return parse.parseResults(withFields, lite.parsers)[0]?.rows ?? [];
  };
  if (inTx) return lite._runExclusiveQuery(run);
  return lite._runExclusiveTransaction(() => lite._runExclusiveQuery(run));
}

/** Whether to run `sql` prepared (see {@link preparedQuery}). */
function preparable(sql: string): boolean {
  if (unpreparable.has(sql) || !PREPARABLE.test(sql)) return false;
  return statements.has(sql) || statements.size < MAX_PREPARED;
}

async function handle(req: WorkerRequest): Promise<void> {
  try {
    if (req.op === 'open') {
      if (db) throw new Error('pglite-worker: a database is open already');
      db = await open(req.target);
      statements = new Map();
      reply({ id: req.id, ok: true, value: osThreadId() });
      return;
    }
    const lite = db;
    if (!lite) throw new Error('database: closed');
    switch (req.op) {
      case 'query': {
        const runner = req.tx ? current?.t : lite;
        if (!runner) throw new Error('Transaction is closed');
        let rows: unknown[];
        if (preparable(req.sql)) {
          rows = await preparedQuery(lite, req.sql, req.params, !!req.tx).catch(async (err: unknown) => {
            // A stale plan outside a transaction: once more, unprepared (inside one, the failed
            // statement has aborted the transaction: it fails, once).
            if (req.tx || !unpreparable.has(req.sql)) throw err;
            return (await runner.query(req.sql, req.params)).rows;
          });
        } else rows = (await runner.query(req.sql, req.params)).rows;
        reply({ id: req.id, ok: true, value: rows });
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

// Requests come in batches too (those the main thread made in one go), handled in order.
port.on('message', (batch: WorkerRequest[]) => {
  for (const req of batch) void handle(req);
});
