/** The knowledge feature end to end: reminders through the job queue, knowledge gaps, deep links, another city. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { Simulator } from '../src/cli/simulate.js';
import { FixedClock } from '../src/clock.js';
import type { HandleResult } from '../src/core/types.js';
import { KnowledgeFeature, REMINDER_JOB, walkMinutes } from '../src/knowledge/feature.js';
import { redactQuestion } from '../src/insights/redact.js';
import { RetryLater } from '../src/queue/queue.js';
import { testConfig } from './helpers.js';

// Thursday 26 November 2026, 10:00 in Rome.
const NOW = new Date('2026-11-26T10:00:00+01:00');

describe('knowledge feature', () => {
  let app: App;
  let feature: KnowledgeFeature;
  const address = `test:${randomUUID()}`;
  const send = (content: { type: 'text'; text: string } | { type: 'choice'; id: string }, startPayload?: string): Promise<HandleResult> =>
    app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: NOW, content, languageHint: 'en', startPayload });

  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, clock: new FixedClock(NOW) });
    feature = app.bot.deps.features.find((f): f is KnowledgeFeature => f instanceof KnowledgeFeature)!;
    await send({ type: 'text', text: 'hello' });
    // Chosen explicitly, so short messages are not taken for another language.
    await send({ type: 'choice', id: 'cmd:language' });
    await send({ type: 'choice', id: 'lang:en' });
  });
  afterAll(async () => app.close());

  /** Runs a broadcast's batches until none is left (as the queue would). */
  async function drainBroadcast(id: number): Promise<void> {
    for (let i = 0; i < 20; i++) {
      try {
        return await app.broadcasts.runBatch(id);
      } catch (err) {
        if (!(err instanceof RetryLater)) throw err;
      }
    }
  }

  it("schedules reminders the day before and an hour before, sends them in the person's language, and cancels", async () => {
    const list = await send({ type: 'text', text: 'events this weekend' });
    expect(list.replies[0]!.text).toMatch(/^Events this weekend:/);
    expect(list.replies[0]!.choices!.map((c) => c.id)).toContain('know:e:digital_basics_saturday');
    await send({ type: 'choice', id: 'know:e:digital_basics_saturday' });
    const set = await send({ type: 'choice', id: 'know:r:digital_basics_saturday' });
    expect(set.replies[0]!.text).toBe('OK. I will remind you the day before and one hour before.');
    const personId = set.personId!;

    const reminders = await app.knowledge.store.reminders(personId);
    // The event is on Saturday 28 November at 10:00 Rome time (09:00 UTC).
    expect(reminders.map((r) => [r.offsetName, r.runAt.toISOString()])).toEqual([
      ['day', '2026-11-27T09:00:00.000Z'],
      ['hour', '2026-11-28T08:00:00.000Z'],
    ]);
    const jobs = await app.db.query<{ key: string; priority: number; run_at: Date }>(`SELECT key, priority, run_at FROM jobs WHERE name = $1 ORDER BY run_at`, [REMINDER_JOB]);
    expect(jobs.map((j) => [j.key, j.priority, new Date(j.run_at).toISOString()])).toEqual([
      [`reminder:${personId}:digital_basics_saturday:day`, 10, '2026-11-27T09:00:00.000Z'],
      [`reminder:${personId}:digital_basics_saturday:hour`, 10, '2026-11-28T08:00:00.000Z'],
    ]);

    // Asking again does not schedule twice.
    const again = await send({ type: 'choice', id: 'know:r:digital_basics_saturday' });
    expect(again.replies[0]!.text).toBe('You already have a reminder for this event.');

    // The job runs at run_at: the reminder becomes one delivery record of the event's reminder
    // broadcast, which the delivery engine sends — one message, even if the job runs twice.
    const clock = app.clock as FixedClock;
    clock.set(new Date('2026-11-27T09:00:00.000Z'));
    const got: string[] = [];
    const off = app.web.subscribe(address, (d) => got.push(d.message.text ?? ''));
    const data = { personId, eventId: 'digital_basics_saturday', offset: 'day', channel: 'web' };
    await feature.sendReminder(data);
    await feature.sendReminder(data);
    const reminderBroadcasts = async () => (await app.broadcastStore.listBroadcasts(null)).filter((b) => b.kind === 'reminder');
    const [rb] = await reminderBroadcasts();
    expect(rb).toMatchObject({ eventId: 'digital_basics_saturday', audience: { reminder: 'day' }, status: 'sending' });
    await drainBroadcast(rb!.id);
    expect(got).toEqual(['Reminder: tomorrow, Saturday 28 November, 10:00: Digital skills: email, online forms and video calls at Talent Garden Roma Ostiense.']);
    expect((await app.broadcastStore.deliveries(rb!.id)).map((d) => [d.personId, d.channel, d.status])).toEqual([[personId, 'web', 'sent']]);

    // Cancelled: at the hour-before time nothing is sent.
    const cancel = await send({ type: 'text', text: 'cancel reminder' });
    expect(cancel.replies[0]!.text).toBe('Your reminder is cancelled.');
    clock.set(new Date('2026-11-28T08:00:00.000Z'));
    await feature.sendReminder({ ...data, offset: 'hour' });
    expect(await reminderBroadcasts()).toHaveLength(1);
    expect(got).toHaveLength(1);
    off();
    clock.set(NOW);
    expect(await app.knowledge.store.reminders(personId)).toEqual([]);
  });

  it('records an unanswered question as a knowledge gap without personal data', async () => {
    const r = await send({ type: 'text', text: 'How do I fix the chain of my bicycle? Call me on +39 333 123 4567 or mail anna.rossi@example.com, file 123456789' });
    expect(r.replies[0]!.text).toMatch(/^I am not sure I understood|^Sorry, I did not understand/);
    expect(r.replies[0]!.choices!.map((c) => c.id)).toContain('cmd:human');
    const gaps = await app.knowledge.store.gaps();
    const gap = gaps.find((g) => g.textNormalized.includes('bicycle'))!;
    expect(gap).toMatchObject({ lang: 'en', count: 1, handled: false });
    expect(gap.textNormalized).not.toMatch(/\d{3}|anna|example/);
    const events = await app.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM events WHERE type = 'knowledge_gap'`);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(Object.keys(e.data).sort()).toEqual(['gapId', 'kind']); // an id, never the text
    expect(redactQuestion('ring 06 1234 5678, or me@x.org')).toBe('ring [phone] or [email]');
  });

  it('an unclear question gets a clarifying choice with "Shape my idea" and "Talk to a person"', async () => {
    const r = await send({ type: 'text', text: 'hmm maybe something for tomorrow or not' });
    expect(r.replies[0]!.text).toMatch(/^I am not sure I understood|^Sorry, I did not understand/);
    const ids = r.replies[0]!.choices!.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['flow:incubation', 'cmd:human']));
  });

  it('"I need help" gets what the bot can do', async () => {
    const r = await send({ type: 'text', text: 'I need help' });
    expect(r.replies[0]!.text).toBe('What would you like to do?');
    expect(r.replies[0]!.choices!.map((c) => c.id)).toContain('flow:incubation');
  });

  it("opens a space card from a deep link (a poster's QR code)", async () => {
    const r = await send({ type: 'text', text: '/start' }, 'space_officina_municipale');
    expect(r.replies[0]!.text).toMatch(/^Officina Municipale La Rustica — La Rustica/);
    expect(r.replies[0]!.text).toContain('Please check with the space before going');
    expect(r.replies[1]!.place).toMatchObject({ name: 'Officina Municipale La Rustica', lat: 41.9065, lng: 12.608 });
  });

  it('walking times', () => {
    expect([walkMinutes(0.3), walkMinutes(1.5), walkMinutes(4.9)]).toEqual([4, 20, 65]);
  });
});

describe('simulate --data with another directory', () => {
  it('answers about that directory only', async () => {
    const sim = await Simulator.create({ config: testConfig(), now: NOW, contentDir: 'test/content/other-city' });
    try {
      const lines = [
        '{"user":"a","text":"hello","lang":"en"}',
        '{"user":"a","choice":"know:spaces"}',
        '{"user":"a","choice":"know:list"}',
        '{"user":"a","text":"is Millepiani open?"}',
        '{"user":"a","text":"events this weekend"}',
      ];
      const out = [];
      for (const l of lines) out.push(await sim.line(l));
      const all = JSON.stringify(out);
      for (const name of ['Harbour Desk', 'Lantern Lab', 'Quiet Library Valmora', 'Welcome morning at the harbour']) expect(all).toContain(name);
      for (const rome of ['Millepiani Coworking', 'Impact Hub', 'Talent Garden', 'Garbatella', 'Pigneto']) expect(all).not.toContain(rome);
    } finally {
      await sim.close();
    }
  });
});
