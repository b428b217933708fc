import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../src/storage/account-store.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { HandoffStore, PRIORITY } from '../src/storage/handoff-store.js';
import { Store } from '../src/storage/store.js';
import { dbTarget, dbTargetNames } from './helpers.js';

describe.each(dbTargetNames())('handoff storage on %s', (name) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let store: Store;
  let cases: HandoffStore;
  let accounts: AccountStore;
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    store = new Store(db);
    cases = new HandoffStore(db);
    accounts = new AccountStore(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('claims atomically: of many concurrent claims exactly one wins', async () => {
    const now = new Date();
    const { person } = await store.resolvePerson('web', 'w_storeracestoreracestore', now);
    const users = await Promise.all([1, 2, 3, 4, 5].map((i) => accounts.create(`f${i}@example.org`, 'facilitator', 'scrypt$x', null, now)));
    const { case: kase, created } = await cases.open(person.id, 'web', { reason: 'asked', priority: PRIORITY.normal }, now);
    expect(created).toBe(true);
    expect((await store.getConversation(person.id)).mode).toBe('waiting');
    const results = await Promise.all(users.map((u) => cases.claim(kase.id, u.id, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const owner = users[results.indexOf(true)]!;
    expect((await cases.openCase(person.id))!.ownerId).toBe(owner.id);
    expect((await store.getConversation(person.id)).mode).toBe('human');
    // A second request while open joins the case and only raises its priority.
    const again = await cases.open(person.id, 'web', { reason: 'safety', priority: PRIORITY.safety }, now);
    expect(again.created).toBe(false);
    expect(again.case.priority).toBe(PRIORITY.safety);
    expect(await cases.markSafetySent(kase.id)).toBe(true);
    expect(await cases.markSafetySent(kase.id)).toBe(false);
    const closed = await cases.close(kase.id, 'answered', now);
    expect(closed!.outcome).toBe('answered');
    expect((await store.getConversation(person.id)).mode).toBe('bot');
    expect(await cases.close(kase.id, 'answered', now)).toBeUndefined();
  });

  it('re-queues held messages for a person, and only theirs', async () => {
    const now = new Date();
    const { person: a } = await store.resolvePerson('whatsapp', '390000000001', now);
    const { person: b } = await store.resolvePerson('whatsapp', '390000000002', now);
    const held = await store.insertOutbound(a.id, 'whatsapp', 'facilitator:1', { text: 'x' }, null, now, 'held');
    const other = await store.insertOutbound(b.id, 'whatsapp', 'facilitator:1', { text: 'y' }, null, now, 'held');
    expect(await cases.requeueHeld(a.id)).toEqual([held]);
    expect((await store.getMessage(held))!.status).toBe('queued');
    expect((await store.getMessage(other))!.status).toBe('held');
  });

  it('keeps sessions hashed with an expiry, and counts login failures per key', async () => {
    const now = new Date();
    const u = await accounts.create('s@example.org', 'staff', 'scrypt$x', 'space-1', now);
    await accounts.createSession('hash1', u.id, 'csrf1', now, new Date(now.getTime() + 1000));
    expect((await accounts.session('hash1', now))!.account.spaceId).toBe('space-1');
    expect(await accounts.session('hash1', new Date(now.getTime() + 2000))).toBeUndefined();
    await accounts.recordLoginFailure('k', now);
    await accounts.recordLoginFailure('k', now);
    expect(await accounts.loginFailuresSince('k', new Date(now.getTime() - 1000))).toBe(2);
    await accounts.clearLoginFailures('k');
    expect(await accounts.loginFailuresSince('k', new Date(now.getTime() - 1000))).toBe(0);
    await expect(accounts.create('S@example.org', 'staff', 'scrypt$x', 'space-1', now)).rejects.toThrow('already exists');
  });
});
