/**
 * A person who never chose a language is counted and sent to in the configured default language
 * (`DEFAULT_LANGUAGE`), not in English: the same fallback as every other message outside a turn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/storage/db.js';
import { BroadcastStore } from '../src/storage/broadcast-store.js';
import { Store } from '../src/storage/store.js';
import { dbTarget, dbTargetNames } from './helpers.js';

describe.each(dbTargetNames())('broadcasts to a person without a language (%s)', (name) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('counts, records and claims them in the default language', async () => {
    const { target, cleanup } = await dbTarget(name);
    const db: Db = await openDatabase(target);
    cleanups.push(async () => {
      await db.close();
      await cleanup();
    });
    const now = new Date('2026-12-02T10:00:00Z');
    const store = new Store(db);
    const broadcasts = new BroadcastStore(db, 'it');
    const { person: nobody } = await store.resolvePerson('telegram', '1001', now);
    const { person: english } = await store.resolvePerson('telegram', '1002', now);
    await store.setLanguage(english.id, 'en', 'explicit');
    for (const p of [nobody, english]) await broadcasts.follow(p.id, 'all', '', now);

    expect(await broadcasts.audienceCounts({ allEvents: true }, ['telegram'])).toEqual([
      { channel: 'telegram', lang: 'en', people: 1 },
      { channel: 'telegram', lang: 'it', people: 1 },
    ]);
    // Asking for Italian readers includes the person who has no language.
    expect(await broadcasts.audienceCounts({ allEvents: true, languages: ['it'] }, ['telegram'])).toEqual([{ channel: 'telegram', lang: 'it', people: 1 }]);

    // Sent: each record is claimed with the language its text is picked in.
    const b = await broadcasts.createBroadcast({ spaceId: null, createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: 'Open day.', it: 'Porte aperte.' } } }, now);
    expect(await broadcasts.startBroadcast(b.id, ['telegram'], now)).toBe(2);
    const claimed = await broadcasts.claim(b.id, 'telegram', 10, now);
    expect(Object.fromEntries(claimed.map((c) => [c.personId, c.lang]))).toEqual({ [nobody.id]: 'it', [english.id]: 'en' });
  }, 60_000);
});
