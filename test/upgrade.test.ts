/**
 * Upgrading from a previous release: every fixture in `test/fixtures/upgrade/` (a release's database
 * with rows in every table, written by `scripts/upgrade-fixture.ts`) is loaded into PGlite and
 * PostgreSQL and upgraded to today's migrations, whatever they are (a new migration file is picked up
 * with no change here). Then: every migration the release lacked was applied, every row it held is
 * still there with the same values, the schema equals a fresh install's, and the bot answers its
 * people from their stored data.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { migrationFiles, openDatabase, pgliteExtensions, type Db, type DbTarget } from '../src/storage/db.js';
import { dbTargetNames, freshPostgres, testConfig } from './helpers.js';

const fixturesDir = join(import.meta.dirname, 'fixtures', 'upgrade');
const fixtures = readdirSync(fixturesDir)
  .filter((f) => /^\d+\.\d+\.\d+\.sql$/.test(f))
  .sort();

/**
 * Tables whose rows a migration changes on purpose, with the reason. A migration that rewrites or
 * deletes old rows must be listed here, or this test fails (so data never changes by accident).
 */
const EXPECTED_CHANGES: Record<string, string> = {};

const work = mkdtempSync(join(tmpdir(), 'cwb-upgrade-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Loads a plain SQL dump into an empty database, without running any migration. */
async function loadFixture(engine: 'pglite' | 'postgres', sql: string): Promise<{ target: DbTarget; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(work, 'db-'));
    const { PGlite } = await import('@electric-sql/pglite');
    const lite = await PGlite.create({ dataDir: dir, extensions: await pgliteExtensions() });
    await lite.exec(sql);
    await lite.close(); // the dump set search_path to '' for its session: a new session starts clean
    return { target: { kind: 'dir', dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const { url, drop } = await freshPostgres();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`); // the dump creates the extensions itself
  await c.query(sql);
  await c.end();
  return { target: { kind: 'postgres', url }, cleanup: drop };
}

async function tablesOf(db: Db): Promise<string[]> {
  return (await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r) => r.name);
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  return (await db.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table])).map(
    (r) => r.name,
  );
}

/** Every row of `table`, projected on `columns`, in a stable order. */
async function rowsOf(db: Db, table: string, columns: string[]): Promise<string[]> {
  const rows = await db.query(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Columns, indexes and constraints: an upgraded database must have exactly a fresh install's schema. */
async function schemaOf(db: Db): Promise<Record<string, unknown[]>> {
  return {
    columns: await db.query(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`),
    indexes: await db.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`),
    constraints: await db.query(
      `SELECT t.relname AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' ORDER BY t.relname, c.conname`,
    ),
  };
}

it('has at least one release fixture, with rows in every table', () => {
  expect(fixtures.length).toBeGreaterThan(0);
  for (const f of fixtures) {
    const sql = readFileSync(join(fixturesDir, f), 'utf8');
    const created = [...sql.matchAll(/^CREATE TABLE public\.(\w+) \(/gm)].map((m) => m[1]!);
    const filled = new Set([...sql.matchAll(/^INSERT INTO public\.(\w+) /gm)].map((m) => m[1]!));
    expect(
      created.filter((t) => !filled.has(t)),
      f,
    ).toEqual([]);
  }
});

for (const fixture of fixtures) {
  describe.each(dbTargetNames())(`upgrade from ${fixture.replace('.sql', '')} (%s)`, (engine) => {
    it("applies every newer migration, keeps every row, ends with a fresh install's schema, and the bot answers", async () => {
      const { target, cleanup } = await loadFixture(engine, readFileSync(join(fixturesDir, fixture), 'utf8'));
      try {
        // The release as it was: its tables, rows and recorded migrations.
        const old = await openDatabase(target, { migrate: false });
        const recorded = (await old.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
        const before = new Map<string, { columns: string[]; rows: string[] }>();
        for (const t of await tablesOf(old)) {
          const columns = await columnsOf(old, t);
          before.set(t, { columns, rows: await rowsOf(old, t, columns) });
        }
        await old.close();

        // Upgrade the way `coworkbot start` / `coworkbot migrate` does.
        const db = await openDatabase(target);
        const now = (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
        const today = migrationFiles().map((f) => f.name);
        expect(now).toEqual(today);
        expect(recorded.every((n) => today.includes(n))).toBe(true);

        for (const [table, { columns, rows }] of before) {
          if (EXPECTED_CHANGES[table]) continue;
          // Every old row is still there, unchanged; migrations may add rows (schema_migrations does).
          const after = new Set(await rowsOf(db, table, columns));
          expect(
            rows.filter((r) => !after.has(r)),
            `rows of ${table} changed or lost`,
          ).toEqual([]);
        }
        const upgraded = await schemaOf(db);
        await db.close();

        const fresh = engine === 'pglite' ? await openDatabase({ kind: 'memory' }) : undefined;
        const freshPg = engine === 'postgres' ? await freshPostgres() : undefined;
        const freshDb = fresh ?? (await openDatabase({ kind: 'postgres', url: freshPg!.url }));
        try {
          expect(upgraded).toEqual(await schemaOf(freshDb));
        } finally {
          await freshDb.close();
          await freshPg?.drop();
        }

        // The bot runs on it: people are answered in their stored language, cards, cases and broadcasts read back.
        const app = await createApp({ config: testConfig(), db: target, embeddedQueue: true, floodControl: false });
        try {
          const people = await app.db.query<{ address: string; id: string; language: string | null }>(
            `SELECT a.address, p.id, p.language FROM channel_addresses a JOIN people p ON p.id = a.person_id
                 JOIN conversations c ON c.person_id = p.id WHERE a.channel = 'web' AND c.mode = 'bot' ORDER BY p.id`,
          );
          expect(people.length).toBeGreaterThan(0);
          for (const p of people) {
            const r = await app.bot.handle({ channel: 'web', address: p.address, externalId: `after-upgrade-${p.id}`, receivedAt: new Date(), content: { type: 'choice', id: 'cmd:menu' } });
            expect(r.personId).toBe(p.id);
            expect(r.replies.length).toBeGreaterThan(0);
            if (p.language) expect(r.lang).toBe(p.language);
          }
          const cards = await app.db.query<{ person_id: string; card_en: string }>(`SELECT person_id, card_en FROM project_cards`);
          for (const c of cards) expect((await app.flowStore.latestCard(c.person_id))?.cardEn).toBe(c.card_en);
          const open = Number((await app.db.query<{ n: string }>(`SELECT count(*) AS n FROM handoff_cases WHERE status <> 'closed'`))[0]!.n);
          expect((await app.handoff.cases.queue()).length).toBe(open);
          const broadcasts = await app.db.query<{ id: string; status: string }>(`SELECT id, status FROM broadcasts ORDER BY id DESC LIMIT 50`);
          expect((await app.broadcastStore.listBroadcasts(null)).map((b) => [b.id, b.status])).toEqual(broadcasts.map((b) => [Number(b.id), b.status]));
        } finally {
          await app.close();
        }
      } finally {
        await cleanup();
      }
    }, 300_000);
  });
}
