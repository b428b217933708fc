import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/storage/db.js';
import { Store } from '../src/storage/store.js';
import { dbTargetNames, openTestDb } from './helpers.js';

// A person's first contact creates the person, their conversation and their addresses (in one
// statement); several messages of a new person handled at once still make one person.
describe.each(dbTargetNames())('resolving a person on %s', (name) => {
  let db: Db;
  let close: () => Promise<void>;
  let store: Store;
  beforeAll(async () => {
    ({ db, close } = await openTestDb(name));
    store = new Store(db);
  });
  afterAll(() => close());

  const unique = () => randomBytes(6).toString('hex');
  // A creation time no other test uses: the people created at it are this test's only.
  const uniqueTime = () => new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 3e11));
  const createdAt = async (at: Date) => (await db.query<{ id: string }>(`SELECT id FROM people WHERE created_at = $1`, [at])).map((r) => r.id);
  const ownerOf = async (channel: string, address: string) =>
    (await db.query<{ person_id: string }>(`SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = $2`, [channel, address]))[0]?.person_id;

  it('creates a new person with their conversation and address, then finds them', async () => {
    const now = uniqueTime();
    const address = `w_new_${unique()}`;
    const first = await store.resolvePerson('web', address, now);
    expect(first.isNew).toBe(true);
    expect(first.person).toMatchObject({ language: null, consents: {}, unreachable: false, lastInboundAt: null });
    expect(first.person.createdAt.getTime()).toBe(now.getTime());
    expect(first.person.lastSeenAt.getTime()).toBe(now.getTime());
    expect(await ownerOf('web', address)).toBe(first.person.id);
    expect(await db.query(`SELECT mode FROM conversations WHERE person_id = $1`, [first.person.id])).toEqual([{ mode: 'bot' }]);
    const again = await store.resolvePerson('web', address, new Date());
    expect(again).toMatchObject({ isNew: false, person: { id: first.person.id } });
  });

  it('links every identifier of a new person to them', async () => {
    const phone = `39${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const bsuid = `IT.${unique()}`;
    const { person, isNew } = await store.resolvePerson('whatsapp', phone, uniqueTime(), [bsuid]);
    expect(isNew).toBe(true);
    expect(await ownerOf('whatsapp', phone)).toBe(person.id);
    expect(await ownerOf('whatsapp', bsuid)).toBe(person.id);
    expect((await store.resolvePerson('whatsapp', bsuid, new Date())).person.id).toBe(person.id);
  });

  it('creates without looking the address up when the caller found no one, and still finds one linked meanwhile', async () => {
    const now = uniqueTime();
    const address = `w_unknown_${unique()}`;
    const queries: string[] = [];
    const counting: Db = Object.assign(Object.create(db) as Db, {
      query: (sql: string, params?: unknown[]) => {
        queries.push(sql);
        return db.query(sql, params);
      },
    });
    const created = await new Store(counting).resolvePerson('web', address, now, [], { unknown: true });
    expect(created.isNew).toBe(true);
    expect(queries).toHaveLength(1); // the creation only: no lookup before it
    expect(await ownerOf('web', address)).toBe(created.person.id);
    // The caller's "no one" went stale (another first contact linked the address): that person, not a second one.
    const later = uniqueTime();
    const stale = await store.resolvePerson('web', address, later, [], { unknown: true });
    expect(stale).toMatchObject({ isNew: false, person: { id: created.person.id } });
    expect(await createdAt(now)).toEqual([created.person.id]);
    expect(await createdAt(later)).toEqual([]); // the row it made at first is gone
  });

  it('makes one person of a new person resolved several times at once, and leaves no other behind', async () => {
    const now = uniqueTime();
    const address = `w_race_${unique()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => store.resolvePerson('web', address, now)));
    const ids = new Set(results.map((r) => r.person.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(await createdAt(now)).toEqual([...ids]);
    expect(await db.query(`SELECT mode FROM conversations WHERE person_id = $1`, [[...ids][0]])).toEqual([{ mode: 'bot' }]);
  });

  it('makes one person of a new person whose identifiers arrive at once, apart and together', async () => {
    const now = uniqueTime();
    const phone = `39${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const bsuid = `IT.${unique()}`;
    const results = await Promise.all([store.resolvePerson('whatsapp', phone, now), store.resolvePerson('whatsapp', phone, now, [bsuid]), store.resolvePerson('whatsapp', bsuid, now)]);
    const id = await ownerOf('whatsapp', phone);
    expect(await ownerOf('whatsapp', bsuid)).toBe(id);
    expect(results[1]!.person.id).toBe(id);
    expect(await createdAt(now)).toEqual([id]);
  });

  it('stores a message from a known address with its person in one statement; a redelivery and an unknown address store nothing', async () => {
    const address = `w_known_${unique()}`;
    const { person } = await store.resolvePerson('web', address, new Date());
    const statements: string[] = [];
    const counting = new Store(
      new Proxy(db, {
        get: (target, key) =>
          key === 'query'
            ? (sql: string, params?: unknown[]) => {
                statements.push(sql);
                return target.query(sql, params);
              }
            : Reflect.get(target, key),
      }),
    );
    const externalId = `ext_${unique()}`;
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const got = await counting.insertInboundFrom('web', address, externalId, { type: 'text', text: 'ciao' }, at);
    expect(statements).toHaveLength(1);
    expect(got?.person.id).toBe(person.id);
    expect(got?.messageId).toBeGreaterThan(0);
    const rows = await db.query<{ id: string; person_id: string; direction: string; author: string; kind: string; body: unknown; status: string; created_at: Date }>(
      `SELECT id, person_id, direction, author, kind, body, status, created_at FROM messages WHERE channel = 'web' AND external_id = $1`,
      [externalId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ person_id: person.id, direction: 'in', author: 'person', kind: 'text', body: { type: 'text', text: 'ciao' }, status: 'received' });
    expect(Number(rows[0]!.id)).toBe(got?.messageId);
    expect(new Date(rows[0]!.created_at).getTime()).toBe(at.getTime());
    // A redelivery: the person, no new message.
    expect(await store.insertInboundFrom('web', address, externalId, { type: 'text', text: 'ciao' }, new Date())).toEqual({ person: got?.person, messageId: undefined });
    // An address nobody has: nothing found, nothing stored.
    const strangerId = `ext_${unique()}`;
    expect(await store.insertInboundFrom('web', `w_nobody_${unique()}`, strangerId, { type: 'text', text: 'hi' }, new Date())).toBeUndefined();
    expect(await db.query(`SELECT 1 FROM messages WHERE channel = 'web' AND external_id = $1`, [strangerId])).toEqual([]);
  });
});
