/**
 * The staff portal in a real browser: a space's staff member logs in, writes an announcement in two
 * languages, picks the audience, sees the reach per channel and language and the exact preview
 * (including the WhatsApp template), sends it, watches the progress bar and reads the delivery report.
 * Screenshots go to docs/screenshots/staff-*.png (the space staff guide, docs/space-staff.*.md).
 */
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { authRoutes } from '../src/web/auth.js';
import { handoffConsole } from '../src/handoff/console.js';
import { fakeGraph, fakeTelegram, type FakeApi } from './channels/fakes.js';
import { broadcastApp } from './broadcast-support.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';

describe.runIf(hasChromium)('staff portal in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  const fakes = { tg: undefined as unknown as FakeApi, wa: undefined as unknown as FakeApi };

  beforeAll(async () => {
    fakes.tg = await fakeTelegram().start();
    fakes.wa = await fakeGraph().start();
    // A slow rate so the progress bar is seen moving.
    app = await broadcastApp({ kind: 'memory' }, fakes, { rate: 40 });
    await app.start(2);
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app), staffPortal(app)]));
    await addAccount(app, 'anna@millepiani.example', 'staff', 'a long staff password', 'millepiani');
    const s = app.broadcastStore;
    await s.seedSubscribers(120, { channel: 'telegram', idPrefix: 'P-BT', addressBase: 610_000_000 });
    await s.seedSubscribers(60, { channel: 'whatsapp', idPrefix: 'P-BW', addressBase: 39_320_000_0000, lastInboundAt: new Date(), lang: 'it' });
    await s.seedSubscribers(20, { channel: 'whatsapp', idPrefix: 'P-BO', addressBase: 39_321_000_0000, lastInboundAt: null, lang: 'ar' });
    // Some of them follow the space; the rest asked for all events.
    await app.db.query(`INSERT INTO follows (person_id, kind, value) SELECT id, 'space', 'millepiani' FROM people WHERE id LIKE 'P-B%' AND right(id, 1) IN ('1', '5')`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
    await fakes.tg?.close();
    await fakes.wa?.close();
  });

  it('announcement → audience → reach and preview → send → progress → report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => void (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`)));
    await page.goto(`${url}/staff`);
    expect(page.url()).toContain('/login');
    await page.fill('input[name=email]', 'anna@millepiani.example');
    await page.fill('input[name=password]', 'a long staff password');
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/staff`);

    await page.goto(`${url}/staff/new`);
    await page.fill('textarea[name=text_en]', 'Open day at Millepiani on Saturday at 10:00. Free coffee. Everyone is welcome.');
    await page.fill('textarea[name=text_it]', 'Open day a Millepiani sabato alle 10:00. Caffè gratis. Tutti sono benvenuti.');
    await page.fill('input[name=title]', 'Open day, Saturday 10:00');
    await page.check('input[name=all_events]');
    await page.screenshot({ path: 'docs/screenshots/staff-new.png', fullPage: true });
    await page.click('#preview-button');
    await page.waitForURL(/\/staff\/b\/\d+$/);
    expect(await page.locator('#reach').innerText()).toBe('200');
    const counts = await page.locator('#counts tbody tr').allInnerTexts();
    expect(counts.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual(['telegram English 120', 'whatsapp Arabic 20', 'whatsapp Italian 60']);
    // Arabic has no text: the nearest language is shown with a note, right to left; and the template for outside the window.
    expect(await page.locator('.bubble[data-lang=ar]').first().getAttribute('dir')).toBe('rtl');
    expect(await page.locator('.bubble[data-lang=ar]').first().innerText()).toContain('Open day at Millepiani');
    expect(await page.locator('.template[data-lang=ar]').innerText()).toContain('Open day, Saturday 10:00');
    await page.screenshot({ path: 'docs/screenshots/staff-preview.png', fullPage: true });

    await page.click('#send-now');
    await page.waitForSelector('#progress');
    await page.waitForFunction(() => Number((document.getElementById('progress') as HTMLProgressElement | null)?.value ?? 0) > 20);
    await page.screenshot({ path: 'docs/screenshots/staff-progress.png', fullPage: true });
    await page.waitForSelector('#report #sent', { timeout: 30_000 });
    await page.waitForFunction(() => !document.getElementById('progress'), undefined, { timeout: 30_000 });
    expect(await page.locator('h1').innerText()).toMatch(/: done$/);
    expect(await page.locator('#sent').innerText()).toBe('200');
    await page.screenshot({ path: 'docs/screenshots/staff-report.png', fullPage: true });
    expect(fakes.tg.requests.filter((r) => r.path.endsWith('/sendMessage'))).toHaveLength(120);
    expect(fakes.wa.requests.filter((r) => r.body.type === 'template')).toHaveLength(20);
    // Every page and asset loaded (the browser asks for a favicon we do not have: its 404 is the only one allowed).
    expect(errors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 404'))).toEqual([]);
    await ctx.close();
  }, 90_000);
});
