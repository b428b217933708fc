/**
 * A database opened ahead of its user (`openDatabaseEarly`, src/storage/db.ts): the CLI starts
 * opening the one `start` or `simulate` will use before the bot's modules load. The next
 * `openDatabase` of the same target takes it, once; any other open is unaffected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, openDatabaseEarly, type Db } from '../src/storage/db.js';

describe('opening the database early', () => {
  const opened: Db[] = [];
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwb-early-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('hands a directory opened early to the next open of that directory, however it is written, and only once', async () => {
    const dir = tempDir();
    const early = openDatabaseEarly({ kind: 'dir', dir });
    expect(early).toBeDefined();
    // Only one waits at a time.
    expect(openDatabaseEarly({ kind: 'memory' })).toBeUndefined();
    const db = await openDatabase({ kind: 'dir', dir: relative(process.cwd(), dir) });
    opened.push(db);
    expect(db).toBe(await early);
    // Migrated, as `openDatabase` leaves it.
    expect(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM people`)).toEqual([{ n: 0 }]);
  });

  it('gives an in-memory database opened early to the next in-memory open only', async () => {
    const early = openDatabaseEarly({ kind: 'memory' });
    const first = await openDatabase({ kind: 'memory' });
    opened.push(first);
    const second = await openDatabase({ kind: 'memory' });
    opened.push(second);
    expect(first).toBe(await early);
    expect(second).not.toBe(first);
    await first.query('CREATE TABLE early_t (id int)');
    expect(await second.query(`SELECT to_regclass('early_t') AS t`)).toEqual([{ t: null }]);
  });

  it('is not taken by an open of another target', async () => {
    const dir = tempDir();
    const early = openDatabaseEarly({ kind: 'dir', dir });
    const memory = await openDatabase({ kind: 'memory' });
    opened.push(memory);
    expect(memory).not.toBe(await early);
    const other = await openDatabase({ kind: 'dir', dir: tempDir() });
    opened.push(other);
    expect(other).not.toBe(await early);
    const taken = await openDatabase({ kind: 'dir', dir });
    opened.push(taken);
    expect(taken).toBe(await early);
  });

  it('gives its failure to the one who takes it, and nothing unhandled before', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    openDatabaseEarly({ kind: 'dir', dir: file });
    await new Promise((r) => setTimeout(r, 50));
    await expect(openDatabase({ kind: 'dir', dir: file })).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
