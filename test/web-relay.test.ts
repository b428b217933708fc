/**
 * The web chat's relay between processes on the real Redis (issue #17, src/channels/web/web-relay.ts):
 * two {@link WebChannel}s stand for two bot processes. A process hears from Redis only the sessions it
 * holds a stream for (subscribed on the first stream, unsubscribed after the last), never its own
 * messages, and every stream gets each message once wherever it was sent from. Needs TEST_REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebChannel, newSessionId, type WebDelivery, type WebRelay } from '../src/channels/web/web-channel.js';
import { redisWebRelay } from '../src/channels/web/web-relay.js';
import { silentLogger } from '../src/logger.js';
import { TEST_REDIS_URL } from './helpers.js';

if (!TEST_REDIS_URL) console.log('web-relay.test.ts: skipped (set TEST_REDIS_URL to run it)');

/** What a process's relay passed on to it: every message it heard from Redis. */
function counted(relay: WebRelay, heard: string[]): WebRelay {
  return {
    ...relay,
    listen: (fn) => relay.listen((address, d) => (heard.push(address), fn(address, d))),
  };
}

const ctx = (id: number) => ({ personId: 'p', messageId: id, lang: 'en' as const, author: 'bot' });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!TEST_REDIS_URL)('the web chat relay on Redis', () => {
  const name = `cwb-relay-${randomBytes(4).toString('hex')}`;
  const heardA: string[] = [];
  const heardB: string[] = [];
  let a: WebChannel;
  let b: WebChannel;
  let admin: Redis;
  const open: (() => void)[] = [];

  beforeAll(() => {
    a = new WebChannel(counted(redisWebRelay(TEST_REDIS_URL!, name, silentLogger), heardA));
    b = new WebChannel(counted(redisWebRelay(TEST_REDIS_URL!, name, silentLogger), heardB));
    admin = new Redis(TEST_REDIS_URL!);
  });
  afterEach(() => {
    for (const off of open.splice(0)) off();
    heardA.length = 0;
    heardB.length = 0;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    admin?.disconnect();
  });

  /** A stream on `on` for `session`; its deliveries go to `got`. */
  function stream(on: WebChannel, session: string, got: number[]): () => void {
    const off = on.subscribe(session, (d: WebDelivery) => got.push(d.id));
    open.push(off);
    return off;
  }
  /** How many connections are subscribed to the session's channel. */
  async function subscribers(session: string): Promise<number> {
    const r = (await admin.call('PUBSUB', 'NUMSUB', `coworkbot:web:${name}:${session}`)) as [string, number];
    return Number(r[1]);
  }
  /** Every channel of this relay name anyone is subscribed to. */
  const channels = async () => ((await admin.call('PUBSUB', 'CHANNELS', `coworkbot:web:${name}*`)) as string[]).sort();

  it('a process with no stream open hears nothing from Redis, whoever sends', async () => {
    await Promise.all([a.ready(), b.ready()]);
    expect(await channels()).toEqual([]);
    for (let i = 0; i < 10; i++) {
      await a.send(newSessionId(), { text: 'hello' }, ctx(1000 + i));
      await b.send(newSessionId(), { text: 'hello' }, ctx(2000 + i));
    }
    await pause(200);
    expect(heardA).toEqual([]);
    expect(heardB).toEqual([]);
  });

  it('a process hears only the sessions it holds a stream for', async () => {
    const mine = newSessionId();
    const other = newSessionId();
    const got: number[] = [];
    stream(b, mine, got);
    await b.ready();
    expect(await channels()).toEqual([`coworkbot:web:${name}:${mine}`]);
    await a.send(other, { text: 'not for b' }, ctx(1));
    await a.send(mine, { text: 'for b' }, ctx(2));
    await a.send(other, { text: 'not for b' }, ctx(3));
    for (let i = 0; i < 50 && got.length < 1; i++) await pause(10);
    await pause(100);
    expect(got).toEqual([2]);
    expect(heardB).toEqual([mine]);
    expect(heardA).toEqual([]);
  });

  it('delivers once to the streams on both processes, from either; the sender does not hear itself back', async () => {
    const session = newSessionId();
    const onA: number[] = [];
    const onB: number[] = [];
    stream(a, session, onA);
    stream(b, session, onB);
    await Promise.all([a.ready(), b.ready()]);
    await a.send(session, { text: 'from a' }, ctx(11));
    await b.send(session, { text: 'from b' }, ctx(12));
    for (let i = 0; i < 50 && (onA.length < 2 || onB.length < 2); i++) await pause(10);
    await pause(100); // nothing more arrives
    expect(onA.sort()).toEqual([11, 12]);
    expect(onB.sort()).toEqual([11, 12]);
    // Each heard from Redis only the other's message: its own reached its stream directly.
    expect(heardA).toEqual([session]);
    expect(heardB).toEqual([session]);
  });

  it('a stream on the sending process gets the message once without Redis: at once when it is up, still when it is down', async () => {
    const session = newSessionId();
    const got: number[] = [];
    stream(a, session, got);
    await a.ready();
    await a.send(session, { text: 'hello' }, ctx(21));
    expect(got).toEqual([21]); // at once: not waiting for Redis
    await pause(150);
    expect(got).toEqual([21]);
    expect(heardA).toEqual([]);
    // Redis unreachable (nothing listens on port 1; the publish fails at once, no offline queue).
    const down = new WebChannel(redisWebRelay('redis://127.0.0.1:1', name, silentLogger));
    const local: number[] = [];
    const off = down.subscribe(session, (d) => local.push(d.id));
    expect((await down.send(session, { text: 'hello' }, ctx(22))).ok).toBe(true);
    expect(local).toEqual([22]);
    off();
    await down.close();
  });

  it('subscribes on the first stream of a session and unsubscribes after the last one closes', async () => {
    const session = newSessionId();
    const first: number[] = [];
    const second: number[] = [];
    const off1 = stream(b, session, first);
    const off2 = stream(b, session, second);
    await b.ready();
    expect(await subscribers(session)).toBe(1);
    off1();
    off1(); // twice: still one stream open
    await b.ready();
    expect(await subscribers(session)).toBe(1);
    await a.send(session, { text: 'one stream left' }, ctx(31));
    for (let i = 0; i < 50 && second.length < 1; i++) await pause(10);
    expect(second).toEqual([31]);
    expect(first).toEqual([]);
    off2();
    await b.ready();
    expect(await subscribers(session)).toBe(0);
    expect(await channels()).toEqual([]);
    heardB.length = 0;
    await a.send(session, { text: 'nobody listens' }, ctx(32));
    await pause(150);
    expect(heardB).toEqual([]);
    expect(second).toEqual([31]);
  });

  it('a stream closed and opened again at once is subscribed (the commands stay in order)', async () => {
    const session = newSessionId();
    const got: number[] = [];
    stream(b, session, got)();
    stream(b, session, got);
    await b.ready();
    expect(await subscribers(session)).toBe(1);
    await a.send(session, { text: 'back' }, ctx(41));
    for (let i = 0; i < 50 && got.length < 1; i++) await pause(10);
    expect(got).toEqual([41]);
  });
});
