/**
 * Who writes each table (INSERT, UPDATE, DELETE in the code). The aim (issue #18) is one writing
 * store per table; the tables written from two or more places today are listed below, and the list
 * may only shrink: a new second writer fails this test, and so does a listed table that has become
 * single-owner (take it off the list).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Empty since every shared table got one owning store (a store that must write another's table inside
// its own statement or transaction calls a function the owner exports, taking the transaction client).
const SHARED_TODAY: Record<string, string[]> = {};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** table → the files whose SQL writes it. */
function writers(root = 'src'): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of files(root)) {
    // Comments left out: prose such as "one UPDATE per round trip" is not SQL.
    const sql = readFileSync(f, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of sql.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b/g)) {
      const set = out.get(m[1]!) ?? new Set<string>();
      set.add(f.split('\\').join('/'));
      out.set(m[1]!, set);
    }
  }
  return out;
}

describe('table owners', () => {
  const found = writers();

  it('sees the SQL: the core tables are written, by the storage layer', () => {
    expect(found.get('people')).toContain('src/storage/people-store.ts');
    expect(found.get('channel_addresses')).toContain('src/storage/people-store.ts');
    expect(found.get('conversations')).toContain('src/storage/conversation-store.ts');
    expect(found.get('messages')).toContain('src/storage/message-store.ts');
    expect(found.get('events')).toContain('src/storage/event-store.ts');
    expect(found.size).toBeGreaterThan(25);
  });

  it('every table has one writing module, except the shared ones listed, which only shrink', () => {
    const shared = Object.fromEntries([...found].filter(([, fs]) => fs.size > 1).map(([t, fs]) => [t, [...fs].sort()]));
    expect(shared).toEqual(SHARED_TODAY);
  });

  it('SQL writes live in src/storage (and the embedded queue its own table)', () => {
    const outside = [...found].flatMap(([t, fs]) => [...fs].filter((f) => !f.startsWith('src/storage/') && !(t === 'jobs' && f === 'src/queue/db-queue.ts')).map((f) => `${t}: ${f}`));
    expect(outside).toEqual([]);
  });
});
