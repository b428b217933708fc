/**
 * The demo content in every language: the machine-drafted translations shipped in
 * data/demo/translations/<lang>.csv are stored for review at start and shown, marked "translated
 * automatically", to a Bengali, Tigrinya or Persian reader, with Gregorian dates; a coordinator's
 * review is never overwritten, and a draft of an older source text is never shown.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { checkContentTranslations, readSeeds, seedTranslations } from '../src/knowledge/translation-seeds.js';
import { dataDir } from '../src/knowledge/content.js';
import { formatterFor } from '../src/i18n/format.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';

const plain = (s: string | undefined) => (s ?? '').replace(/[\u200E\u200F\u2066-\u2069]/g, '');
const demo = join(dataDir, 'demo');
const seedText = (lang: string, ref: string, field: string) => readSeeds(demo).find((r) => r.lang === lang && r.ref === ref && r.field === field)!.text;

describe.each(dbTargetNames())('demo content translations (%s)', (name) => {
  let app: App;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const db = await dbTarget(name);
    cleanup = db.cleanup;
    app = await createApp({ config: testConfig(), db: db.target, embeddedQueue: true });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const send = (address: string, lang: string, content: { type: 'text'; text: string } | { type: 'choice'; id: string }) =>
    app.bot.handle({ channel: 'web', address, externalId: `${address}:${Math.random()}`, receivedAt: new Date(), content, languageHint: lang });

  it('are stored at start as machine translations waiting for review, in every language', async () => {
    const rows = await app.translationStore.list({ status: 'machine', limit: 10_000 });
    const langs = new Set(rows.map((r) => r.lang));
    for (const lang of ['it', 'fr', 'es', 'ar', 'fa', 'ps', 'ur', 'bn', 'uk', 'ru', 'ti', 'so', 'zh', 'tl', 'ro']) expect(langs, lang).toContain(lang);
    expect(rows.length).toBe(readSeeds(demo).length);
    // Starting again stores nothing twice.
    expect(await seedTranslations(demo, app.knowledge.content, app.translationStore, new Date())).toBe(0);
  });

  it('a Bengali reader sees a space in Bengali, its price note too, marked as translated automatically', async () => {
    await send('bn-1', 'bn', { type: 'text', text: 'হ্যালো' });
    await send('bn-1', 'bn', { type: 'choice', id: 'know:spaces' });
    await send('bn-1', 'bn', { type: 'choice', id: 'know:list' });
    const card = await send('bn-1', 'bn', { type: 'choice', id: 'know:s:millepiani' });
    const text = plain(card.replies[0]!.text);
    expect(text).toContain(seedText('bn', 'space:millepiani', 'description'));
    expect(text).toContain(seedText('bn', 'space:millepiani', 'price_note'));
    expect(text).toContain(JSON.parse(readFileSync('locales/bn/core.json', 'utf8')).machineNote);
    expect(text).not.toMatch(/Born to let people work/);
  });

  it('a Tigrinya and a Persian reader see events in their script with Gregorian dates', async () => {
    const start = app.knowledge.event('cv_job_clinic')!.start;
    for (const [lang, hello] of [
      ['ti', 'ሰላም'],
      ['fa', 'سلام'],
    ] as const) {
      await send(`${lang}-ev`, lang, { type: 'text', text: hello });
      const list = await send(`${lang}-ev`, lang, { type: 'choice', id: 'know:events' });
      const text = plain(list.replies[0]!.text);
      expect(text, lang).toContain(seedText(lang, 'event:cv_job_clinic', 'title'));
      // The day in full words, Gregorian month, ASCII digits ("پنجشنبه 3 دسمبر، 18:30").
      const when = formatterFor(lang, app.config.server.timezone).dateTime(start, new Date());
      expect(text, lang).toContain(when);
      expect(when, lang).toMatch(/\d/);
      expect(text, lang).not.toMatch(/آذر|بهمن|قوس|جدی|CV and job clinic/);
      const card = await send(`${lang}-ev`, lang, { type: 'choice', id: 'know:e:cv_job_clinic' });
      expect(plain(card.replies[0]!.text), lang).toContain(seedText(lang, 'event:cv_job_clinic', 'description'));
    }
  });

  it('never overwrites a coordinator’s review', async () => {
    const row = (await app.translationStore.forRecord('space:wire', 'so')).get('description')!;
    await app.translationStore.review(row.id, 'reviewed', 1, new Date(), 'Qoraal la hubiyay.');
    await seedTranslations(demo, app.knowledge.content, app.translationStore, new Date());
    const after = (await app.translationStore.forRecord('space:wire', 'so')).get('description')!;
    expect(after.status).toBe('reviewed');
    expect(after.text).toBe('Qoraal la hubiyay.');
  });
});

describe('seed files against changed content', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const copy = () => {
    const d = mkdtempSync(join(tmpdir(), 'content-'));
    dirs.push(d);
    cpSync(demo, d, { recursive: true });
    return d;
  };
  const opts = { now: new Date('2026-11-27T09:00:00+01:00'), timezone: 'Europe/Rome' };

  it('the demo content is translated into every language (locales check is clean)', () => {
    expect(checkContentTranslations(demo, opts)).toEqual([]);
  });

  it('reports a missing translation and a draft of an older source text', () => {
    const d = copy();
    // Reword one English description; drop one Urdu row.
    const spaces = join(d, 'spaces.csv');
    writeFileSync(spaces, readFileSync(spaces, 'utf8').replace('A small coworking in Testaccio run by a creative agency.', 'A small coworking in Testaccio run by a design studio.'));
    const ur = join(d, 'translations', 'ur.csv');
    writeFileSync(
      ur,
      readFileSync(ur, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('event:lake_coworking_day,title'))
        .join('\n'),
    );
    const issues = checkContentTranslations(d, opts).map((i) => `${i.kind} ${i.lang} ${i.key}`);
    expect(issues).toContain('missing-content ur event:lake_coworking_day title');
    // Every language whose draft of the Latte Creative description translates the old English.
    expect(issues.filter((i) => i.endsWith('space:latte_creative description') && i.startsWith('missing-content')).length).toBeGreaterThanOrEqual(11);
  });

  it('a draft of an older source text is not stored, so the reader gets the fallback, not a wrong text', async () => {
    const d = copy();
    const spaces = join(d, 'spaces.csv');
    writeFileSync(spaces, readFileSync(spaces, 'utf8').replace('A small coworking in Testaccio run by a creative agency.', 'A small coworking in Testaccio run by a design studio.'));
    const app = await createApp({ config: testConfig({ CONTENT_DIR: d }), db: { kind: 'memory' }, embeddedQueue: true });
    try {
      const stored = await app.translationStore.forRecord('space:latte_creative', 'bn');
      expect(stored.get('description')).toBeUndefined();
      expect(stored.get('price_note')?.status).toBe('machine');
    } finally {
      await app.close();
    }
  });
});
