/**
 * A turn sends its own replies right after its commit (issue #17): no queue job per reply, in the
 * order stored, through the assembly `coworkbot start` serves, on the embedded defaults and on
 * PostgreSQL + Redis. A reply the platform asks to retry goes to the queue as one job with the
 * replies after it, which the job sends in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTarget } from '../src/storage/db.js';
import { assembledWithFakes, type Assembled } from './channels/assembled.js';
import { telegramText } from './channels/fakes.js';
import { freshPostgresAndQueue, TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers.js';

interface Target {
  name: string;
  open(): Promise<{ db?: DbTarget; queue?: { redisUrl: string; name: string }; cleanup(): Promise<void> }>;
}

const targets: Target[] = [{ name: 'embedded (PGlite + database queue)', open: async () => ({ cleanup: async () => undefined }) }];
if (TEST_DATABASE_URL && TEST_REDIS_URL) {
  targets.push({
    name: 'PostgreSQL + Redis',
    open: async () => {
      const pg = await freshPostgresAndQueue('direct');
      return { db: { kind: 'postgres', url: pg.url }, queue: { redisUrl: pg.redisUrl, name: pg.queueName }, cleanup: pg.drop };
    },
  });
} else console.warn('direct-send.test: TEST_DATABASE_URL and TEST_REDIS_URL not both set; the PostgreSQL + Redis case is skipped');

describe.each(targets)('a turn sends its own replies ($name)', (target) => {
  let a: Assembled;
  let cleanup: () => Promise<void>;
  let sendJobs: () => Promise<number>;
  beforeAll(async () => {
    const t = await target.open();
    cleanup = t.cleanup;
    a = await assembledWithFakes({ ...(t.db ? { db: t.db } : {}), ...(t.queue ? { queue: t.queue } : {}) });
    // Send jobs added from now on, whichever queue: its add and addMany, counted.
    let added = 0;
    const queue = a.app.queue;
    const add = queue.add.bind(queue);
    queue.add = (name, data, o) => ((added += name === 'send' ? 1 : 0), add(name, data, o));
    const addMany = queue.addMany?.bind(queue);
    if (addMany) queue.addMany = (jobs) => ((added += jobs.filter((j) => j.name === 'send').length), addMany(jobs));
    sendJobs = async () => added;
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await cleanup?.();
  });

  /** The stored replies to a chat, oldest first, and the texts the fake Bot API accepted for it, in arrival order. */
  async function ledger(chatId: number) {
    const person = await a.app.store.findPerson('telegram', String(chatId));
    const rows = await a.app.db.query<{ id: string; status: string; body: { text?: string } }>(`SELECT id, status, body FROM messages WHERE person_id = $1 AND direction = 'out' ORDER BY id`, [
      person!.id,
    ]);
    const accepted = a.tg.requests.filter((q) => q.path.endsWith('/sendMessage') && Number(q.body.chat_id) === chatId && q.status === 200).map((q) => q.body.text);
    return { rows, accepted };
  }

  it('sends every reply of a turn in order, without a queue job', async () => {
    const jobsBefore = await sendJobs();
    for (const [i, text] of ['hello', 'what is coworking?', 'menu'].entries()) expect((await a.post('telegram', telegramText(9101, 100 + i, text))).status).toBe(200);
    const { rows, accepted } = await ledger(9101);
    expect(rows.length).toBeGreaterThanOrEqual(4); // a welcome and a menu, then two answers
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // Each reply once, in the order the turns stored them.
    expect(accepted).toEqual(rows.map((r) => r.body.text));
    expect(await sendJobs()).toBe(jobsBefore);
  });

  it('sends a reply once when its sent mark cannot be stored: a job stores the mark later', async () => {
    const store = a.app.store;
    const markSent = store.markSent.bind(store);
    let failed = 0;
    // The first mark of this chat fails (the database went away for a moment); the rest are stored.
    store.markSent = async (id, externalId) => {
      if (failed === 0 && a.tg.requests.some((q) => Number(q.body.chat_id) === 9103)) {
        failed++;
        throw new Error('connection terminated');
      }
      return markSent(id, externalId);
    };
    try {
      expect((await a.post('telegram', telegramText(9103, 300, 'hello'))).status).toBe(200);
      const deadline = Date.now() + 30_000;
      while ((await ledger(9103)).rows.some((r) => r.status !== 'sent') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      store.markSent = markSent;
    }
    expect(failed).toBe(1);
    const { rows, accepted } = await ledger(9103);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(accepted).toEqual(rows.map((r) => r.body.text)); // each once: the job marked, it did not send again
  });

  it('hands a reply the platform asks to retry, and the replies after it, to one queue job that sends them in order', async () => {
    const jobsBefore = await sendJobs();
    a.tg.failWhen((q) => q.path.endsWith('/sendMessage') && Number(q.body.chat_id) === 9102, 429, {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    expect((await a.post('telegram', telegramText(9102, 200, 'hello'))).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while ((await ledger(9102)).rows.some((r) => r.status !== 'sent') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { rows, accepted } = await ledger(9102);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(accepted).toEqual(rows.map((r) => r.body.text));
    expect(await sendJobs()).toBe(jobsBefore + 1);
  });
});
