/**
 * Several bot processes on one PostgreSQL + Redis (issue #17): two apps on one database, a person's
 * messages arriving at either, keep their order and are answered once (the per-person turn lease,
 * src/core/pipeline.ts `processLeased`); a lease whose holder died expires and its messages are
 * handled, earliest first. Needs TEST_DATABASE_URL and TEST_REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { newSessionId } from '../src/channels/web/web-channel.js';
import { chatApi } from '../src/web/chat-api.js';
import { actorOf, type Received } from '../src/core/pipeline.js';
import type { InboundMessage } from '../src/core/types.js';
import { freshPostgres, TEST_DATABASE_URL, TEST_REDIS_URL, testConfig } from './helpers.js';

const ready = !!TEST_DATABASE_URL && !!TEST_REDIS_URL;
if (!ready) console.log('scaleout.test.ts: skipped (set TEST_DATABASE_URL and TEST_REDIS_URL to run it)');

let seq = 0;
function msg(address: string, text: string): InboundMessage {
  return { channel: 'web', address, externalId: `so-${address}-${++seq}`, receivedAt: new Date(), content: { type: 'text', text } };
}

describe.skipIf(!ready)('several processes on one PostgreSQL + Redis', () => {
  let a: App;
  let b: App;
  let drop: () => Promise<void>;
  let queueName: string;
  const leaseMs = 1500;

  beforeAll(async () => {
    const db = await freshPostgres();
    drop = db.drop;
    queueName = `cwb-scale-${randomBytes(4).toString('hex')}`;
    const open = () => createApp({ config: testConfig({ REDIS_URL: TEST_REDIS_URL! }), db: { kind: 'postgres', url: db.url }, queueName, turnLeaseMs: leaseMs, sweepMs: 0 });
    // Started together, as a deployment's processes are: both import the same content at once.
    [a, b] = await Promise.all([open(), open()]);
    // Their senders running: a turn sends its own replies.
    await Promise.all([a.start(2), b.start(2)]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  /** The person's messages, oldest first, with what the order checks read. */
  async function messagesOf(address: string) {
    const person = await a.store.findPerson('web', address);
    const rows = await a.db.query<{ id: string; direction: 'in' | 'out'; in_reply_to: string | null; processed_at: Date | null; body: { text?: string } }>(
      `SELECT id, direction, in_reply_to, processed_at, body FROM messages WHERE person_id = $1 ORDER BY id`,
      [person!.id],
    );
    const events = await a.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'message_in' AND actor = $1`, [actorOf(person!.id)]);
    const lease = await a.db.query<{ turn_lease: string | null }>(`SELECT turn_lease FROM people WHERE id = $1`, [person!.id]);
    return {
      personId: person!.id,
      inbound: rows.filter((r) => r.direction === 'in'),
      answered: rows.filter((r) => r.direction === 'out').map((r) => Number(r.in_reply_to)),
      turns: Number(events[0]!.n),
      lease: lease[0]!.turn_lease,
    };
  }

  /** Handled in the order stored (processed marks and replies), each once, each answered; the lease given back. */
  function expectInOrderOnce(m: Awaited<ReturnType<typeof messagesOf>>, count: number) {
    expect(m.inbound).toHaveLength(count);
    const marks = m.inbound.map((r) => r.processed_at!.getTime());
    expect(marks.every((t) => Number.isFinite(t))).toBe(true);
    expect(marks).toEqual([...marks].sort((x, y) => x - y));
    expect(m.answered).toEqual([...m.answered].sort((x, y) => x - y));
    for (const r of m.inbound) expect(m.answered).toContain(Number(r.id));
    expect(m.turns).toBe(count); // one committed turn per message: none answered twice
    expect(m.lease).toBeNull();
  }

  it("answers one person's messages, arriving at either process at once, in the order they arrived, each once", async () => {
    const texts = ['hello', 'menu', 'help', 'what is coworking?', 'menu', 'events this weekend', 'help', 'grazie', 'menu', 'hello', 'help', 'menu'];
    const received: Received[] = [];
    // Stored one after the other (their order is defined), handled concurrently by both processes.
    for (const [i, t] of texts.entries()) received.push(await (i % 2 === 0 ? a : b).bot.receive(msg('so-order', t)));
    const results = await Promise.all(received.map((r) => r.done));
    expect(results.every((r) => r.replies.length > 0)).toBe(true);
    const m = await messagesOf('so-order');
    expect(m.inbound.map((r) => r.body.text)).toEqual(texts);
    expectInOrderOnce(m, texts.length);
    // Each process's result carries the replies stored for its message, whichever process answered it.
    const replyIds = results.flatMap((r) => r.replyIds ?? []);
    expect(new Set(replyIds).size).toBe(replyIds.length);
    expect(replyIds.length).toBe(m.answered.length);
  }, 60_000);

  it("sends one person's replies in the stored order across processes, even when one process's sends are slow", async () => {
    // What reaches the platform (here the web channel), in order, from both processes; process a's
    // sends take 150 ms each, so b's next turn would overtake them if the lease did not cover them.
    const sent: number[] = [];
    const restore: (() => void)[] = [];
    for (const [app, delay] of [
      [a, 150],
      [b, 0],
    ] as const) {
      const web = app.channels.get('web')!;
      const send = web.send.bind(web);
      web.send = async (address, m, ctx) => {
        if (address === 'so-slow') {
          await new Promise((r) => setTimeout(r, delay));
          sent.push(ctx.messageId);
        }
        return send(address, m, ctx);
      };
      restore.push(() => (web.send = send));
    }
    try {
      const texts = ['hello', 'menu', 'help', 'menu', 'what is coworking?', 'menu'];
      const received: Received[] = [];
      for (const [i, t] of texts.entries()) received.push(await (i % 2 === 0 ? a : b).bot.receive(msg('so-slow', t)));
      await Promise.all(received.map((r) => r.done));
    } finally {
      for (const r of restore) r();
    }
    const person = await a.store.findPerson('web', 'so-slow');
    const stored = await a.db.query<{ id: string }>(`SELECT id FROM messages WHERE person_id = $1 AND direction = 'out' ORDER BY id`, [person!.id]);
    expect(sent).toEqual(stored.map((r) => Number(r.id)));
    expectInOrderOnce(await messagesOf('so-slow'), 6);
  }, 60_000);

  it('keeps many people in order while both processes answer them at once', async () => {
    const people = Array.from({ length: 8 }, (_, p) => `so-many-${p}`);
    await Promise.all(
      people.map(async (address, p) => {
        const pending: Promise<unknown>[] = [];
        for (let i = 0; i < 6; i++) pending.push((await ((p + i) % 2 === 0 ? a : b).bot.receive(msg(address, i % 2 ? 'menu' : 'help'))).done);
        await Promise.all(pending);
      }),
    );
    for (const address of people) expectInOrderOnce(await messagesOf(address), 6);
  }, 60_000);

  it('takes over from a process that died holding the lease: its stored message is answered first, then the new one', async () => {
    await (await a.bot.receive(msg('so-dead', 'hello'))).done;
    const { personId } = await messagesOf('so-dead');
    // A process holds the lease and stored a message, then died: nothing gives the lease back.
    await a.db.query(`UPDATE people SET turn_lease = 'dead-process', turn_lease_until = clock_timestamp() + $2 * interval '1 millisecond' WHERE id = $1`, [personId, leaseMs]);
    const orphan = await a.store.insertInbound(personId, 'web', `so-dead-orphan-${++seq}`, { type: 'text', text: 'menu' }, new Date());
    const t0 = Date.now();
    const r = await (await b.bot.receive(msg('so-dead', 'help'))).done;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(leaseMs - 200); // it waited for the lease to expire
    expect(r.replies.length).toBeGreaterThan(0);
    const m = await messagesOf('so-dead');
    expect(m.inbound.map((x) => x.body.text)).toEqual(['hello', 'menu', 'help']);
    expect(Number(m.inbound[1]!.id)).toBe(orphan);
    expectInOrderOnce(m, 3);
  }, 30_000);

  it('streams a message one process sends to the web chat whose stream another process holds, once', async () => {
    const heard: { on: string; id: number }[] = [];
    const session = `w_${randomBytes(18).toString('base64url')}`;
    const offA = a.web.subscribe(session, (d) => heard.push({ on: 'a', id: d.id }));
    const offB = b.web.subscribe(session, (d) => heard.push({ on: 'b', id: d.id }));
    await Promise.all([a.start(1), b.start(1)]); // (subscribed to the relay)
    await b.web.send(session, { text: 'a facilitator answers' }, { personId: 'p', messageId: 424242, lang: 'en', author: 'facilitator:1' });
    for (let i = 0; i < 50 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
    offA();
    offB();
    expect(heard.sort((x, y) => x.on.localeCompare(y.on))).toEqual([
      { on: 'a', id: 424242 },
      { on: 'b', id: 424242 },
    ]);
  });

  it("hears from Redis only the sessions whose browser stream it holds; the stream gets another process's message once; closed, it is unsubscribed", async () => {
    await Promise.all([a.start(1), b.start(1)]);
    const redis = new Redis(TEST_REDIS_URL!);
    const channels = async () => ((await redis.call('PUBSUB', 'CHANNELS', `coworkbot:web:${queueName}*`)) as string[]).sort();
    try {
      // No stream open anywhere: no process is subscribed to anything of the web chat.
      expect(await channels()).toEqual([]);
      const session = newSessionId();
      const res = await chatApi(b.bot, b.store, b.web).request(`/stream?session=${session}`);
      expect(res.status).toBe(200);
      for (let i = 0; i < 100 && (await channels()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await b.web.ready();
      expect(await channels()).toEqual([`coworkbot:web:${queueName}:${session}`]);
      await a.web.send(session, { text: 'a facilitator answers' }, { personId: 'p', messageId: 434343, lang: 'en', author: 'facilitator:1' });
      await a.web.send(newSessionId(), { text: 'someone else' }, { personId: 'q', messageId: 434344, lang: 'en' });
      const reader = res.body!.getReader();
      let text = '';
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && !text.includes('434343')) text += new TextDecoder().decode((await reader.read()).value);
      await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
      const more = await Promise.race([reader.read().then((r) => new TextDecoder().decode(r.value)), new Promise<string>((r) => setTimeout(() => r(''), 100))]);
      const events = (text + more).split('\n\n').filter((e) => e.includes('event: message'));
      expect(events).toHaveLength(1);
      expect(events[0]).toContain('id: 434343');
      // The browser goes away: its process leaves the session's channel.
      await reader.cancel();
      for (let i = 0; i < 100 && (await channels()).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await channels()).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('commits a turn once: a second commit of a handled message writes nothing', async () => {
    const r = await (await a.bot.receive(msg('so-twice', 'hello'))).done;
    const m = await messagesOf('so-twice');
    const again = await a.store.commitTurn({
      personId: m.personId,
      messageId: Number(m.inbound[0]!.id),
      state: { focus: 'stale' },
      at: new Date(),
      processedAt: new Date(),
      events: [{ type: 'message_in', actor: actorOf(m.personId), channel: 'web', lang: 'en', data: {} }],
      replies: [{ channel: 'web', author: 'bot', body: { text: 'a second answer' } }],
      leaseOwner: 'another-process',
    });
    expect(again).toMatchObject({ committed: false, ids: [] });
    const after = await messagesOf('so-twice');
    expect(after.answered).toHaveLength(r.replies.length);
    expect(after.turns).toBe(1);
    expect((await a.store.getConversation(m.personId)).state?.focus).not.toBe('stale');
  });
});
