/**
 * Machine translation of content through the whole bot: a Persian reader opens an explainer topic
 * and a space card that have no Persian text; the model (a local fake) is asked once, the result is
 * cached in the database and survives a restart, a reviewed translation loses the note, and a model
 * that is down gives the offline fallback. Runs on PGlite (a data directory, reopened) and on
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import type { DbTarget } from '../src/storage/db.js';
import { fakeJsonModel, type FakeJsonModel } from './fake-json-model.js';
import { dbTargetNames, freshPostgres, testConfig } from './helpers.js';

const NOW = new Date('2026-11-26T10:00:00+01:00');
/** A reply without the invisible bidi marks the renderer adds for a Persian reader. */
const plain = (s: string) => s.replace(/[\u200E\u200F\u2066-\u2069]/g, '');
const MACHINE_FA = 'این متن به‌طور خودکار ترجمه شده است.';
const NOT_TRANSLATED_SHORT_FA = (JSON.parse(readFileSync('locales/fa/knowledge.json', 'utf8')) as { notTranslatedShort: string }).notTranslatedShort;

/** The demo content with the first explainer topic's Persian text removed. */
function contentDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-content-'));
  copyFileSync('data/demo/spaces.csv', join(dir, 'spaces.csv'));
  copyFileSync('data/demo/events.csv', join(dir, 'events.csv'));
  const explainer = parse(readFileSync('data/explainer.yaml', 'utf8')) as { topics: { id: string; title: Record<string, string>; text: Record<string, string> }[] };
  delete explainer.topics[0]!.title.fa;
  delete explainer.topics[0]!.text.fa;
  writeFileSync(join(dir, 'explainer.yaml'), stringify(explainer));
  return dir;
}

describe.each(dbTargetNames())('machine translation of content in the chat (%s)', (name) => {
  let fake: FakeJsonModel;
  let dir: string;
  let target: DbTarget;
  let cleanup: () => Promise<void>;
  const translationCalls = () => fake.calls.filter((c) => c.system.includes('coworking-space guide')).length;

  beforeAll(async () => {
    fake = await fakeJsonModel();
    dir = contentDir();
    if (name === 'pglite') {
      const dbDir = mkdtempSync(join(tmpdir(), 'cwb-db-'));
      target = { kind: 'dir', dir: dbDir };
      cleanup = async () => rmSync(dbDir, { recursive: true, force: true });
    } else {
      const pg = await freshPostgres();
      target = { kind: 'postgres', url: pg.url };
      cleanup = pg.drop;
    }
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
    await cleanup?.();
  });

  async function withApp<T>(
    env: Record<string, string>,
    fn: (ask: (id: string) => Promise<string[]>, app: App, labels: (id: string) => Promise<string[]>, lastLabels: () => string[]) => Promise<T>,
  ): Promise<T> {
    const app = await createApp({ config: testConfig({ CONTENT_DIR: dir, ...env }), db: target, embeddedQueue: true, clock: new FixedClock(NOW) });
    try {
      const address = `test:${randomUUID()}`;
      const send = async (content: { type: 'text'; text: string } | { type: 'choice'; id: string }, startPayload?: string) =>
        app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: NOW, content, languageHint: 'fa', startPayload });
      await send({ type: 'text', text: 'سلام' });
      await send({ type: 'choice', id: 'cmd:language' });
      await send({ type: 'choice', id: 'lang:fa' });
      // A topic through the explainer menu; a space card through its deep link (a poster's QR code).
      let last: string[] = [];
      const ask = async (id: string) => {
        const [, kind, arg] = id.split(':');
        if (kind === 't') await send({ type: 'choice', id: 'know:explain' });
        const res = kind === 's' ? await send({ type: 'text', text: '/start' }, `space_${arg}`) : await send({ type: 'choice', id });
        last = res.replies.flatMap((r) => r.choices ?? []).map((c) => plain(c.label));
        return res.replies.map((r) => plain(r.text ?? ''));
      };
      const labels = async (id: string) => (await send({ type: 'choice', id })).replies.flatMap((r) => r.choices ?? []).map((c) => plain(c.label));
      return await fn(ask, app, labels, () => last);
    } finally {
      await app.close();
    }
  }

  it('translates a missing explainer text once, shows it with the note, and reuses it after a restart', async () => {
    const online = { OPENAI_BASE_URL: fake.url };
    await withApp(online, async (ask) => {
      const [reply] = await ask('know:t:what_is_coworking');
      expect(reply).toBe(
        `[Persian / Dari] What is a coworking space?\n\n[Persian / Dari] A coworking space is a shared place to work. Different people go there to work, study or meet others. Each person does their own work, but they share the room, the internet and often a kitchen. Many of these spaces are open to everyone.\n\n${MACHINE_FA}`,
      );
      expect(translationCalls()).toBe(1);
      expect((await ask('know:t:what_is_coworking'))[0]).toBe(reply);
      // A topic that has Persian text needs no model.
      expect((await ask('know:t:cost'))[0]).not.toContain('[Persian');
      expect(translationCalls()).toBe(1);
    });
    await withApp(online, async (ask, _app, labels) => {
      expect((await ask('know:t:what_is_coworking'))[0]).toContain(`[Persian / Dari] A coworking space is a shared place to work.`);
      expect(translationCalls()).toBe(1); // cached in the database, not asked again
      // The topic list's button uses the stored title too (lists never call the model).
      expect((await labels('know:explain'))[0]).toBe('[Persian / Dari] What is a coworking space?');
      expect(translationCalls()).toBe(1);
    });
  });

  it('a space card gets its description translated with the note; a reviewed translation shows without it, also offline', async () => {
    await withApp({ OPENAI_BASE_URL: fake.url }, async (ask, app) => {
      const [card] = await ask('know:s:millepiani');
      expect(card).toContain(`[Persian / Dari] A coworking space in a public building in Garbatella, open since 2012.`);
      expect(card).toContain(`(${MACHINE_FA})`);
      // The card translates the space's price note too; this is about the description.
      const row = (await app.translationStore.list({ lang: 'fa' })).find((t) => t.ref === 'space:millepiani' && t.field === 'description')!;
      expect(row).toMatchObject({ field: 'description', status: 'machine', sourceLang: 'en' });
      await app.translationStore.review(row.id, 'reviewed', 1, NOW, 'یک فضای کار اشتراکی در گارباتلا، از سال 2012.');
      const note = (await app.translationStore.list({ lang: 'fa' })).find((t) => t.ref === 'space:millepiani' && t.field === 'price_note')!;
      await app.translationStore.review(note.id, 'reviewed', 1, NOW);
    });
    // No model configured: the reviewed text is still used, with no note.
    await withApp({}, async (ask) => {
      const [card] = await ask('know:s:millepiani');
      expect(card).toContain('یک فضای کار اشتراکی در گارباتلا، از سال 2012.');
      expect(card).not.toContain(MACHINE_FA);
    });
  });

  it("a reviewed translation of an event title is used in the space card's event lines and buttons (stored only, no model call)", async () => {
    const FA_TITLE = 'شب گفت‌وگو به زبان ایتالیایی';
    await withApp({ OPENAI_BASE_URL: fake.url }, async (ask, app, _labels, lastLabels) => {
      await app.translationStore.putReviewed(
        { ref: 'event:italian_evening_garbatella', field: 'title', lang: 'fa', sourceLang: 'en', sourceText: 'Italian conversation evening', text: FA_TITLE },
        1,
        NOW,
      );
      const replies = await ask('know:s:millepiani');
      expect(replies[0]).toMatch(new RegExp(`• .+ — ${FA_TITLE}`));
      expect(replies[0]).not.toContain('Italian conversation evening');
      expect(lastLabels()).toContain(FA_TITLE);
      // Event lists and buttons never call the model.
      expect(fake.calls.some((c) => c.user.includes('Italian conversation evening'))).toBe(false);
    });
  });

  it('a model that is down gives the offline fallback with its note, and no error', async () => {
    const before = translationCalls();
    fake.mode = 'down';
    try {
      await withApp({ OPENAI_BASE_URL: fake.url }, async (ask, app) => {
        const [card] = await ask('know:s:talent_garden_ostiense');
        expect(card).toContain(NOT_TRANSLATED_SHORT_FA);
        expect(card).not.toContain('[Persian');
        expect(translationCalls()).toBe(before + 1);
        expect((await app.translationStore.list({ lang: 'fa' })).some((t) => t.ref === 'space:talent_garden_ostiense')).toBe(false);
      });
    } finally {
      fake.mode = 'ok';
    }
  });
});
