/**
 * The migrated template a new embedded database starts as a copy of (src/storage/db.ts): built once,
 * named after the migrations and the PGlite version (a changed schema never loads a stale one), and
 * copied into a fresh data directory, which then has every migration and its own lock.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTemplate, LOCK_FILE, migrationFiles, openDatabase, templateName } from '../src/storage/db.js';
import { tempCacheDir } from './helpers.js';

describe('the migrated template', () => {
  const cacheDir = tempCacheDir('cwb-template-', 'all');

  it('is named after every migration: changing, adding or renaming one changes the name', () => {
    const files = migrationFiles();
    const name = templateName(files);
    expect(name).toMatch(/^template-[0-9a-f]{16}\.tar$/);
    expect(templateName(files)).toBe(name);
    const last = files.at(-1)!;
    expect(templateName([...files.slice(0, -1), { ...last, sql: `${last.sql}\n-- changed` }])).not.toBe(name);
    expect(templateName([...files, { name: '999_new.sql', sql: 'SELECT 1' }])).not.toBe(name);
    expect(templateName([...files.slice(0, -1), { ...last, name: `0${last.name}` }])).not.toBe(name);
  });

  it('is built on first use, then a fresh data directory is a migrated copy of it', async () => {
    const memory = await openDatabase({ kind: 'memory' });
    await memory.close();
    expect(readdirSync(cacheDir())).toEqual([templateName()]);

    const dir = mkdtempSync(join(tmpdir(), 'cwb-fresh-'));
    try {
      const db = await openDatabase({ kind: 'dir', dir });
      const applied = (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
      expect(applied).toEqual(migrationFiles().map((f) => f.name));
      // A working copy: it takes writes, and the directory is locked by this process.
      await db.query(`INSERT INTO people (id, created_at, last_seen_at) VALUES ('P-TEMPLATE', now(), now())`);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
      await db.close();
      // Reopened (not fresh any more): the data is there, nothing copied over it.
      const again = await openDatabase({ kind: 'dir', dir });
      expect(await again.query(`SELECT id FROM people WHERE id = 'P-TEMPLATE'`)).toHaveLength(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a template under another name (another schema) is never loaded', async () => {
    // A file where a stale schema's template would be: garbage, so loading it would fail.
    writeFileSync(join(cacheDir(), 'template-0000000000000000.tar'), 'not a tar');
    rmSync(join(cacheDir(), templateName()), { force: true });
    const db = await openDatabase({ kind: 'memory' });
    expect((await db.query('SELECT name FROM schema_migrations')).length).toBe(migrationFiles().length);
    await db.close();
    expect(readdirSync(cacheDir()).sort()).toEqual(['template-0000000000000000.tar', templateName()].sort());
  });

  it("is written into a new directory file by file, with the files' times, PG_VERSION included; a tar with other entries is refused", () => {
    const work = mkdtempSync(join(tmpdir(), 'cwb-tar-'));
    try {
      const src = join(work, 'src');
      mkdirSync(join(src, 'base', '1'), { recursive: true });
      mkdirSync(join(src, 'pg_notify'));
      writeFileSync(join(src, 'PG_VERSION'), '17\n');
      writeFileSync(join(src, 'base', '1', '1259'), Buffer.alloc(8192 + 100, 7));
      utimesSync(join(src, 'base', '1', '1259'), 1_700_000_000, 1_700_000_000);
      const tar = join(work, 'data.tar');
      execFileSync('tar', ['-cf', tar, '-C', src, '.']);
      const out = join(work, 'out');
      mkdirSync(out);
      expect(extractTemplate(readFileSync(tar), out)).toBe(true);
      expect(readFileSync(join(out, 'PG_VERSION'), 'utf8')).toBe('17\n');
      expect(readFileSync(join(out, 'base', '1', '1259')).equals(Buffer.alloc(8192 + 100, 7))).toBe(true);
      expect(statSync(join(out, 'base', '1', '1259')).mtimeMs).toBe(1_700_000_000_000);
      expect(statSync(join(out, 'pg_notify')).isDirectory()).toBe(true);

      symlinkSync('PG_VERSION', join(src, 'link'));
      execFileSync('tar', ['-cf', tar, '-C', src, '.']);
      const refused = join(work, 'refused');
      mkdirSync(refused);
      expect(extractTemplate(readFileSync(tar), refused)).toBe(false);
      expect(readdirSync(refused)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
