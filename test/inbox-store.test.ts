import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../src/storage/account-store.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { HandoffStore, PRIORITY } from '../src/storage/handoff-store.js';
import { InboxStore } from '../src/storage/inbox-store.js';
import { Store } from '../src/storage/store.js';
import { dbTarget, dbTargetNames } from './helpers.js';

describe.each(dbTargetNames())('inbox storage on %s', (name) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let store: Store;
  let cases: HandoffStore;
  let accounts: AccountStore;
  let inbox: InboxStore;
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    store = new Store(db);
    cases = new HandoffStore(db);
    accounts = new AccountStore(db);
    inbox = new InboxStore(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('counts unread messages per open case and account; reading never moves back', async () => {
    const t0 = new Date(Date.now() - 60 * 60_000);
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    const giulia = await accounts.create('giulia-inbox@example.org', 'facilitator', 'scrypt$x', null, t0);
    const marco = await accounts.create('marco-inbox@example.org', 'facilitator', 'scrypt$x', null, t0);
    const { person } = await store.resolvePerson('web', 'w_inboxstoreinboxstoreinb', t0);
    const { person: quiet } = await store.resolvePerson('web', 'w_inboxquietinboxquietinb', t0);
    // An old message, long before the request: not part of the case.
    await store.insertInbound(person.id, 'web', 'old', { type: 'text', text: 'old' }, at(0));
    const asked = (await store.insertInbound(person.id, 'web', 'ask', { type: 'choice', id: 'cmd:human' }, at(30)))!;
    const { case: kase } = await cases.open(person.id, 'web', { reason: 'asked', priority: PRIORITY.normal }, at(30));
    const second = (await store.insertInbound(person.id, 'web', 'm2', { type: 'text', text: 'are you there?' }, at(31)))!;
    await store.insertOutbound(person.id, 'web', 'bot', { text: 'a reply is not unread' }, null, at(31));
    await cases.open(quiet.id, 'web', { reason: 'asked', priority: PRIORITY.normal }, at(32));

    expect(await inbox.unread(giulia.id)).toEqual(new Map([[person.id, 2]]));
    await inbox.markRead(giulia.id, person.id, asked);
    expect((await inbox.unread(giulia.id)).get(person.id)).toBe(1);
    // Marco has read nothing; Giulia reading an older id keeps her further mark.
    expect((await inbox.unread(marco.id)).get(person.id)).toBe(2);
    await inbox.markRead(giulia.id, person.id, second);
    await inbox.markRead(giulia.id, person.id, asked);
    expect((await inbox.unread(giulia.id)).has(person.id)).toBe(false);
    // A closed case has no unread count, and shows among the person's cases with its outcome.
    await cases.close(kase.id, 'answered', at(40));
    expect((await inbox.unread(marco.id)).has(person.id)).toBe(false);
    const past = await inbox.cases(person.id);
    expect(past).toHaveLength(1);
    expect(past[0]).toMatchObject({ id: kase.id, status: 'closed', reason: 'asked', outcome: 'answered' });
    expect(await inbox.cases('nobody')).toEqual([]);
  });
});
