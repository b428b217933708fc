/**
 * The assembly `coworkbot start` serves ({@link assembleServer}), with Telegram (webhook mode) and
 * WhatsApp configured against the loopback fakes, and the way to post a body to it and wait until
 * the bot has answered and every send went out.
 */
import { createApp, type App } from '../../src/app.js';
import { assembleServer, type Assembly } from '../../src/assembly.js';
import type { Logger } from '../../src/logger.js';
import type { DbTarget } from '../../src/storage/db.js';
import { testConfig } from '../helpers.js';
import { fakeGraph, fakeTelegram, hubSignature, type FakeApi } from './fakes.js';

export const TG_TOKEN = '123:ASSEMBLED';
export const TG_SECRET = 'assembled-secret';
export const WA_APP_SECRET = 'assembled-app-secret';
export const PHONE_ID = '106540352242922';

export interface Assembled {
  served: Assembly;
  app: App;
  tg: FakeApi;
  graph: FakeApi;
  /** Posts a webhook body (signed or with the secret), then waits for the answers to be sent. */
  post(channel: 'telegram' | 'whatsapp', body: string | object): Promise<Response>;
  /** Waits until every received message is handled and every send job has run. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** `coworkbot start`'s assembly of `app` with its workers started, listening on a loopback port. */
export async function startAssembly(app: App): Promise<{ served: Assembly; url: string }> {
  const served = assembleServer(app);
  await served.start(2);
  const { port } = await served.listen(0, '127.0.0.1');
  return { served, url: `http://127.0.0.1:${port}` };
}

/** Waits until every received message is handled and every send job has run. */
export async function settled(app: App): Promise<void> {
  await app.bot.idle();
  await app.queue.drain(10_000);
}

/** `queue`: the queue `REDIS_URL` selects (BullMQ, on the named queue) instead of the database queue. */
export async function assembledWithFakes(opts: { env?: Record<string, string>; db?: DbTarget; log?: Logger; queue?: { redisUrl: string; name: string } } = {}): Promise<Assembled> {
  const tg = await fakeTelegram().start();
  const graph = await fakeGraph().start();
  const app = await createApp({
    config: testConfig({
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_RATE_PER_CHAT: '1000',
      WHATSAPP_ACCESS_TOKEN: 'WA-TOKEN',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: WA_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_API_URL: graph.url,
      ...opts.env,
      ...(opts.queue ? { REDIS_URL: opts.queue.redisUrl } : {}),
    }),
    db: opts.db ?? { kind: 'memory' },
    ...(opts.queue ? { queueName: opts.queue.name } : { embeddedQueue: true }),
    log: opts.log,
  });
  const served = assembleServer(app);
  await served.start(2);
  const settle = () => settled(app);
  return {
    served,
    app,
    tg,
    graph,
    settle,
    async post(channel, body) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (channel === 'telegram') headers['X-Telegram-Bot-Api-Secret-Token'] = TG_SECRET;
      else headers['X-Hub-Signature-256'] = hubSignature(raw, WA_APP_SECRET);
      const res = await served.web.request(`/webhooks/${channel}`, { method: 'POST', headers, body: raw });
      await settle();
      return res;
    },
    async close() {
      await served.close();
      await tg.close();
      await graph.close();
    },
  };
}
