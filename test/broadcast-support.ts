/** Shared set-up for the broadcast tests: an app whose Telegram and WhatsApp channels talk to local fakes. */
import { createApp, type App } from '../src/app.js';
import { TelegramAdapter } from '../src/channels/telegram/telegram-adapter.js';
import { WhatsAppAdapter } from '../src/channels/whatsapp/whatsapp-adapter.js';
import type { DbTarget } from '../src/storage/db.js';
import type { FakeApi, Recorded } from './channels/fakes.js';
import { testConfig } from './helpers.js';

export interface FakeChannels {
  tg: FakeApi;
  wa: FakeApi;
}

export const TEMPLATE = 'event_update';

/** An app on `db` with both channels pointed at the fakes, paced at `rate` messages per second each. */
export async function broadcastApp(db: DbTarget, fakes: FakeChannels, opts: { rate: number; redisUrl?: string; queueName?: string; env?: Record<string, string>; staleMs?: number }): Promise<App> {
  // The WhatsApp adapter asks the store for the 24-hour window; the app exists once createApp returns.
  const holder: { app?: App } = {};
  const tg = new TelegramAdapter({ token: '123:TEST', apiRoot: fakes.tg.url, rate: { perSecond: opts.rate, perAddress: 1 } });
  const wa = new WhatsAppAdapter({
    accessToken: 'TEST',
    phoneNumberId: '1234567890',
    apiUrl: fakes.wa.url,
    rate: { perSecond: opts.rate },
    template: { name: TEMPLATE },
    lastInboundAt: async (id) => (await holder.app!.store.getPerson(id))?.lastInboundAt ?? null,
    now: () => new Date(),
    words: () => ({ listButton: 'Choose', more: 'More', moreDescription: 'More options' }),
  });
  const env = { WHATSAPP_TEMPLATE_NAME: TEMPLATE, ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}), ...opts.env };
  holder.app = await createApp({ config: testConfig(env), db, channels: [tg, wa], queueName: opts.queueName, broadcastStaleMs: opts.staleMs });
  return holder.app;
}

/** The address a recorded send went to (Telegram chat id or WhatsApp number). */
export function addressOf(r: Recorded): string {
  return String(r.body.chat_id ?? r.body.to ?? '');
}

/** The largest number of requests that arrived within any one-second window [t, t + 1000 ms). */
export function maxPerSecond(requests: Recorded[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[j]! <= times[i]! - 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Polls until `check` is true (an event we cannot await directly: rows in the database). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
