import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbQueue } from '../src/queue/db-queue.js';
import type { Db } from '../src/storage/db.js';
import { HandoffStore } from '../src/storage/handoff-store.js';
import { StoredJsonError } from '../src/storage/json-column.js';
import { Store } from '../src/storage/store.js';
import { dbTargetNames, openTestDb } from './helpers.js';

// JSON columns are parsed when read back: a stored value of the wrong shape (written here with plain
// SQL, as a hand edit or an old row would be) is reported with its table and column, never returned.
describe.each(dbTargetNames())('stored JSON on %s', (name) => {
  let db: Db;
  let close: () => Promise<void>;
  let store: Store;
  beforeAll(async () => {
    ({ db, close } = await openTestDb(name));
    store = new Store(db);
  });
  afterAll(() => close());

  it('reports a malformed conversation state instead of returning it', async () => {
    const now = new Date();
    const { person } = await store.resolvePerson('web', 'w_jsonstatejsonstatejsonst', now);
    await store.saveConversationState(person.id, { focus: 'flows', misses: 1 }, now);
    expect((await store.getConversation(person.id)).state).toEqual({ focus: 'flows', misses: 1 });

    await db.query(`UPDATE conversations SET state = $2::jsonb WHERE person_id = $1`, [person.id, JSON.stringify({ misses: 'many', offered: 'none' })]);
    const err = await store.getConversation(person.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoredJsonError);
    expect(err).toMatchObject({ table: 'conversations', column: 'state', row: person.id });
    expect((err as Error).message).toMatch(/conversations\.state/);
    expect((err as Error).message).toMatch(/misses/);
    // The start of a turn reads the same column the same way.
    await expect(store.beginTurn(person.id, now)).rejects.toThrow(/conversations\.state/);
  });

  it('reports a malformed canned reply without returning a wrong shape', async () => {
    const cases = new HandoffStore(db);
    const id = await cases.addCanned('Opening hours', { en: 'We open at 9.', it: 'Apriamo alle 9.' });
    expect((await cases.cannedReplies()).find((c) => c.id === id)?.texts).toEqual({ en: 'We open at 9.', it: 'Apriamo alle 9.' });

    await db.query(`UPDATE canned_replies SET texts = $2::jsonb WHERE id = $1`, [id, JSON.stringify(['We open at 9.'])]);
    await expect(cases.cannedReplies()).rejects.toThrow(StoredJsonError);
    await expect(cases.cannedReplies()).rejects.toThrow(new RegExp(`canned_replies\\.texts \\(row ${id}\\)`));
  });

  it('fails a job whose stored data is not an object, naming jobs.data, without running its handler', async () => {
    const queue = new DbQueue(db, undefined, 20);
    const seen: unknown[] = [];
    queue.handle('json-check', async (data) => {
      seen.push(data);
    });
    await queue.add('json-check', { n: 1 });
    // A hand-written row whose data is a list, not the handler's arguments; one attempt, so it fails for good.
    await db.query(`INSERT INTO jobs (name, data, max_attempts) VALUES ('json-check', $1::jsonb, 1)`, [JSON.stringify(['private-text'])]);
    await queue.start(1);
    try {
      await queue.drain();
    } finally {
      await queue.close();
    }
    expect(seen).toEqual([{ n: 1 }]);
    const rows = await db.query<{ id: string; status: string; last_error: string }>(`SELECT id, status, last_error FROM jobs WHERE name = 'json-check'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('failed');
    expect(rows[0]!.last_error).toMatch(new RegExp(`jobs\\.data \\(row ${rows[0]!.id}\\)`));
    expect(rows[0]!.last_error).not.toMatch(/private-text/);
  });
});
