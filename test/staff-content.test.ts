/**
 * Staff edits to the knowledge content: the store (validation, events, space edits) and the overlay
 * the bot answers from (edited hours, a staff event in "events tomorrow", a cancelled event gone with
 * its reminders), kept across a CSV re-import. PGlite always; PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import type { HandleResult } from '../src/core/types.js';
import { StaffContentError, type StaffEventInput } from '../src/storage/staff-content-store.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';

// Thursday 26 November 2026, 10:00 in Rome.
const NOW = new Date('2026-11-26T10:00:00+01:00');
const TOMORROW_18 = new Date('2026-11-27T18:00:00+01:00');

const event = (over: Partial<StaffEventInput> = {}): StaffEventInput => ({
  spaceId: 'millepiani',
  title: { it: 'Laboratorio di bici', en: 'Bike repair workshop' },
  description: { it: 'Porta la tua bici. Attrezzi per tutti.' },
  sourceLang: 'it',
  start: TOMORROW_18,
  end: new Date(TOMORROW_18.getTime() + 2 * 3_600_000),
  price: 'free',
  topics: ['culture'],
  languages: ['it', 'en'],
  ...over,
});

describe.each(dbTargetNames())('staff content (%s)', (name) => {
  let app: App;
  let cleanup: () => Promise<void>;
  const address = `test:${randomUUID()}`;
  const send = (content: { type: 'text'; text: string } | { type: 'choice'; id: string }): Promise<HandleResult> =>
    app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: NOW, content, languageHint: 'en' });

  beforeAll(async () => {
    const db = await dbTarget(name);
    cleanup = db.cleanup;
    app = await createApp({ config: testConfig(), db: db.target, embeddedQueue: true, clock: new FixedClock(NOW) });
    await send({ type: 'text', text: 'hello' });
    await send({ type: 'choice', id: 'cmd:language' });
    await send({ type: 'choice', id: 'lang:en' });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('refuses invalid fields with one message per field, like the CSV import', async () => {
    const err = await app.staffContent
      .createEvent(event({ title: { it: '' }, start: new Date('nope'), topics: ['cooking' as never], languages: ['xx'], price: 'cheap' as never }), 'staff:1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaffContentError);
    expect(Object.keys((err as StaffContentError).fields).sort()).toEqual(['languages', 'price', 'start', 'title_it', 'topics']);
    const end = await app.staffContent.createEvent(event({ end: new Date(TOMORROW_18.getTime() - 60_000) }), 'staff:1').catch((e: unknown) => e);
    expect((end as StaffContentError).fields).toEqual({ end: 'ends before it starts' });
    const space = await app.staffContent.createEvent(event({ spaceId: 'nowhere' }), 'staff:1').catch((e: unknown) => e);
    expect((space as StaffContentError).fields.spaceId).toMatch(/no space/);
    const hours = await app.staffContent.saveSpaceEdit('millepiani', { hours: 'Mo-Fr 9-', services: ['wifi', 'jacuzzi' as never] }, 'staff:1').catch((e: unknown) => e);
    expect(Object.keys((hours as StaffContentError).fields).sort()).toEqual(['hours', 'services']);
    expect(await app.staffContent.listEvents('millepiani')).toEqual([]);
  });

  it('answers with edited hours, keeps the edit across a re-import and indexes the new description', async () => {
    await app.staffContent.saveSpaceEdit(
      'millepiani',
      { hours: 'Mo-Sa 07:15-22:45', descriptions: { it: 'Spazio con ciclofficina aperta a tutti.', en: 'A space with a bike workshop open to everyone.' }, sourceLang: 'it' },
      'staff:1',
    );
    const card = await send({ type: 'text', text: 'Millepiani' });
    expect(card.replies.map((r) => r.text).join('\n')).toContain('07:15');
    expect(card.replies.map((r) => r.text).join('\n')).toContain('bike workshop');

    // The same CSV imported again (e.g. the nightly re-import): the edit stays.
    await app.knowledge.importDir('data/demo', NOW);
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Sa 07:15-22:45');
    const docs = await app.db.query<{ body: string }>(`SELECT body FROM knowledge_docs WHERE ref = 'space:millepiani' AND kind = 'description'`);
    expect(docs.map((d) => d.body).join(' ')).toContain('ciclofficina');
    // A second edit of one field keeps the others.
    await app.staffContent.saveSpaceEdit('millepiani', { priceNote: 'Prima settimana gratis.' }, 'staff:1');
    expect(app.knowledge.space('millepiani')).toMatchObject({ hours: 'Mo-Sa 07:15-22:45', priceNote: 'Prima settimana gratis.' });
    // A new import (fresh process) still lays the edits over the CSV.
    await app.db.query(`DELETE FROM knowledge_meta`);
    await app.knowledge.importDir('data/demo', NOW);
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Sa 07:15-22:45');
  });

  it('another process notices staff changes made elsewhere', async () => {
    const { KnowledgeBase } = await import('../src/knowledge/knowledge-base.js');
    const elsewhere = new KnowledgeBase(app.db, 'Europe/Rome');
    await elsewhere.open('data/demo', NOW);
    expect(await elsewhere.refreshIfStale()).toBe(false);
    await app.staffContent.saveSpaceEdit('impact_hub_roma', { hours: 'Mo-Fr 08:00-18:00' }, 'staff:2');
    expect(elsewhere.space('impact_hub_roma')!.hours).toBe('Mo-Fr 09:00-20:00');
    expect(await elsewhere.refreshIfStale()).toBe(true);
    expect(elsewhere.space('impact_hub_roma')!.hours).toBe('Mo-Fr 08:00-18:00');
  });

  it('answers a staff event in "events tomorrow"; a cancelled one disappears, with its reminders', async () => {
    const id = await app.staffContent.createEvent(event(), 'staff:1');
    expect(id).toMatch(/^s\.\d+$/);
    const list = await send({ type: 'text', text: 'events tomorrow' });
    expect(list.replies[0]!.text).toContain('Bike repair workshop');
    expect(list.replies[0]!.choices!.map((c) => c.id)).toContain(`know:e:${id}`);
    const card = await send({ type: 'choice', id: `know:e:${id}` });
    expect(card.replies[0]!.text).toContain('Bike repair workshop');
    const set = await send({ type: 'choice', id: `know:r:${id}` });
    expect(set.replies[0]!.text).toMatch(/remind you/);
    const personId = set.personId!;
    expect((await app.knowledge.store.reminders(personId)).map((x) => x.eventId)).toEqual([id, id]);

    // Edited: the new title is answered.
    expect(await app.staffContent.updateEvent(id, event({ title: { it: 'Ciclofficina aperta', en: 'Open bike workshop' } }), 'staff:1')).toBe(true);
    expect(app.knowledge.event(id)!.titles.en).toBe('Open bike workshop');

    expect(await app.staffContent.cancelEvent(id, 'staff:1')).toBe(true);
    expect(await app.staffContent.cancelEvent(id, 'staff:1')).toBe(false);
    expect(app.knowledge.event(id)).toBeUndefined();
    const after = await send({ type: 'text', text: 'events tomorrow' });
    expect(after.replies[0]!.text).not.toContain('bike workshop');
    expect(await app.knowledge.store.reminders(personId)).toEqual([]);
    // The person is told once, in their language.
    const told = (await app.store.history(personId)).filter((m) => m.direction === 'out' && JSON.stringify(m.body).includes('was cancelled'));
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.body)).toContain('Open bike workshop');
    expect(await app.staffContent.updateEvent(id, event(), 'staff:1')).toBe(false);
    expect((await app.staffContent.listEvents('millepiani', { includeCancelled: true })).map((e) => e.status)).toEqual(['cancelled']);
  });

  it('moving an event moves the reminders people set (row and queued job) and tells them once', async () => {
    const id = await app.staffContent.createEvent(event({ title: { it: 'Cena insieme', en: 'Dinner together' } }), 'staff:1');
    await send({ type: 'text', text: 'events tomorrow' });
    await send({ type: 'choice', id: `know:e:${id}` });
    const set = await send({ type: 'choice', id: `know:r:${id}` });
    const personId = set.personId!;
    const runAts = async () =>
      (await app.knowledge.store.reminders(personId))
        .filter((r) => r.eventId === id)
        .map((r) => [r.offsetName, r.runAt.toISOString()])
        .sort();
    const jobAt = async (offset: string) => (await app.db.query<{ run_at: Date }>('SELECT run_at FROM jobs WHERE key = $1', [`reminder:${personId}:${id}:${offset}`]))[0]?.run_at;
    const movedNotices = async () =>
      (await app.store.history(personId)).filter((m) => m.direction === 'out' && JSON.stringify(m.body).includes('Dinner together') && JSON.stringify(m.body).includes('moved'));
    expect(await runAts()).toEqual([
      ['day', '2026-11-26T17:00:00.000Z'],
      ['hour', '2026-11-27T16:00:00.000Z'],
    ]);

    // A new title only: nothing moves, nobody is told.
    expect(await app.staffContent.updateEvent(id, event({ title: { it: 'Cena insieme', en: 'Dinner together' }, description: { it: 'Porta qualcosa.' } }), 'staff:1')).toBe(true);
    expect(await movedNotices()).toHaveLength(0);

    // One day and one hour later: both reminders (and their queued jobs) move by 25 hours.
    const later = new Date(TOMORROW_18.getTime() + 25 * 3_600_000);
    expect(await app.staffContent.updateEvent(id, event({ title: { it: 'Cena insieme', en: 'Dinner together' }, start: later, end: new Date(later.getTime() + 3_600_000) }), 'staff:1')).toBe(true);
    expect(await runAts()).toEqual([
      ['day', '2026-11-27T18:00:00.000Z'],
      ['hour', '2026-11-28T17:00:00.000Z'],
    ]);
    expect(new Date((await jobAt('day'))!).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(new Date((await jobAt('hour'))!).toISOString()).toBe('2026-11-28T17:00:00.000Z');
    const told = await movedNotices();
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.body)).toMatch(/The event “Dinner together” moved: now Sat.*28.*19:00/);

    // Moved to today at noon: the day-before reminder is too late (cancelled), the hour one moves to 11:00.
    const noon = new Date('2026-11-26T12:00:00+01:00');
    expect(await app.staffContent.updateEvent(id, event({ title: { it: 'Cena insieme', en: 'Dinner together' }, start: noon, end: new Date(noon.getTime() + 3_600_000) }), 'staff:1')).toBe(true);
    expect(await runAts()).toEqual([['hour', '2026-11-26T10:00:00.000Z']]);
    expect((await app.knowledge.store.reminders(personId, 'cancelled')).filter((r) => r.eventId === id).map((r) => r.offsetName)).toEqual(['day']);
    expect(await movedNotices()).toHaveLength(2);
  });
});
