/**
 * `coworkbot backup` and `coworkbot restore` as real processes: back up, wipe, restore, and every row
 * of every table is back (people, conversations, messages, project cards, broadcasts…), and the bot
 * answers the same person from it; on the embedded database (also while the bot runs) and on
 * PostgreSQL. Plus the refusals an operator relies on, and scheduled backups with retention.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { restoreCommand } from '../src/cli/backup.js';
import { assembleServer } from '../src/assembly.js';
import { FixedClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { BackupSchedule, backupOpenDb, lastBackupAt, pruneBackups } from '../src/storage/backup.js';
import { openDatabase, type DbTarget } from '../src/storage/db.js';
import { runCommand } from './cli-run.js';
import { demoWithoutDrafts, freshPostgres, testConfig, TEST_DATABASE_URL } from './helpers.js';

/** Each test runs the CLI as several processes (PGlite starts in each): generous on a loaded machine. */
const SLOW = 300_000;
const work = mkdtempSync(join(tmpdir(), 'cwb-backup-'));
/** The demo spaces and events without their ~930 shipped translation drafts: rows every app here would import, back up and compare for nothing. */
const content = demoWithoutDrafts();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(content, { recursive: true, force: true });
});
/** The configuration of the apps this file starts in its own process. */
const config = (env: Record<string, string> = {}) => testConfig({ CONTENT_DIR: content, ...env });

/** Runs the `coworkbot` CLI as a process. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/coworkbot.js', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Every row of every table, ordered: two databases with the same fingerprint hold the same data. */
async function fingerprint(target: DbTarget): Promise<Record<string, string>> {
  const db = await openDatabase(target, { migrate: false });
  try {
    const tables = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const rows = await db.query(`SELECT * FROM ${name}`);
      out[name] = JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
    }
    return out;
  } finally {
    await db.close();
  }
}

/** A small real history: people in three languages, a project card, a handoff, a broadcast with deliveries. */
async function seed(target: DbTarget): Promise<{ personId: string; lang: string }> {
  const app = await createApp({ config: config(), db: target, embeddedQueue: true, floodControl: false });
  try {
    const say = (address: string, text: string, n: number) => app.bot.handle({ channel: 'web', address, externalId: `${address}-${n}`, receivedAt: new Date(), content: { type: 'text', text } });
    await say('w-amina', 'مرحبا، أبحث عن مكان للعمل', 1);
    await say('w-amina', 'أماكن العمل المشترك قرب بينييتو', 2);
    await say('w-luca', 'Ciao, quali eventi ci sono questa settimana?', 1);
    await say('w-olena', 'I need to talk to a person', 1);
    const amina = (await app.store.findPerson('web', 'w-amina'))!;
    await app.flowStore.saveCard(
      {
        personId: amina.id,
        flow: 'incubation',
        lang: 'ar',
        stage: 'idea',
        supportLevel: 2,
        answers: { idea: { value: 'catering' } },
        cardPerson: 'مطبخ صغير للطعام السوداني',
        cardIt: 'Una piccola cucina sudanese',
        cardEn: 'A small Sudanese kitchen',
        shareConsent: true,
      },
      new Date(),
    );
    for (const p of [amina, (await app.store.findPerson('web', 'w-luca'))!]) await app.broadcastStore.follow(p.id, 'all', '', new Date());
    const b = await app.broadcastStore.createBroadcast(
      { spaceId: null, createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day on Friday.', it: 'Porte aperte venerdì.' } } },
      new Date(),
    );
    // Started but not sent (no workers run here): the backup holds its pending delivery records and queued jobs.
    expect(await app.broadcastStore.startBroadcast(b.id, ['web'], new Date())).toBe(2);
    const lang = (await app.store.getPerson(amina.id))!.language!;
    expect(lang).toBe('ar');
    return { personId: amina.id, lang };
  } finally {
    await app.close();
  }
}

/** The bot answers the restored person from the restored data (her card and language are there). */
async function answersFromRestored(target: DbTarget, personId: string, lang: string): Promise<void> {
  const app = await createApp({ config: config(), db: target, embeddedQueue: true, floodControl: false });
  try {
    expect((await app.flowStore.latestCard(personId))?.cardEn).toBe('A small Sudanese kitchen');
    expect((await app.broadcastStore.listBroadcasts(null)).map((b) => b.messages.text.it)).toContain('Porte aperte venerdì.');
    const r = await app.bot.handle({ channel: 'web', address: 'w-amina', externalId: 'w-amina-after', receivedAt: new Date(), content: { type: 'text', text: 'menu' } });
    expect(r.personId).toBe(personId);
    expect(r.replies.length).toBeGreaterThan(0);
    expect(r.lang).toBe(lang);
  } finally {
    await app.close();
  }
}

describe('backup, wipe, restore: embedded database', () => {
  it(
    'brings back every row, keeps the wiped directory aside, and the bot answers the same person',
    async () => {
      const dataDir = join(work, 'embedded-db');
      const target: DbTarget = { kind: 'dir', dir: dataDir };
      const { personId, lang } = await seed(target);
      const before = await fingerprint(target);
      expect(JSON.parse(before.people!).length).toBe(3);

      const file = join(work, 'embedded.tar.gz');
      const backup = await cli(['backup', file], { DATA_DIR: dataDir });
      expect(backup.out).toContain(`Backup written: ${file}`);
      expect(backup.code).toBe(0);

      rmSync(dataDir, { recursive: true, force: true });
      // The wiped database starts empty, and nobody is there any more.
      const empty = await openDatabase(target);
      expect(await empty.query('SELECT id FROM people')).toEqual([]);
      await empty.close();

      expect((await cli(['restore', file], { DATA_DIR: dataDir })).code).toBe(2); // --yes is required
      const restore = await cli(['restore', file, '--yes'], { DATA_DIR: dataDir });
      expect(restore.out).toContain('The database it replaced is kept in');
      expect(restore.code).toBe(0);
      expect(readdirSync(work).some((f) => f.startsWith('embedded-db.before-restore-'))).toBe(true);

      expect(await fingerprint(target)).toEqual(before);
      await answersFromRestored(target, personId, lang);
    },
    SLOW,
  );

  it(
    'refuses a file that is not a backup, and a backup taken by a newer coworkbot',
    async () => {
      const dataDir = join(work, 'refusals-db');
      const junk = join(work, 'junk.tar.gz');
      writeFileSync(junk, 'not a backup at all');
      // The command in this process (test/cli-run.ts): the embedded test above runs restore as a process.
      const r = await runCommand(restoreCommand, [junk, '--yes'], { env: { DATA_DIR: dataDir } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('is not an embedded-database backup');

      const newer = await openDatabase({ kind: 'memory' });
      await newer.query(`INSERT INTO schema_migrations (name) VALUES ('999_from_the_future.sql')`);
      const newerFile = join(work, 'newer.tar.gz');
      await backupOpenDb(newer, newerFile);
      await newer.close();
      const refused = await runCommand(restoreCommand, [newerFile, '--yes'], { env: { DATA_DIR: dataDir } });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('taken by a newer coworkbot (it has migration 999_from_the_future.sql)');
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    },
    SLOW,
  );
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('backup while the bot runs (embedded)', () => {
  it(
    'the running bot takes the snapshot; restore is refused until it stops',
    async () => {
      const dataDir = join(work, 'running-db');
      const port = await freePort();
      // The demo without its drafts (as the apps above): fewer rows to import, snapshot and restore.
      const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], {
        env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', PORT: String(port), DATA_DIR: dataDir, CONTENT_DIR: content },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        for (let i = 0; i < 600 && !out.includes('Press Ctrl+C to stop.'); i++) await new Promise((r) => setTimeout(r, 100));
        expect(out).toContain('Press Ctrl+C to stop.');
        const base = `http://127.0.0.1:${port}`;
        const { session } = (await (await fetch(`${base}/api/chat/session`, { method: 'POST' })).json()) as { session: string };
        const sent = await fetch(`${base}/api/chat/message`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ session, text: 'Buongiorno, cerco uno spazio di coworking' }),
        });
        expect(sent.status).toBe(200);

        const file = join(work, 'running.tar.gz');
        const backup = await cli(['backup', file], { DATA_DIR: dataDir });
        expect(backup.out).toMatch(/snapshot by the running bot \(process \d+\)/);
        expect(backup.code).toBe(0);
        // The bot keeps answering after the snapshot.
        const after = await fetch(`${base}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'grazie' }) });
        expect(after.status).toBe(200);

        // The two restores run in this process (test/cli-run.ts): the first test runs restore as a
        // process, and the process holding the directory here is the bot, not the command.
        const busy = await runCommand(restoreCommand, [file, '--yes'], { env: { DATA_DIR: dataDir } });
        expect(busy.status).toBe(1);
        expect(busy.stderr).toContain('is in use by process');
        // Refused before the file is read: even a file that is no backup gets the same answer.
        const junk = join(work, 'running-junk.tar.gz');
        writeFileSync(junk, 'not a backup at all');
        const busyJunk = await runCommand(restoreCommand, [junk, '--yes'], { env: { DATA_DIR: dataDir } });
        expect(busyJunk.status).toBe(1);
        expect(busyJunk.stderr).toContain('is in use by process');

        // The snapshot holds the conversation: restored elsewhere, the person and both messages are there.
        const copy = join(work, 'running-copy-db');
        expect((await runCommand(restoreCommand, [file, '--yes'], { env: { DATA_DIR: copy } })).status).toBe(0);
        const db = await openDatabase({ kind: 'dir', dir: copy }, { migrate: false });
        const rows = await db.query<{ language: string; n: string }>(
          `SELECT p.language, count(m.id) AS n FROM people p JOIN messages m ON m.person_id = p.id AND m.direction = 'in' GROUP BY p.language`,
        );
        await db.close();
        expect(rows).toEqual([{ language: 'it', n: expect.anything() }]);
        expect(Number(rows[0]!.n)).toBe(1);
      } finally {
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    },
    SLOW,
  );
});

describe.runIf(TEST_DATABASE_URL)('backup, wipe, restore: PostgreSQL (pg_dump / pg_restore)', () => {
  it(
    'brings back every row and the bot answers the same person',
    async () => {
      const { url, drop } = await freshPostgres();
      try {
        const target: DbTarget = { kind: 'postgres', url };
        const { personId, lang } = await seed(target);
        const before = await fingerprint(target);
        const file = join(work, 'pg.dump');
        const backup = await cli(['backup', file], { DATABASE_URL: url });
        expect(backup.out).toContain('pg_dump');
        expect(backup.code).toBe(0);

        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('DROP SCHEMA public CASCADE');
        await c.query('CREATE SCHEMA public');
        await c.end();
        // Wiped: a start on it would be a fresh, empty database.
        const empty = await openDatabase(target);
        expect(await empty.query('SELECT id FROM people')).toEqual([]);
        await empty.close();

        const restore = await cli(['restore', file, '--yes'], { DATABASE_URL: url });
        expect(restore.out).toMatch(/kept in .*coworkbot-before-restore-\d{8}-\d{6}\.dump/);
        expect(restore.code).toBe(0);
        expect(await fingerprint(target)).toEqual(before);
        await answersFromRestored(target, personId, lang);
      } finally {
        await drop();
      }
    },
    SLOW,
  );

  it(
    'says what to do when pg_dump is not installed (exit 69)',
    async () => {
      const r = await cli(['backup', join(work, 'never.dump')], { DATABASE_URL: TEST_DATABASE_URL!, PATH: join(work, 'no-tools-here') });
      expect(r.code).toBe(69);
      expect(r.out).toContain('pg_dump was not found on PATH');
      expect(r.out).toContain('docker compose exec -T postgres pg_dump');
      expect(existsSync(join(work, 'never.dump'))).toBe(false);
    },
    SLOW,
  );
});

describe('scheduled backups', () => {
  it('takes one when due (at once when none exists), keeps the newest BACKUP_KEEP, leaves other files alone', async () => {
    const dir = join(work, 'scheduled');
    const db = await openDatabase({ kind: 'memory' });
    const clock = new FixedClock(new Date('2026-12-01T10:00:00Z'));
    const schedule = new BackupSchedule({ db, dir, intervalMs: 6 * 3_600_000, keep: 2, clock, log: silentLogger });
    try {
      expect(await schedule.check()).toMatch(/coworkbot-20261201-100000\.tar\.gz$/);
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      writeFileSync(join(dir, 'coworkbot-20261201-090000.tar.gz.partial-12345'), 'left by a crash');
      clock.advance(3 * 3_600_000);
      expect(await schedule.check()).toBeUndefined(); // not due yet
      clock.advance(3 * 3_600_000);
      expect(await schedule.check()).toMatch(/coworkbot-20261201-160000\.tar\.gz$/);
      clock.advance(6 * 3_600_000);
      expect(await schedule.check()).toMatch(/coworkbot-20261201-220000\.tar\.gz$/);
      expect(readdirSync(dir).sort()).toEqual(['coworkbot-20261201-160000.tar.gz', 'coworkbot-20261201-220000.tar.gz', 'notes.txt']);
      expect(lastBackupAt(dir)).toEqual(new Date('2026-12-01T22:00:00Z'));
      expect(pruneBackups(dir, 1)).toEqual(['coworkbot-20261201-160000.tar.gz']);
    } finally {
      await schedule.stop();
      await db.close();
    }
  });

  it(
    'runs inside the assembly coworkbot start serves when BACKUP_DIR is set (a short interval)',
    async () => {
      const dir = join(work, 'assembly-backups');
      const app = await createApp({
        // Every second: the shortest interval that keeps names apart (they are stamped to the second;
        // a backup is due once a full interval has passed since the last name's second).
        config: config({ BACKUP_DIR: dir, BACKUP_INTERVAL_HOURS: String(1 / 3600), BACKUP_KEEP: '2' }),
        db: { kind: 'dir', dir: join(work, 'assembly-db') },
        embeddedQueue: true,
      });
      const served = assembleServer(app);
      await served.start(1);
      try {
        const backups = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tar.gz')) : []);
        const seen = new Set<string>();
        // Three backups take ~2 s; up to a minute on a loaded machine (15 s was not always enough at load 20+).
        for (let i = 0; i < 600 && seen.size < 3; i++) {
          for (const f of backups()) seen.add(f);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(seen.size).toBeGreaterThanOrEqual(3);
        expect(backups().length).toBeLessThanOrEqual(2);
        // Monitoring sees the newest one.
        const shown = Number(/^coworkbot_last_backup_timestamp_seconds (\S+)$/m.exec((await app.metrics.render()).body)?.[1]);
        expect(Date.now() / 1000 - shown).toBeLessThan(60);
      } finally {
        await served.close();
      }
    },
    SLOW,
  );
});
