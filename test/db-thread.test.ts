/**
 * The embedded database on its worker thread (src/storage/db.ts, src/storage/pglite-worker.ts):
 * rows and errors as PGlite gives them on the main thread, exclusive transactions, and a thread
 * that ends with its database or fails the statements waiting on it when it dies.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseThread, invalidDataError, openDatabase, pgliteOptions, type Db } from '../src/storage/db.js';

/** One row of most types the schema uses, NULLs and odd values included. */
const VALUES = `SELECT 1::int2 AS i2, 2147483647::int4 AS i4, 9007199254740993::int8 AS i8, -3::int8 AS small8,
  12.50::numeric AS n, 1.5::float8 AS f8, 0.25::real AS r, true AS b, NULL::text AS nothing, 'é ☕ it''s' AS t,
  '2026-12-03 10:11:12.345+01'::timestamptz AS ts, '2026-12-03 10:11:12'::timestamp AS tsl, '2026-02-28'::date AS d,
  '1 day 2 hours'::interval AS iv, '{"a":[1,"x",null],"b":{"c":true}}'::jsonb AS jb, '[1,2]'::json AS js,
  ARRAY['a','b c',NULL]::text[] AS ta, ARRAY[1,2,3]::int[] AS ia, ARRAY[]::int8[] AS empty,
  '\\x00ff10'::bytea AS bytes, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, $1::text AS p1, $2::int AS p2,
  $3::timestamptz AS p3, $4::jsonb AS p4, $5::bytea AS p5, $6::text[] AS p6`;
const PARAMS = () => ['x', 42, new Date('2026-01-02T03:04:05.678Z'), JSON.stringify({ k: ['v'] }), new Uint8Array([1, 2, 3]), ['q', 'r']];

describe('the embedded database on its own thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'memory' });
    await db.query('CREATE TABLE thread_t (id int PRIMARY KEY, v text NOT NULL)');
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs on a worker thread, not the main one', () => {
    expect(databaseThread(db)?.worker.threadId).toBeGreaterThan(0);
  });

  it('returns the same rows, with the same JavaScript types, as PGlite on the main thread', async () => {
    const lite = await PGlite.create(await pgliteOptions());
    try {
      const direct = (await lite.query(VALUES, PARAMS())).rows;
      const threaded = await db.query(VALUES, PARAMS());
      expect(threaded).toStrictEqual(direct);
      const row = threaded[0]!;
      expect(row.ts).toBeInstanceOf(Date);
      expect(row.bytes).toBeInstanceOf(Uint8Array);
      expect(row.jb).toEqual({ a: [1, 'x', null], b: { c: true } });
      expect(row.p3).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    } finally {
      await lite.close();
    }
  });

  it('keeps the fields of PostgreSQL errors (code, constraint, …)', async () => {
    await db.query(`INSERT INTO thread_t VALUES (1, 'one')`);
    const dup = await db.query(`INSERT INTO thread_t VALUES (1, 'again')`).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Error);
    expect(dup).toMatchObject({ code: '23505', constraint: 'thread_t_pkey', table: 'thread_t', severity: 'ERROR' });
    expect((dup as Error).message).toMatch(/duplicate key/);
    const bad = await db.query('SELECT $1::int', ['not a number']).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: '22P02' });
    expect(invalidDataError(bad)).toBe(true);
    // The database goes on after an error.
    expect(await db.query('SELECT v FROM thread_t WHERE id = 1')).toEqual([{ v: 'one' }]);
  });

  it('keeps a transaction to itself: a statement outside it waits, then sees only committed data', async () => {
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const tx = db.tx(async (q) => {
      await q.query(`INSERT INTO thread_t VALUES (10, 'ten')`);
      inside();
      await held;
      await q.query(`UPDATE thread_t SET v = 'ten, updated' WHERE id = 10`);
      return 'done';
    });
    await started;
    let outsideDone = false;
    const outside = db.query<{ v: string }>('SELECT v FROM thread_t WHERE id = 10').then((rows) => {
      outsideDone = true;
      return rows;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(outsideDone).toBe(false);
    finish();
    expect(await tx).toBe('done');
    expect(await outside).toEqual([{ v: 'ten, updated' }]);
  });

  it('rolls back when the function throws, and after a failed statement', async () => {
    await expect(
      db.tx(async (q) => {
        await q.query(`INSERT INTO thread_t VALUES (20, 'twenty')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('SELECT * FROM thread_t WHERE id = 20')).toEqual([]);
    const failed = await db
      .tx(async (q) => {
        await q.query(`INSERT INTO thread_t VALUES (21, 'twenty-one')`);
        await q.query(`INSERT INTO thread_t VALUES (1, 'duplicate')`);
      })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: '23505' });
    expect(await db.query('SELECT * FROM thread_t WHERE id = 21')).toEqual([]);
    // A transaction whose failed statement was caught inside it cannot commit (as in PGlite).
    const aborted = await db
      .tx(async (q) => {
        await q.query(`INSERT INTO thread_t VALUES (22, 'twenty-two')`);
        await q.query('SELECT 1/0').catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(Error);
    expect(await db.query('SELECT * FROM thread_t WHERE id = 22')).toEqual([]);
    // The handle is closed once its transaction ended.
    let handle!: { query: Db['query'] };
    await db.tx(async (q) => {
      handle = q;
    });
    await expect(handle.query('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('prepares a statement once and runs it again with other values; a table changed under it runs it anew', async () => {
    await db.query('CREATE TABLE thread_p (id int PRIMARY KEY, at timestamptz)');
    const insert = 'INSERT INTO thread_p (id, at) VALUES ($1, $2) RETURNING id, at';
    expect(await db.query(insert, [1, new Date('2026-01-01T00:00:00Z')])).toEqual([{ id: 1, at: new Date('2026-01-01T00:00:00Z') }]);
    expect(await db.query(insert, [2, null])).toEqual([{ id: 2, at: null }]);
    const select = 'SELECT * FROM thread_p WHERE id = $1';
    expect(await db.query(select, [1])).toEqual([{ id: 1, at: new Date('2026-01-01T00:00:00Z') }]);
    expect(await db.query(select, [3])).toEqual([]);
    // Its result columns changed: PostgreSQL refuses the old plan; outside a transaction the
    // statement runs once more, unprepared, with the new columns.
    await db.query('ALTER TABLE thread_p ADD COLUMN note text');
    expect(await db.query(select, [2])).toEqual([{ id: 2, at: null, note: null }]);
    expect(await db.tx(async (q) => q.query(select, [2]))).toEqual([{ id: 2, at: null, note: null }]);
    // A statement that does not parse fails with PostgreSQL's error, and is not remembered.
    await expect(db.query('SELECT nope FROM thread_p WHERE id = $1', [1])).rejects.toMatchObject({ code: '42703' });
    await expect(db.query('SELECT nope FROM thread_p WHERE id = $1', [1])).rejects.toMatchObject({ code: '42703' });
  });

  it('fails a statement whose value cannot cross threads, and runs the ones asked for with it', async () => {
    const [bad, good] = await Promise.allSettled([db.query('SELECT $1::text AS v', [() => 'a function']), db.query('SELECT $1::text AS v', ['plain'])]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: [{ v: 'plain' }] });
  });

  it('fails the statements waiting on a thread that died, and every later one, instead of hanging', async () => {
    const doomed = await openDatabase({ kind: 'memory' });
    const slow = doomed.query('SELECT pg_sleep(5)');
    await new Promise((r) => setTimeout(r, 100));
    await databaseThread(doomed)!.worker.terminate();
    await expect(slow).rejects.toThrow(/database thread stopped/);
    await expect(doomed.query('SELECT 1')).rejects.toThrow(/database thread stopped/);
    await expect(doomed.tx(async (q) => q.query('SELECT 1'))).rejects.toThrow(/database thread stopped/);
    await doomed.close();
  });

  it('ends its thread on close: a process that opened and closed a database exits by itself', async () => {
    const script = `import { openDatabase } from ${JSON.stringify(join(process.cwd(), 'src/storage/db.ts'))};
      const db = await openDatabase({ kind: 'memory' });
      const [row] = await db.query('SELECT 41 + 1 AS n');
      await db.close();
      await db.query('SELECT 1').catch((e) => console.log('after close:', e.message));
      console.log('answer', row.n);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(-1);
      }, 50_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain('after close: database: closed');
    expect(out).toContain('answer 42');
    expect(code).toBe(0);
  });
});
