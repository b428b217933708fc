/**
 * Delivered and read in the broadcast report: real WhatsApp status payloads (test/fixtures) posted,
 * signed, to the real webhook route update the broadcast's delivery records by wamid, never
 * backwards; the report counts them; Telegram, which gives no receipts, is shown as "not reported".
 */
import { createHmac } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { receiptCell, reportCounts } from '../src/broadcast/report.js';
import { whatsappWebhook } from '../src/channels/whatsapp/webhook.js';
import { RetryLater } from '../src/queue/queue.js';
import { fakeGraph, fakeTelegram, fixture, type FakeApi } from './channels/fakes.js';
import { broadcastApp } from './broadcast-support.js';
import { serveApp } from './browser.js';

const APP_SECRET = 'receipts-secret';
let app: App;
let url: string;
let server: ServerType;
const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };

const sign = (raw: string) => `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
const postStatus = async (file: string, wamid: string) => {
  const b = fixture(`whatsapp/${file}`) as { entry: { changes: { value: { statuses: { id: string }[] } }[] }[] };
  b.entry[0]!.changes[0]!.value.statuses[0]!.id = wamid;
  const raw = JSON.stringify(b);
  const res = await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': sign(raw) }, body: raw });
  expect(res.status).toBe(200);
};

async function runToEnd(id: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      return await app.broadcasts.runBatch(id);
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
    }
  }
}

beforeAll(async () => {
  fakes.tg = await fakeTelegram().start();
  fakes.wa = await fakeGraph().start();
  app = await broadcastApp({ kind: 'memory' }, fakes, { rate: 1000 });
  ({ url, server } = await serveApp(app, [whatsappWebhook(app, { appSecret: APP_SECRET, verifyToken: 'v' })]));
});
afterAll(async () => {
  server?.close();
  await app?.close();
  await fakes.tg?.close();
  await fakes.wa?.close();
});

describe('delivery receipts in the broadcast report', () => {
  it('WhatsApp delivered/read/failed statuses update the records, never backwards; Telegram says "not reported"', async () => {
    await app.broadcastStore.seedSubscribers(4, { channel: 'whatsapp', idPrefix: 'R-W', addressBase: 393_390_000_000, lastInboundAt: new Date() });
    await app.broadcastStore.seedSubscribers(2, { channel: 'telegram', idPrefix: 'R-T', addressBase: 810_000_000 });
    const b = await app.broadcastStore.createBroadcast({ spaceId: null, createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day on Friday.' } } }, new Date());
    expect(await app.broadcasts.start(b.id)).toBe(6);
    await runToEnd(b.id);
    const wa = (await app.broadcastStore.deliveries(b.id)).filter((d) => d.channel === 'whatsapp');
    expect(wa.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const [w1, w2, w3, w4] = wa.map((d) => d.externalId!);

    await postStatus('status-delivered.json', w1!);
    await postStatus('status-read.json', w2!);
    await postStatus('status-delivered.json', w3!);
    await postStatus('status-read.json', w3!);
    // Out of order: "delivered", "sent" and "failed" after "read" change nothing.
    await postStatus('status-delivered.json', w2!);
    await postStatus('status-sent.json', w2!);
    await postStatus('status-failed.json', w2!);
    await postStatus('status-failed.json', w4!);

    const byId = new Map((await app.broadcastStore.deliveries(b.id)).map((d) => [d.externalId, d.status]));
    expect([w1, w2, w3, w4].map((w) => byId.get(w!))).toEqual(['delivered', 'read', 'read', 'failed']);

    const rep = await app.broadcastStore.report(b.id);
    expect(rep.byChannel.whatsapp).toEqual({ delivered: 1, read: 2, failed: 1 });
    expect(rep.byChannel.telegram).toEqual({ sent: 2 });
    expect(rep.reasons).toEqual([{ error: 'whatsapp 131047: Re-engagement message', n: 1 }]);
    expect(reportCounts(rep.byStatus)).toEqual({ sent: 5, delivered: 3, read: 2 });
    expect(String(await receiptCell(rep, 'delivered'))).toBe('3 <span class="note">(WhatsApp only; not reported by Telegram)</span>');
    expect(String(await receiptCell(rep, 'read'))).toMatch(/^2 /);
  });

  it('a Telegram-only broadcast shows "not reported by Telegram", never 0', async () => {
    await app.broadcastStore.seedSubscribers(2, { channel: 'telegram', idPrefix: 'R-U', addressBase: 820_000_000 });
    const b = await app.broadcastStore.createBroadcast({ spaceId: null, createdBy: 'test', audience: { allEvents: true, languages: ['en'] }, messages: { text: { en: 'Hi' } } }, new Date());
    await app.broadcasts.start(b.id);
    await runToEnd(b.id);
    const rep = await app.broadcastStore.report(b.id);
    // Only Telegram people: build a report of that channel alone.
    const tgOnly = { ...rep, byChannel: { telegram: rep.byChannel.telegram! }, byStatus: rep.byChannel.telegram! };
    expect(await receiptCell(tgOnly, 'delivered')).toBe('not reported by Telegram');
    expect(await receiptCell(tgOnly, 'read')).toBe('not reported by Telegram');
  });
});
