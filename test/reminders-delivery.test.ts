/**
 * Event reminders through the broadcast delivery records: due reminders are sent exactly once even
 * with two workers (two apps on one PostgreSQL database when TEST_DATABASE_URL is set; on PGlite, two
 * concurrent workers in one process), people who said "stop" or blocked the bot are skipped, the
 * WhatsApp template is used outside the 24-hour window, and erasing a person removes their reminders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import type { DbTarget } from '../src/storage/db.js';
import { fakeGraph, fakeTelegram, type FakeApi, type Recorded } from './channels/fakes.js';
import { addressOf, broadcastApp, TEMPLATE, until } from './broadcast-support.js';
import { dbTarget, dbTargetNames } from './helpers.js';

const EVENT = 'digital_basics_saturday';
const TG_BASE = 710_000_000;
const WA_BASE = 393_370_000_000;
const okSends = (reqs: Recorded[]) => reqs.filter((r) => r.method === 'POST' && r.status === 200 && /\/(sendMessage|messages)$/.test(r.path));

for (const name of dbTargetNames()) {
  describe(`reminders through delivery records (${name})`, () => {
    const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };
    let db: { target: DbTarget; cleanup: () => Promise<void> };
    const apps: App[] = [];

    beforeAll(async () => {
      fakes.tg = await fakeTelegram().start();
      fakes.wa = await fakeGraph().start();
      db = await dbTarget(name);
      // A memory or directory PGlite has one owner: its "two workers" are two concurrent queue workers of one app.
      apps.push(await broadcastApp(db.target, fakes, { rate: 500 }));
      if (name === 'postgres') apps.push(await broadcastApp(db.target, fakes, { rate: 500 }));
      for (const a of apps) await a.start(2);
    }, 60_000);
    afterAll(async () => {
      for (const a of apps) await a.close();
      await fakes.tg?.close();
      await fakes.wa?.close();
      await db?.cleanup();
    });

    const reminderOf = async (app: App) => (await app.broadcastStore.listBroadcasts(null)).find((b) => b.kind === 'reminder' && b.audience.reminder === 'day');
    const settled = async (app: App, id: number) => {
      const info = await app.broadcastStore.pendingInfo(id);
      return info.pending === 0 && info.sending === 0;
    };

    it('sends due reminders exactly once with two workers, skips "stop" and blocked people, uses the template outside 24 h', async () => {
      const app = apps[0]!;
      const now = new Date();
      await app.broadcastStore.seedSubscribers(300, { channel: 'telegram', idPrefix: 'M-T', addressBase: TG_BASE });
      await app.broadcastStore.seedSubscribers(100, { channel: 'whatsapp', idPrefix: 'M-W', addressBase: WA_BASE, lastInboundAt: now });
      // Two people outside the 24-hour window: they get the approved template.
      await app.broadcastStore.seedSubscribers(2, { channel: 'whatsapp', idPrefix: 'M-O', addressBase: WA_BASE + 10_000, lastInboundAt: new Date(now.getTime() - 48 * 3600_000) });
      const people = [
        ...Array.from({ length: 300 }, (_, i) => [`M-T${String(i + 1).padStart(6, '0')}`, 'telegram']),
        ...Array.from({ length: 100 }, (_, i) => [`M-W${String(i + 1).padStart(6, '0')}`, 'whatsapp']),
        ['M-O000001', 'whatsapp'],
        ['M-O000002', 'whatsapp'],
      ] as const;
      const due = new Date(now.getTime() - 1000);
      for (const [id, channel] of people) expect(await app.knowledge.store.addReminder(id, EVENT, 'day', due, channel)).toBe(true);
      // One said "stop", one blocked the bot: both are skipped.
      await app.broadcastStore.stopAll('M-T000001', now);
      await app.store.markUnreachable('M-T000002', 'telegram 403: blocked');
      // Not yet due: untouched.
      await app.knowledge.store.addReminder('M-T000003', EVENT, 'hour', new Date(now.getTime() + 3600_000), 'telegram');

      const tgBefore = okSends(fakes.tg.requests).length;
      const waBefore = okSends(fakes.wa.requests).length;
      // Both workers see the reminders fall due at the same moment (the reminder job and the schedule check).
      await Promise.all(apps.flatMap((a) => [a.reminders.deliverDue(), a.reminders.deliverDue(), a.broadcasts.tick().catch(() => undefined)]));
      const b = (await reminderOf(app))!;
      expect(b).toBeDefined();
      await until(() => settled(app, b.id), 30_000, 'every reminder record sent');

      const recs = await app.broadcastStore.deliveries(b.id);
      expect(recs).toHaveLength(402);
      const byPerson = new Map(recs.map((r) => [r.personId, r.status]));
      expect(byPerson.get('M-T000001')).toBe('skipped');
      expect(byPerson.get('M-T000002')).toBe('skipped');
      expect(recs.filter((r) => r.status === 'sent')).toHaveLength(400);

      // The fakes: exactly one message per person, none to the skipped ones.
      const tg = okSends(fakes.tg.requests).slice(tgBefore);
      const wa = okSends(fakes.wa.requests).slice(waBefore);
      const count = new Map<string, number>();
      for (const r of [...tg, ...wa]) count.set(addressOf(r), (count.get(addressOf(r)) ?? 0) + 1);
      expect(count.size).toBe(400);
      expect([...count.values()].every((n) => n === 1)).toBe(true);
      expect(count.has(String(TG_BASE + 1))).toBe(false);
      expect(count.has(String(TG_BASE + 2))).toBe(false);
      const sample = tg.find((r) => addressOf(r) === String(TG_BASE + 5))!;
      expect(String(sample.body.text)).toMatch(/^Reminder: tomorrow|^Reminder: /);
      expect(JSON.stringify(sample.body.reply_markup)).toContain(`know:e:${EVENT}`);
      const templates = wa.filter((r) => r.body.type === 'template');
      expect(templates.map(addressOf).sort()).toEqual([String(WA_BASE + 10_001), String(WA_BASE + 10_002)]);
      expect((templates[0]!.body.template as { name: string }).name).toBe(TEMPLATE);

      // Running it all again sends nothing more; the hour-before reminder is still waiting.
      await Promise.all(apps.map((a) => a.reminders.deliverDue()));
      await new Promise((r) => setTimeout(r, 300));
      expect(okSends(fakes.tg.requests).length - tgBefore).toBe(tg.length);
      expect((await app.knowledge.store.reminders('M-T000003')).map((r) => r.offsetName)).toEqual(['hour']);
    }, 60_000);

    it('erasing a person removes their reminders and delivery records', async () => {
      const app = apps[0]!;
      expect((await app.knowledge.store.reminders('M-T000003')).length).toBe(1);
      await app.store.erasePerson('M-T000003');
      expect(await app.knowledge.store.reminders('M-T000003')).toEqual([]);
      const rows = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM knowledge_reminders WHERE person_id = 'M-T000003'`);
      expect(rows[0]!.n).toBe(0);
      await app.store.erasePerson('M-T000004');
      const b = (await reminderOf(app))!;
      expect((await app.broadcastStore.deliveries(b.id)).some((d) => d.personId === 'M-T000004')).toBe(false);
    });
  });
}
