/** Shared test helpers: configuration, databases (PGlite always, PostgreSQL when TEST_DATABASE_URL is set). */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '../src/storage/scratch.js';
import { parseConfig, type Config } from '../src/config.js';
import { openDatabase, type Db, type DbTarget } from '../src/storage/db.js';

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
