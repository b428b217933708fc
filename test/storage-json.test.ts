import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/storage/db.js';
import { HandoffStore } from '../src/storage/handoff-store.js';
import { StoredJsonError } from '../src/storage/json-column.js';
import { Store } from '../src/storage/store.js';
import { dbTarget, dbTargetNames } from './helpers.js';

// JSON columns are parsed when read back: a stored value of the wrong shape (written here with plain
// SQL, as a hand edit or an old row would be) is reported with its table and column, never returned.
describe.each(dbTargetNames())('stored JSON on %s', (name) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let store: Store;
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    store = new Store(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

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
});
