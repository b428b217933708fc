/**
 * Fault tests against the real servers (TEST_DATABASE_URL / TEST_REDIS_URL), each behind a TCP proxy
 * on 127.0.0.1 that the test cuts and restores (the shared servers keep running):
 * - the database unavailable during inbound webhooks → 503, and the platform's retry loses nothing;
 * - Redis down → a turn's replies are still sent (by the turn); one the platform asks to retry waits
 *   as a `queued` row with the reply after it, and the sweep sends them when Redis is back, once;
 * - a duplicate webhook delivered 50 times at once → one reply (also on the embedded defaults).
 */
import { randomBytes } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import { serveAssembly } from '../browser.js';
import { fakeTelegram, telegramText, type FakeApi } from '../channels/fakes.js';
import { freshPostgres, freshPostgresAndQueue, TEST_DATABASE_URL, TEST_REDIS_URL, testConfig } from '../helpers.js';
import { createLogger } from '../../src/logger.js';
import { hostPort, TcpProxy } from '../support/tcp-proxy.js';

const SECRET = 'fault-secret';

interface Running {
  app: App;
  url: string;
  server: ServerType;
  tg: FakeApi;
  close(): Promise<void>;
}

async function startApp(opts: Partial<AppOptions> & { redisUrl?: string }): Promise<Running> {
  const tg = await fakeTelegram().start();
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: '123:TEST',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: tg.url,
    TELEGRAM_RATE_PER_CHAT: '1000',
  };
  if (opts.redisUrl) env.REDIS_URL = opts.redisUrl;
  const app = await createApp({ config: testConfig(env), db: { kind: 'memory' }, embeddedQueue: !opts.redisUrl, ...(process.env.FAULT_DEBUG ? { log: createLogger('debug') } : {}), ...opts });
  await app.start(4);
  const { url, server } = await serveAssembly(app);
  return {
    app,
    url,
    server,
    tg,
    async close() {
      server.close();
      await app.close();
      await tg.close();
    },
  };
}

const update = (chatId: number, updateId: number, text = 'hello') => telegramText(chatId, updateId, text);

const post = (r: Running, body: object) =>
  fetch(`${r.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
    body: JSON.stringify(body),
  });

/** Outbound rows for a Telegram chat, and the sends the fake Bot API answered for it. */
async function ledger(r: Running, chatId: number) {
  const person = await r.app.store.findPerson('telegram', String(chatId));
  const rows = person ? await r.app.db.query<{ id: string; status: string }>(`SELECT id, status FROM messages WHERE person_id = $1 AND direction = 'out' ORDER BY id`, [person.id]) : [];
  const inbound = person ? await r.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE person_id = $1 AND direction = 'in'`, [person.id]) : [{ n: 0 }];
  const sends = r.tg.requests.filter((q) => q.path.endsWith('/sendMessage') && Number(q.body.chat_id) === chatId);
  return { rows, inbound: inbound[0]!.n, sends };
}

/** Polls until `check` holds (an event we cannot await directly: a send after a reconnect). */
async function until(check: () => Promise<boolean>, timeoutMs = 45_000, explain?: () => Promise<unknown>): Promise<void> {
  // Generous: the whole suite runs in parallel on two cores, and the sweep runs every 300 ms.
  const deadline = Date.now() + timeoutMs;
  // A check may itself hit a connection the cut just broke: that counts as "not yet".
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the condition${explain ? `: ${JSON.stringify(await explain().catch((e: unknown) => String(e)))}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL unavailable during inbound webhooks', () => {
  let r: Running;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const pg = await freshPostgres();
    drop = pg.drop;
    const [host, port] = hostPort(pg.url, 5432);
    proxy = await new TcpProxy(host, port).start();
    r = await startApp({ db: { kind: 'postgres', url: proxy.wrap(pg.url) }, embeddedQueue: true, sweepMs: 300, staleClaimMs: 1000 });
  });
  afterAll(async () => {
    await r?.close();
    await proxy?.close();
    await drop?.();
  });

  it('answers 503 while the database is down; the retried update is handled once, nothing lost', async () => {
    expect((await post(r, update(7001, 1))).status).toBe(200); // a warm pool before the cut
    await r.app.bot.idle();
    proxy.cut();
    const during = await Promise.all([7002, 7003, 7004].map((chat, i) => post(r, update(chat, 10 + i))));
    expect(during.map((x) => x.status)).toEqual([503, 503, 503]);
    proxy.restore();
    // The platform redelivers the same updates (Telegram retries on 5xx); one is delivered twice.
    const retried = await Promise.all([7002, 7003, 7004, 7004].map((chat, i) => post(r, update(chat, 10 + Math.min(i, 2)))));
    expect(retried.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    await r.app.bot.idle();
    for (const chat of [7001, 7002, 7003, 7004]) {
      await until(
        async () => (await ledger(r, chat)).rows.every((row) => row.status === 'sent'),
        undefined,
        async () => ({ chat, rows: (await ledger(r, chat)).rows, jobs: await r.app.db.query(`SELECT id, name, status, key, attempts, run_at, locked_until, last_error FROM jobs`) }),
      );
      const l = await ledger(r, chat);
      expect(l.inbound).toBe(1);
      expect(l.rows.length).toBeGreaterThanOrEqual(2); // a greeting and a menu
      expect(l.sends.length).toBe(l.rows.length); // each reply sent exactly once
    }
  });

  it('a message whose handling failed when the database went away is handled by the sweep', async () => {
    // Stored, then the database goes away before the turn finishes: the turn fails, no crash
    // (no unhandled rejection), and the sweep handles the message once the database is back.
    const res = await post(r, update(7010, 50));
    expect(res.status).toBe(200);
    proxy.cut();
    await r.app.bot.idle();
    proxy.restore();
    await until(async () => {
      const l = await ledger(r, 7010);
      return l.rows.length >= 1 && l.rows.every((row) => row.status === 'sent');
    });
    const l = await ledger(r, 7010);
    expect(l.inbound).toBe(1);
    const processed = await r.app.db.query<{ processed_at: Date | null }>(`SELECT processed_at FROM messages WHERE direction = 'in' AND external_id = '7010:50'`);
    expect(processed.length).toBe(1);
    expect(processed[0]!.processed_at).not.toBeNull();
    expect(l.sends.length).toBe(l.rows.length);
  });
});

describe.skipIf(!TEST_REDIS_URL)('Redis down while replies are being sent', () => {
  let r: Running;
  let proxy: TcpProxy;
  const queueName = `fault_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    const [host, port] = hostPort(TEST_REDIS_URL!, 6379);
    proxy = await new TcpProxy(host, port).start();
    r = await startApp({ redisUrl: proxy.wrap(TEST_REDIS_URL!), queueName, sweepMs: 300, staleClaimMs: 1000 });
  });
  afterAll(async () => {
    await r?.close();
    await proxy?.close();
    const q = new BullQueue(TEST_REDIS_URL!, queueName);
    await q.obliterate();
    await q.close();
  });

  it('sends replies while Redis is down; a reply that must wait is kept as a queued row and sent once when Redis is back', async () => {
    expect((await post(r, update(8001, 1))).status).toBe(200);
    await until(async () => (await ledger(r, 8001)).sends.length >= 2);
    proxy.cut();
    // The platform asks to wait before 8002's first reply: that reply needs the queue, which is
    // down, and so does its second one (it must not overtake the first).
    r.tg.failWhen((q) => q.path.endsWith('/sendMessage') && Number(q.body.chat_id) === 8002, 429, {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    const chats = [8002, 8003, 8004, 8005];
    const res = await Promise.all(chats.map((chat, i) => post(r, update(chat, 10 + i))));
    expect(res.map((x) => x.status)).toEqual([200, 200, 200, 200]); // stored in the database: safe
    await r.app.bot.idle();
    // A turn sends its own replies after its commit: no queue job, so Redis being down changes nothing.
    for (const chat of [8003, 8004, 8005]) {
      const l = await ledger(r, chat);
      expect(l.rows.length).toBeGreaterThanOrEqual(2);
      expect(l.rows.every((row) => row.status === 'sent')).toBe(true);
      expect(l.sends.length).toBe(l.rows.length);
    }
    const waiting = await ledger(r, 8002);
    expect(waiting.rows.length).toBeGreaterThanOrEqual(2);
    expect(waiting.rows.every((row) => row.status === 'queued')).toBe(true);
    expect(waiting.sends.map((q) => q.status)).toEqual([429]); // the first reply asked once; the second never sent
    proxy.restore();
    for (const chat of [8001, ...chats]) {
      await until(async () => (await ledger(r, chat)).rows.every((row) => row.status === 'sent'));
    }
    await r.app.queue.drain(10_000);
    for (const chat of [8001, ...chats]) {
      const l = await ledger(r, chat);
      expect(l.inbound).toBe(1);
      const delivered = l.sends.filter((q) => q.status === 200);
      expect(delivered.length).toBe(l.rows.length);
      expect(new Set(delivered.map((s) => s.body.text)).size).toBe(delivered.length);
    }
  });
});

const duplicateTargets: { name: string; opts: () => Promise<{ opts: Partial<AppOptions> & { redisUrl?: string }; cleanup: () => Promise<void> }> }[] = [
  { name: 'embedded (PGlite + database queue)', opts: async () => ({ opts: {}, cleanup: async () => undefined }) },
];
if (TEST_DATABASE_URL && TEST_REDIS_URL) {
  duplicateTargets.push({
    name: 'PostgreSQL + Redis',
    opts: async () => {
      const pg = await freshPostgresAndQueue('dup');
      return { opts: { db: { kind: 'postgres', url: pg.url }, redisUrl: pg.redisUrl, queueName: pg.queueName }, cleanup: pg.drop };
    },
  });
}

describe.each(duplicateTargets)('a duplicate webhook delivered 50 times at once: $name', ({ opts }) => {
  it('is stored once and answered once', async () => {
    const o = await opts();
    const r = await startApp(o.opts);
    try {
      const body = update(9001, 77, 'I need a desk');
      const res = await Promise.all(Array.from({ length: 50 }, () => post(r, body)));
      expect(res.every((x) => x.status === 200)).toBe(true);
      await r.app.bot.idle();
      await r.app.queue.drain(10_000);
      const l = await ledger(r, 9001);
      expect(l.inbound).toBe(1);
      expect(l.rows.length).toBeGreaterThanOrEqual(1);
      expect(l.rows.every((row) => row.status === 'sent')).toBe(true);
      expect(l.sends.length).toBe(l.rows.length);
    } finally {
      await r.close();
      await o.cleanup();
    }
  });
});
