/**
 * The statements of a known person's message (issue #17): the one that stores it also starts its
 * turn (reads the person and conversation; on PostgreSQL takes the turn lease), then the turn's
 * commit and the sent mark (on PostgreSQL it also gives the lease back): no separate start, no queue job. And the start read at storing time is
 * not used when a turn of the same person is still running here (it would be stale). A new person's
 * first message takes two more: the lookup that finds no one, and the creation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';

describe.each(dbTargetNames())('a known person’s message on %s', (name) => {
  let app: App;
  let cleanup: () => Promise<void>;
  const statements: string[] = [];
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    const db = await openDatabase(t.target);
    // Every statement the app sends, recorded (the same database, one more layer).
    const counting: Db = {
      kind: db.kind,
      query: (sql, params) => {
        statements.push(sql.replace(/\s+/g, ' ').trim());
        return db.query(sql, params);
      },
      tx: (fn) => db.tx(fn),
      close: () => db.close(),
      ...(db.snapshot ? { snapshot: () => db.snapshot!() } : {}),
    };
    app = await createApp({ config: testConfig(), db: t.target, openDb: counting, embeddedQueue: true, sweepMs: 0, floodControl: false });
    await app.start(2);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  // The sent marks; on PostgreSQL the same statement gives back the turn lease the commit kept.
  const sentMark = name === 'postgres' ? /^WITH sent AS \(UPDATE messages m SET status = 'sent'.*\) UPDATE people p SET turn_lease = NULL/ : /^UPDATE messages m SET status = 'sent'/;

  const say = (address: string, text: string) => app.bot.receive({ channel: 'web', address, externalId: `${address}-${Math.random()}`, receivedAt: new Date(), content: { type: 'text', text } });

  it('is stored, started, committed and sent in three statements', async () => {
    const address = `w_known_${name}`;
    await (await say(address, 'hello')).done;
    await app.queue.drain(10_000);
    statements.length = 0;
    const r = await (await say(address, 'menu')).done;
    expect(r.replies.length).toBe(1);
    const mine = statements.filter((s) => !/ FROM jobs|^UPDATE jobs|^WITH done AS \(DELETE FROM jobs/.test(s)); // the queue's own polling
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatch(/^WITH who AS .*INSERT INTO messages.*FROM who LEFT JOIN conversations/);
    expect(mine[1]).toMatch(/^WITH pr AS \(UPDATE messages SET processed_at/);
    expect(mine[2]).toMatch(sentMark);
    const status = await app.db.query<{ status: string }>(`SELECT status FROM messages WHERE id = $1`, [r.replyIds![0]]);
    expect(status).toEqual([{ status: 'sent' }]);
    const lease = await app.db.query<{ turn_lease: string | null }>(`SELECT turn_lease FROM people WHERE id = $1`, [r.personId]);
    expect(lease).toEqual([{ turn_lease: null }]);
  });

  it('a new person’s first message: created, then stored and started in one statement', async () => {
    statements.length = 0;
    const r = await (await say(`w_new_${name}`, 'hello')).done;
    expect(r.replies.length).toBeGreaterThanOrEqual(2); // the welcome and the menu
    const mine = statements.filter((s) => !/ FROM jobs|^UPDATE jobs|^WITH done AS \(DELETE FROM jobs/.test(s));
    expect(mine).toHaveLength(5);
    expect(mine[0]).toMatch(/^WITH who AS .*INSERT INTO messages/); // no one has the address
    expect(mine[1]).toMatch(/^WITH p AS \(INSERT INTO people/); // the person, their conversation and address
    expect(mine[2]).toMatch(/^WITH who AS .*INSERT INTO messages.*FROM who LEFT JOIN conversations/); // stored, turn started
    expect(mine[3]).toMatch(/^WITH pr AS \(UPDATE messages SET processed_at/);
    expect(mine[4]).toMatch(sentMark); // both replies' marks in one write
    expect(r.replyIds!.length).toBe(r.replies.length);
  });

  it('does not start a turn from a read older than the person’s turn still running', async () => {
    const address = `w_twice_${name}`;
    await (await say(address, 'hello')).done;
    // Two messages the bot does not understand, the second stored while the first is handled: each
    // turn counts a miss in the conversation's state, so the second must read what the first wrote.
    const first = await say(address, 'qwzx blorp vrrk');
    const second = await say(address, 'zzkq trrp fnng');
    await Promise.all([first.done, second.done]);
    const person = await app.store.findPerson('web', address);
    const conv = await app.store.getConversation(person!.id);
    expect(conv.state?.misses).toBe(2);
  });
});
