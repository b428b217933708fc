/**
 * The content translation service against a real database (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set) and a local fake model server: translated once and cached, an edited
 * source translated again, rejected and reviewed rows, a slow or broken model, offline.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { configuredLlm } from '../../src/llm/client.js';
import { ContentTexts, translationSource } from '../../src/llm/content-translations.js';
import { silentLogger } from '../../src/logger.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { TranslationStore } from '../../src/storage/translation-store.js';
import { fakeJsonModel, type FakeJsonModel } from '../fake-json-model.js';
import { dbTarget, dbTargetNames, testConfig } from '../helpers.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const explainer = {
  title: { en: 'What is a coworking space?', it: "Che cos'è un coworking?" },
  text: { en: 'A shared place to work, open Mo-Fr 9:30-19:30.', it: 'Un luogo di lavoro condiviso, aperto lun-ven 9:30-19:30.' },
};

describe.each(dbTargetNames())('content translations on %s', (name) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let fake: FakeJsonModel;
  let store: TranslationStore;
  const clock = new FixedClock(NOW);
  const service = (opts: { llm?: boolean; waitMs?: number } = {}) =>
    new ContentTexts({ store, llm: opts.llm === false ? undefined : configuredLlm(testConfig({ OPENAI_BASE_URL: fake.url })), clock, log: silentLogger, waitMs: opts.waitMs ?? 3000 });

  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    store = new TranslationStore(db);
    fake = await fakeJsonModel();
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
    await cleanup?.();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM content_translations');
    fake.calls.length = 0;
    fake.mode = 'ok';
  });

  it('translates missing fields once from English, stores them as machine translations, and reuses them', async () => {
    const texts = service();
    const first = await texts.pickAll('explainer:what', explainer, 'fa');
    expect(first).toEqual({
      title: { text: '[Persian / Dari] What is a coworking space?', lang: 'fa', note: 'machine' },
      text: { text: '[Persian / Dari] A shared place to work, open Mo-Fr 9:30-19:30.', lang: 'fa', note: 'machine' },
    });
    expect(fake.calls).toHaveLength(1); // both fields in one call
    expect(fake.calls[0]!.system).toContain('from English into Persian / Dari');
    // Another reader, and a new service on the same database (a restart): no new call.
    expect((await texts.pick('explainer:what', 'text', explainer.text, 'fa'))?.note).toBe('machine');
    expect((await service().pickAll('explainer:what', explainer, 'fa')).text?.text).toBe('[Persian / Dari] A shared place to work, open Mo-Fr 9:30-19:30.');
    expect(fake.calls).toHaveLength(1);
    const rows = await store.list({ lang: 'fa' });
    expect(rows.map((r) => [r.ref, r.field, r.status, r.sourceLang])).toEqual(
      expect.arrayContaining([
        ['explainer:what', 'title', 'machine', 'en'],
        ['explainer:what', 'text', 'machine', 'en'],
      ]),
    );
    // A language the content has needs nothing: no lookup result, no call.
    expect(await texts.pickAll('explainer:what', explainer, 'it')).toEqual({
      title: { text: "Che cos'è un coworking?", lang: 'it', note: 'none' },
      text: { text: explainer.text.it, lang: 'it', note: 'none' },
    });
    expect(fake.calls).toHaveLength(1);
  });

  it('asks the model once when two readers need the same translation at the same time', async () => {
    fake.mode = 'slow';
    fake.delayMs = 300;
    const texts = service();
    const [a, b] = await Promise.all([texts.pickAll('space:x', { description: { it: 'Aperto a tutti.' } }, 'uk'), texts.pickAll('space:x', { description: { it: 'Aperto a tutti.' } }, 'uk')]);
    expect(a.description).toEqual({ text: '[Ukrainian] Aperto a tutti.', lang: 'uk', note: 'machine' });
    expect(b.description).toEqual(a.description);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.system).toContain('from Italian into Ukrainian');
  });

  it('an edited source is translated again; a rejected translation keeps the fallback until the source changes', async () => {
    const texts = service();
    const v1 = { en: 'Open on Monday.' };
    expect((await texts.pick('event:e1', 'description', v1, 'fa'))?.text).toBe('[Persian / Dari] Open on Monday.');
    const v2 = { en: 'Open on Tuesday.' };
    expect((await texts.pick('event:e1', 'description', v2, 'fa'))?.text).toBe('[Persian / Dari] Open on Tuesday.');
    expect(fake.calls).toHaveLength(2);
    expect(await store.list({ lang: 'fa' })).toHaveLength(1); // the stale row was replaced

    const row = (await store.list({ lang: 'fa' }))[0]!;
    await store.review(row.id, 'rejected', 1, NOW);
    expect(await texts.pick('event:e1', 'description', v2, 'fa')).toEqual({ text: 'Open on Tuesday.', lang: 'en', note: 'fallback' });
    expect(fake.calls).toHaveLength(2); // not translated again
    // The source changes: the rejection was about the old text.
    const v3 = { en: 'Open on Wednesday.' };
    expect(await texts.pick('event:e1', 'description', v3, 'fa')).toEqual({ text: '[Persian / Dari] Open on Wednesday.', lang: 'fa', note: 'machine' });
    expect(fake.calls).toHaveLength(3);
  });

  it("a reviewed text whose source changed: the bot shows a new machine translation with the note; the reviewer's text is kept as previous", async () => {
    const texts = service();
    const v1 = { en: 'Open on Monday.' };
    await texts.pick('event:e2', 'description', v1, 'fa');
    const row = (await store.list({ lang: 'fa' }))[0]!;
    await store.review(row.id, 'reviewed', 1, NOW, 'دوشنبه باز است.');
    expect(await texts.pick('event:e2', 'description', v1, 'fa')).toEqual({ text: 'دوشنبه باز است.', lang: 'fa', note: 'none' });
    // The source changes: the stale reviewed text is not shown as if current.
    const v2 = { en: 'Open on Monday and Tuesday.' };
    expect(await texts.pick('event:e2', 'description', v2, 'fa')).toEqual({ text: '[Persian / Dari] Open on Monday and Tuesday.', lang: 'fa', note: 'machine' });
    const now = (await store.get(row.id))!;
    expect(now).toMatchObject({ status: 'machine', sourceText: 'Open on Monday and Tuesday.', previous: { text: 'دوشنبه باز است.', sourceText: 'Open on Monday.' } });
    // Another change before anyone reviewed: the reviewer's text is still the one kept.
    const v3 = { en: 'Open from Monday to Wednesday.' };
    await texts.pick('event:e2', 'description', v3, 'fa');
    expect((await store.get(row.id))!.previous).toEqual({ text: 'دوشنبه باز است.', sourceText: 'Open on Monday.' });
    // A rejection keeps it; approving (or writing) a text for the new source clears it.
    await store.review(row.id, 'rejected', 1, NOW);
    expect((await store.get(row.id))!.previous?.text).toBe('دوشنبه باز است.');
    await store.review(row.id, 'reviewed', 1, NOW, 'از دوشنبه تا چهارشنبه باز است.');
    expect((await store.get(row.id))!.previous).toBeUndefined();
  });

  it('a reviewed or hand-written translation is shown without a note, also with no model configured', async () => {
    const texts = service();
    await texts.pick('space:m', 'description', { en: 'A quiet room.' }, 'fa');
    const row = (await store.list({ lang: 'fa' }))[0]!;
    await store.review(row.id, 'reviewed', 1, NOW, 'یک اتاق آرام.');
    const offline = service({ llm: false });
    expect(offline.machine).toBe(false);
    expect(await offline.pick('space:m', 'description', { en: 'A quiet room.' }, 'fa')).toEqual({ text: 'یک اتاق آرام.', lang: 'fa', note: 'none' });
    // Written by hand for a language nobody asked yet, no model involved.
    await store.putReviewed({ ref: 'space:m', field: 'description', lang: 'ti', sourceLang: 'en', sourceText: 'A quiet room.', text: 'ህዱእ ክፍሊ።' }, 1, NOW);
    expect(await offline.pick('space:m', 'description', { en: 'A quiet room.' }, 'ti')).toEqual({ text: 'ህዱእ ክፍሊ።', lang: 'ti', note: 'none' });
    // Offline with nothing stored: the fallback chain, exactly as before.
    expect(await offline.pick('space:m', 'description', { en: 'A quiet room.' }, 'uk')).toEqual({ text: 'A quiet room.', lang: 'en', note: 'fallback' });
    expect(fake.calls).toHaveLength(1);
  });

  it('lists use stored translations only: no model call, stale and rejected rows ignored', async () => {
    const texts = service();
    await texts.pick('event:a', 'title', { en: 'Networking night' }, 'fa');
    await texts.pick('event:b', 'title', { en: 'Italian practice' }, 'fa');
    const rejected = (await store.list({ lang: 'fa' })).find((r) => r.ref === 'event:b')!;
    await store.review(rejected.id, 'rejected', 1, NOW);
    const calls = fake.calls.length;
    const items = [
      { ref: 'event:a', fields: { en: 'Networking night' } },
      { ref: 'event:b', fields: { en: 'Italian practice' } },
      { ref: 'event:c', fields: { en: 'Not translated yet' } },
      { ref: 'event:d', fields: { en: 'x', fa: 'ایکس' } },
    ];
    expect(await texts.pickStored(items, 'title', 'fa')).toEqual([
      { text: '[Persian / Dari] Networking night', lang: 'fa', note: 'machine' },
      { text: 'Italian practice', lang: 'en', note: 'fallback' },
      { text: 'Not translated yet', lang: 'en', note: 'fallback' },
      { text: 'ایکس', lang: 'fa', note: 'none' },
    ]);
    // The source of event:a changed: its stored translation is stale.
    expect((await texts.pickStored([{ ref: 'event:a', fields: { en: 'Networking evening' } }], 'title', 'fa'))[0]?.note).toBe('fallback');
    expect(fake.calls.length).toBe(calls);
  });

  it('a model that is down, slow, or changes a number gives the fallback at once and stores nothing wrong', async () => {
    fake.mode = 'down';
    const texts = service({ waitMs: 300 });
    expect(await texts.pick('space:a', 'description', { en: 'Desk 5 euro.' }, 'fa')).toEqual({ text: 'Desk 5 euro.', lang: 'en', note: 'fallback' });

    fake.mode = 'number';
    expect(await texts.pick('space:b', 'description', { en: 'Desk 5 euro.' }, 'fa')).toEqual({ text: 'Desk 5 euro.', lang: 'en', note: 'fallback' });
    expect(await store.list()).toEqual([]); // a translation that adds "99" is refused, not cached
    // Not asked again on every message while it keeps failing.
    const calls = fake.calls.length;
    await texts.pick('space:b', 'description', { en: 'Desk 5 euro.' }, 'fa');
    expect(fake.calls.length).toBe(calls);

    fake.mode = 'slow';
    fake.delayMs = 1500;
    const started = Date.now();
    expect(await texts.pick('space:c', 'description', { en: 'Open at 9.' }, 'fa')).toEqual({ text: 'Open at 9.', lang: 'en', note: 'fallback' });
    expect(Date.now() - started).toBeLessThan(1200);
    // The translation finishes in the background and serves the next reader.
    await texts.idle();
    expect(await texts.pick('space:c', 'description', { en: 'Open at 9.' }, 'fa')).toEqual({ text: '[Persian / Dari] Open at 9.', lang: 'fa', note: 'machine' });
  });
});

describe('translation source', () => {
  it("prefers English, then Italian, then the reader's chain", () => {
    expect(translationSource({ it: 'ciao', en: 'hi', fr: 'salut' }, 'fa')).toEqual({ lang: 'en', text: 'hi' });
    expect(translationSource({ it: 'ciao', fr: 'salut' }, 'fa')).toEqual({ lang: 'it', text: 'ciao' });
    expect(translationSource({ ru: 'привет', fr: 'salut' }, 'ro')).toEqual({ lang: 'fr', text: 'salut' });
    expect(translationSource({ en: ' ' }, 'fa')).toBeUndefined();
  });
});
