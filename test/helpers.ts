/** Shared test helpers: configuration, databases (PGlite always, PostgreSQL when TEST_DATABASE_URL is set). */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '../src/storage/scratch.js';
import { parseConfig, type Config } from '../src/config.js';
import { openDatabase, type Db, type DbTarget } from '../src/storage/db.js';
import { BullQueue } from '../src/queue/bullmq-queue.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

/** A configuration with defaults and the given overrides (environment variable names). */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ LOG_LEVEL: 'silent', ...env });
}

/**
 * A fresh, empty PostgreSQL database on the server named by TEST_DATABASE_URL, dropped by the
 * returned cleanup. Each test file gets its own, so files run in parallel without sharing rows.
 */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return scratchDatabase(TEST_DATABASE_URL);
}

/**
 * A fresh PostgreSQL database (TEST_DATABASE_URL) and a BullMQ queue name of its own on TEST_REDIS_URL
 * (prefixed `prefix`), for an app on both; `drop` empties the queue and drops the database.
 */
export async function freshPostgresAndQueue(prefix: string): Promise<{ url: string; redisUrl: string; queueName: string; drop: () => Promise<void> }> {
  if (!TEST_REDIS_URL) throw new Error('TEST_REDIS_URL is not set');
  const redisUrl = TEST_REDIS_URL;
  const pg = await freshPostgres();
  const queueName = `${prefix}_${randomBytes(4).toString('hex')}`;
  return {
    url: pg.url,
    redisUrl,
    queueName,
    drop: async () => {
      const q = new BullQueue(redisUrl, queueName);
      await q.obliterate();
      await q.close();
      await pg.drop();
    },
  };
}

/**
 * A temporary TEMPLATE_CACHE_DIR for the tests of this file, made before each test (`each`) or once
 * (`all`), removed and the variable put back after; returns its path as the tests see it.
 */
export function tempCacheDir(prefix: string, scope: 'each' | 'all'): () => string {
  let dir = '';
  let saved: string | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(() => {
    saved = process.env.TEMPLATE_CACHE_DIR;
    dir = mkdtempSync(join(tmpdir(), prefix));
    process.env.TEMPLATE_CACHE_DIR = dir;
  });
  (scope === 'each' ? afterEach : afterAll)(() => {
    if (saved === undefined) delete process.env.TEMPLATE_CACHE_DIR;
    else process.env.TEMPLATE_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * A copy of the demo content (spaces.csv, events.csv) without its shipped, machine-drafted
 * translations (`data/demo/translations/`): for tests of the model's own translations and of the
 * review page, which expect no stored translation at start. The caller removes the directory.
 */
export function demoWithoutDrafts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-demo-'));
  for (const f of ['spaces.csv', 'events.csv']) copyFileSync(join('data', 'demo', f), join(dir, f));
  return dir;
}

/** Database targets every storage test runs on. */
export function dbTargetNames(): ('pglite' | 'postgres')[] {
  return TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Opens a target by name; returns it with its cleanup. */
export async function dbTarget(name: 'pglite' | 'postgres'): Promise<{ target: DbTarget; cleanup: () => Promise<void> }> {
  if (name === 'pglite') return { target: { kind: 'memory' }, cleanup: async () => undefined };
  const { url, drop } = await freshPostgres();
  return { target: { kind: 'postgres', url }, cleanup: drop };
}

/**
 * Opens a migrated database on a named target (see {@link dbTargetNames}); `close` closes it and
 * drops a PostgreSQL test database.
 */
export async function openTestDb(name: 'pglite' | 'postgres'): Promise<{ db: Db; close: () => Promise<void> }> {
  const { target, cleanup } = await dbTarget(name);
  const db = await openDatabase(target);
  return {
    db,
    close: async () => {
      await db.close();
      await cleanup();
    },
  };
}

if (!TEST_DATABASE_URL) console.warn('TEST_DATABASE_URL is not set: PostgreSQL tests are skipped (PGlite tests run).');
if (!TEST_REDIS_URL) console.warn('TEST_REDIS_URL is not set: Redis / BullMQ tests are skipped.');
