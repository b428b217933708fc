/**
 * The staff portal's space card and events in a real browser: a space's staff member edits the
 * space card (in Italian: the browser prefers it), creates an event in Italian, asks for machine
 * drafts of the other languages (a local fake model), corrects one, saves, opens "Broadcast this
 * event", sees the preview, sends it and reads the report. Screenshots go to
 * docs/screenshots/staff-*.png (the space staff guide, docs/space-staff.*.md).
 */
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { wallTime } from '../src/knowledge/time.js';
import { handoffConsole } from '../src/handoff/console.js';
import { authRoutes } from '../src/web/auth.js';
import { fakeGraph, fakeTelegram, type FakeApi } from './channels/fakes.js';
import { broadcastApp } from './broadcast-support.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';
import { fakeTranslator } from './staff-support.js';

describe.runIf(hasChromium)('staff portal: space card and events in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  let model: Awaited<ReturnType<typeof fakeTranslator>>;
  const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };

  beforeAll(async () => {
    fakes.tg = await fakeTelegram().start();
    fakes.wa = await fakeGraph().start();
    model = await fakeTranslator();
    app = await broadcastApp({ kind: 'memory' }, fakes, { rate: 200, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test-key' } });
    await app.start(2);
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app), staffPortal(app)]));
    await addAccount(app, 'anna@millepiani.example', 'staff', 'a long staff password', 'millepiani');
    await app.broadcastStore.seedSubscribers(30, { channel: 'telegram', idPrefix: 'P-ET', addressBase: 620_000_000 });
    await app.broadcastStore.seedSubscribers(10, { channel: 'whatsapp', idPrefix: 'P-EW', addressBase: 39_330_000_0000, lastInboundAt: new Date(), lang: 'it' });
    // They follow the space (not "all events"): the event's default audience reaches them.
    await app.db.query(`DELETE FROM follows WHERE person_id LIKE 'P-E%'`);
    await app.db.query(`INSERT INTO follows (person_id, kind, value) SELECT id, 'space', 'millepiani' FROM people WHERE id LIKE 'P-E%'`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
    await fakes.tg?.close();
    await fakes.wa?.close();
    await model?.close();
  });

  it('space card (Italian) → new event → draft translations → save → broadcast this event → preview → send → report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'it-IT' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => void (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`)));
    await page.goto(`${url}/staff`);
    await page.fill('input[name=email]', 'anna@millepiani.example');
    await page.fill('input[name=password]', 'a long staff password');
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/staff`);

    // The space card, in Italian (the browser prefers it).
    await page.click('text=Il mio spazio');
    await page.waitForURL(`${url}/staff/space/millepiani`);
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await page.fill('input[name=hours]', 'Mo-Fr 09:30-19:30; Sa 10:00-13:00');
    await page.check('input[name=services][value=childcare]');
    await page.screenshot({ path: 'docs/screenshots/staff-space.png', fullPage: true });
    await page.click('#save-space');
    await page.waitForURL(/saved=1/);
    expect(await page.locator('.ok').innerText()).toContain('Salvato');
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Fr 09:30-19:30; Sa 10:00-13:00');

    // Switch to English for the rest.
    await page.click('#ui-lang');
    await page.waitForURL(`${url}/staff/space/millepiani`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.click('header >> text=Events');
    await page.click('#new-event');
    const tomorrow = wallTime(new Date(Date.now() + 86_400_000), 'Europe/Rome');
    const date = `${tomorrow.year}-${String(tomorrow.month).padStart(2, '0')}-${String(tomorrow.day).padStart(2, '0')}`;
    await page.selectOption('#source-switch select', 'it');
    await page.click('#source-switch button');
    await page.waitForURL(/lang=it/);
    await page.fill('input[name=title_it]', 'Ciclofficina aperta');
    await page.fill('textarea[name=description_it]', 'Porta la tua bici: la ripariamo insieme, dalle 18 alle 20.');
    await page.fill('input[name=date]', date);
    await page.fill('input[name=start]', '18:00');
    await page.fill('input[name=end]', '20:00');
    await page.check('input[name=topics][value=culture]');
    await page.check('input[name=languages][value=en]');
    await page.click('#draft-button');
    await page.waitForSelector('#draft-note');
    expect(await page.locator('input[name=title_fr]').inputValue()).toBe('[French] Ciclofficina aperta');
    expect(await page.locator('.lang-block[data-lang=fr] mark.draft').innerText()).toBe('machine draft — please check');
    await page.fill('input[name=title_en]', 'Open bike workshop');
    await page.locator('#other-langs').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/staff-event-draft.png', fullPage: true });
    await page.click('#save-event');
    await page.waitForURL(/\/staff\/events\?space=millepiani&saved=/);
    const id = new URL(page.url()).searchParams.get('saved')!;
    expect(app.knowledge.event(id)!.titles).toMatchObject({ it: 'Ciclofficina aperta', en: 'Open bike workshop', fr: '[French] Ciclofficina aperta' });
    await page.screenshot({ path: 'docs/screenshots/staff-events.png', fullPage: true });

    await page.click(`tr[data-event="${id}"] .broadcast-event`);
    await page.waitForURL(`${url}/staff/events/${id}/broadcast`);
    expect(await page.locator('.bubble[data-lang=en]').innerText()).toContain('New event at Millepiani Coworking: Open bike workshop');
    await page.screenshot({ path: 'docs/screenshots/staff-event-broadcast.png', fullPage: true });
    await page.click('#preview-button');
    await page.waitForURL(/\/staff\/b\/\d+$/);
    expect(await page.locator('#reach').innerText()).toBe('40');
    expect(await page.locator('.bubble[data-lang=it]').first().innerText()).toContain('Nuovo evento a Millepiani Coworking: Ciclofficina aperta');
    await page.screenshot({ path: 'docs/screenshots/staff-event-preview.png', fullPage: true });
    await page.click('#send-now');
    await page.waitForSelector('#report #sent', { timeout: 30_000 });
    await page.waitForFunction(() => !document.getElementById('progress'), undefined, { timeout: 30_000 });
    expect(await page.locator('#sent').innerText()).toBe('40');
    await page.screenshot({ path: 'docs/screenshots/staff-event-report.png', fullPage: true });
    const sent = fakes.tg.requests.filter((r) => r.path.endsWith('/sendMessage'));
    expect(sent).toHaveLength(30);
    expect(JSON.stringify(sent[0]!.body)).toContain('Open bike workshop');
    expect(errors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 404'))).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('pressing Enter in a text field saves (the event form and the space card); it never asks for drafts', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    const posts: string[] = [];
    page.on('request', (r) => void (r.method() === 'POST' && posts.push(r.postData() ?? '')));
    await page.goto(`${url}/staff`);
    await page.fill('input[name=email]', 'anna@millepiani.example');
    await page.fill('input[name=password]', 'a long staff password');
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/staff`);
    const calls = model.calls;
    posts.length = 0;

    await page.goto(`${url}/staff/events/new?space=millepiani&lang=en`);
    const tomorrow = wallTime(new Date(Date.now() + 86_400_000), 'Europe/Rome');
    await page.fill('input[name=date]', `${tomorrow.year}-${String(tomorrow.month).padStart(2, '0')}-${String(tomorrow.day).padStart(2, '0')}`);
    await page.fill('input[name=start]', '17:00');
    await page.check('input[name=topics][value=culture]');
    await page.fill('input[name=title_en]', 'Board games afternoon');
    await page.press('input[name=title_en]', 'Enter');
    await page.waitForURL(/\/staff\/events\?space=millepiani&saved=/);
    const id = new URL(page.url()).searchParams.get('saved')!;
    expect(app.knowledge.event(id)!.titles).toEqual({ en: 'Board games afternoon' });
    expect(posts).toHaveLength(1);
    expect(new URLSearchParams(posts[0]!).getAll('action')).toEqual(['save']);

    // The space card: Enter in the hours field saves too.
    await page.goto(`${url}/staff/space/millepiani`);
    await page.fill('input[name=hours]', 'Mo-Fr 09:00-19:00');
    await page.press('input[name=hours]', 'Enter');
    await page.waitForURL(/\/staff\/space\/millepiani\?saved=1/);
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Fr 09:00-19:00');
    expect(posts).toHaveLength(2);
    expect(new URLSearchParams(posts[1]!).getAll('action')).toEqual(['save']);
    expect(model.calls).toBe(calls); // no draft was asked for

    // The draft button still drafts the description when clicked.
    await page.click('#draft-space');
    await page.waitForSelector('#draft-note');
    expect(await page.locator('.lang-block[data-lang=es] textarea').inputValue()).toMatch(/^\[Spanish\] /);
    expect(model.calls).toBeGreaterThan(calls);
    await page.locator('#space-other-langs').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/staff-space-draft.png', fullPage: true });
    await ctx.close();
  }, 60_000);
});
