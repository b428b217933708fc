/**
 * The `/translations` review page in a real browser (chromium, strict CSP): a coordinator logs in,
 * approves one machine translation, edits another, writes a missing one by hand; a staff account is
 * refused, and a form without the CSRF token is refused.
 */
import { mkdirSync } from 'node:fs';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { translatableContent } from '../src/knowledge/translatable.js';
import { translationsPage } from '../src/knowledge/translations-page.js';
import { translationSource } from '../src/llm/content-translations.js';
import { authRoutes } from '../src/web/auth.js';
import { handoffConsole } from '../src/handoff/console.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount, login } from './console-helpers.js';
import { testConfig, demoWithoutDrafts } from './helpers.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const PASSWORD = 'correct horse battery';

describe.runIf(hasChromium)('content translation review page in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    // Without the shipped drafts: this page starts with the two machine translations made here.
    app = await createApp({ config: testConfig({ CONTENT_DIR: demoWithoutDrafts() }), db: { kind: 'memory' }, embeddedQueue: true, clock: { now: () => NOW } });
    const records = new Map(translatableContent(app.knowledge.content).map((r) => [r.ref, r]));
    for (const [ref, text] of [
      ['space:millepiani', '[fa] Millepiani'],
      ['space:impact_hub_roma', '[fa] Impact Hub'],
    ] as const) {
      const source = translationSource(records.get(ref)!.fields.description!, 'fa')!;
      const row = await app.translationStore.putMachine({ ref, field: 'description', lang: 'fa', sourceLang: source.lang, sourceText: source.text, text }, NOW);
      ids[ref] = row!.id;
    }
    await addAccount(app, 'coord@example.org', 'coordinator', PASSWORD);
    await addAccount(app, 'staff@example.org', 'staff', PASSWORD, 'millepiani');
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app), translationsPage(app)]));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
  });

  it('a coordinator approves, edits and writes translations; the bot then shows them without the note', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${url}/translations`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=email]', 'coord@example.org');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/translations/);
    expect(await page.locator('h1').textContent()).toBe('Content translations');
    // Both machine translations are listed, next to their English source.
    const first = page.locator(`#t${ids['space:millepiani']}`);
    expect(await first.locator('td').nth(1).textContent()).toContain('A coworking space in a public building in Garbatella');
    expect(await page.locator('tbody tr').count()).toBe(2);
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/translations-review.png', fullPage: true });

    await first.locator('button[value=approve]').click();
    await page.waitForSelector('.notice');
    expect(await page.locator('.notice').textContent()).toBe('Approved.');
    expect((await app.translationStore.get(ids['space:millepiani']!))?.status).toBe('reviewed');
    // The default view lists what is left to review.
    expect(await page.locator('tbody tr').count()).toBe(1);

    const second = page.locator(`#t${ids['space:impact_hub_roma']}`);
    await second.locator('textarea').fill('ایمپکت هاب: فضای کار اشتراکی.');
    await second.locator('button[value=save]').click();
    await page.waitForSelector('.notice');
    expect(await app.translationStore.get(ids['space:impact_hub_roma']!)).toMatchObject({ status: 'reviewed', text: 'ایمپکت هاب: فضای کار اشتراکی.', reviewedBy: expect.any(Number) });

    // Persian, every status: both reviewed rows, and the texts still missing in Persian to write by hand.
    await page.selectOption('select[name=lang]', 'fa');
    await page.selectOption('select[name=status]', 'all');
    await page.click('.filters button');
    await page.waitForURL(/lang=fa/);
    expect(await page.locator('table').first().locator('.status.reviewed').count()).toBe(2);
    const missing = page.locator('tr[data-missing="space:talent_garden_ostiense|description"]');
    await missing.locator('textarea').fill('تلنت گاردن: فضای کار.');
    await missing.locator('button').click();
    await page.waitForSelector('.notice');
    expect(await page.locator('.notice').textContent()).toBe('Translation saved.');
    const written = (await app.translationStore.list({ lang: 'fa' })).find((t) => t.ref === 'space:talent_garden_ostiense');
    expect(written).toMatchObject({ status: 'reviewed', text: 'تلنت گاردن: فضای کار.', sourceLang: 'en' });
    expect(await page.locator('tr[data-missing="space:talent_garden_ostiense|description"]').count()).toBe(0);

    // Reject the edited one: it goes back to the fallback for readers.
    await page.locator(`#t${ids['space:impact_hub_roma']} button[value=reject]`).click();
    await page.waitForSelector('.notice');
    expect((await app.translationStore.get(ids['space:impact_hub_roma']!))?.status).toBe('rejected');
    const impact = app.knowledge.content.spaces.find((s) => s.id === 'impact_hub_roma')!;
    expect((await app.contentTexts.pick('space:impact_hub_roma', 'description', impact.descriptions, 'fa'))?.note).toBe('fallback');
    const talent = app.knowledge.content.spaces.find((s) => s.id === 'talent_garden_ostiense')!;
    expect(await app.contentTexts.pick('space:talent_garden_ostiense', 'description', talent.descriptions, 'fa')).toEqual({ text: 'تلنت گاردن: فضای کار.', lang: 'fa', note: 'none' });

    expect(violations).toEqual([]);
    await context.close();
  });

  it('a staff account is refused; a form without the CSRF token is refused', async () => {
    const staff = (await login(url, 'staff@example.org', PASSWORD, '10.0.0.7')).client!;
    expect((await staff.get('/translations')).status).toBe(403);
    expect((await staff.post(`/translations/${ids['space:millepiani']}`, { action: 'reject' }, { csrf: null })).status).toBe(403);
    const coord = (await login(url, 'coord@example.org', PASSWORD, '10.0.0.8')).client!;
    expect((await coord.post(`/translations/${ids['space:millepiani']}`, { action: 'reject' }, { csrf: null })).status).toBe(403);
    expect((await app.translationStore.get(ids['space:millepiani']!))?.status).toBe('reviewed');
    // Logged out: sent to the login page.
    const anon = await fetch(`${url}/translations`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/login?next=%2Ftranslations');
  });

  it('warns (does not block) when a hand edit changes a number or link', async () => {
    const coord = (await login(url, 'coord@example.org', PASSWORD, '10.0.0.9')).client!;
    const source = 'Open 9:30-19:00. See https://example.org/a.';
    const row = await app.translationStore.putMachine(
      { ref: 'explainer:cost', field: 'text', lang: 'uk', sourceLang: 'en', sourceText: source, text: 'Відкрито 9:30-19:00. Дивіться https://example.org/a.' },
      NOW,
    );
    const edit = await coord.post(`/translations/${row!.id}`, { action: 'save', text: 'Відкрито 9:30-18:00. Дивіться https://example.org/b.', back: 'lang=uk&status=all' });
    expect(edit.status).toBe(303);
    expect(edit.headers.get('location')).toContain('check=1');
    expect(await app.translationStore.get(row!.id)).toMatchObject({ status: 'reviewed', text: 'Відкрито 9:30-18:00. Дивіться https://example.org/b.' });
    const page = await (await coord.get(edit.headers.get('location')!)).text();
    expect(page).toContain('Numbers or links differ from the source: see the warning next to the text.');
    const cell = page.slice(page.indexOf(`id="t${row!.id}"`), page.indexOf('</tr>', page.indexOf(`id="t${row!.id}"`)));
    expect(cell).toContain('numbers or links differ from the source: −19, −https://example.org/a, +18, +https://example.org/b');
    // A faithful edit: no warning.
    const fine = await coord.post(`/translations/${row!.id}`, { action: 'save', text: 'Працює 9:30-19:00. https://example.org/a.', back: 'lang=uk&status=all' });
    expect(fine.headers.get('location')).not.toContain('check=1');
    const after = await (await coord.get('/translations?lang=uk&status=all')).text();
    expect(after).not.toContain('numbers or links differ');
    // Written by hand for a missing text: saved, and warned about the same way.
    const missing = await coord.post('/translations/new', { ref: 'explainer:cost', field: 'title', lang: 'uk', text: 'Скільки це коштує? 5 євро' });
    expect(missing.headers.get('location')).toContain('check=1');
  });

  it('a reviewed text whose source changed is offered as "previous reviewed text" next to the new machine translation', async () => {
    const coord = (await login(url, 'coord@example.org', PASSWORD, '10.0.0.10')).client!;
    await app.translationStore.putReviewed({ ref: 'space:millepiani', field: 'description', lang: 'so', sourceLang: 'en', sourceText: 'An old description.', text: 'Sharaxaad hore.' }, 1, NOW);
    const millepiani = app.knowledge.content.spaces.find((s) => s.id === 'millepiani')!;
    const source = translationSource(millepiani.descriptions, 'so')!;
    const row = (await app.translationStore.putMachine({ ref: 'space:millepiani', field: 'description', lang: 'so', sourceLang: source.lang, sourceText: source.text, text: '[so] machine' }, NOW))!;
    expect(row).toMatchObject({ status: 'machine', previous: { text: 'Sharaxaad hore.', sourceText: 'An old description.' } });
    // The bot shows the new machine text with its note, never the stale reviewed one.
    expect(await app.contentTexts.pick('space:millepiani', 'description', millepiani.descriptions, 'so')).toEqual({ text: '[so] machine', lang: 'so', note: 'machine' });
    const page = await (await coord.get('/translations?lang=so&status=all')).text();
    const cell = page.slice(page.indexOf(`id="t${row.id}"`), page.indexOf('</tr>', page.indexOf(`id="t${row.id}"`)));
    expect(cell).toContain('Previous reviewed text (source changed)');
    expect(cell).toContain('Sharaxaad hore.');
    expect(cell).toContain('It translated: An old description.');
    expect(cell).toContain('[so] machine');
    // "Use the previous text": reviewed again, for the new source.
    const use = await coord.post(`/translations/${row.id}`, { action: 'save', text: 'Sharaxaad hore.', back: 'lang=so&status=all' });
    expect(use.status).toBe(303);
    expect(await app.translationStore.get(row.id)).toMatchObject({ status: 'reviewed', text: 'Sharaxaad hore.', sourceText: source.text });
    expect((await app.translationStore.get(row.id))!.previous).toBeUndefined();
    expect(await app.contentTexts.pick('space:millepiani', 'description', millepiani.descriptions, 'so')).toEqual({ text: 'Sharaxaad hore.', lang: 'so', note: 'none' });
  });
});
