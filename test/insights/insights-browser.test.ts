import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../../src/app.js';
import { sections } from '../../src/insights/queries.js';
import { insightsMounter } from '../../src/insights/mount.js';
import { InsightsStore } from '../../src/storage/insights-store.js';
import { hasChromium, launchBrowser, serveApp } from '../browser.js';
import { testConfig } from '../helpers.js';
import { testGuard } from './guard.js';
import { seedHistory, seedInto } from './seed.js';

const NOW = new Date('2026-11-20T10:00:00Z');

describe.runIf(hasChromium)('insights dashboard in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  const seeded = seedHistory({ people: 500, days: 90, now: NOW });
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, clock: { now: () => NOW } });
    await seedInto(new InsightsStore(app.db), seeded);
    ({ url, server } = await serveApp(app, [insightsMounter(app, testGuard)]));
    browser = await launchBrowser();
    mkdirSync('docs/screenshots', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
  });

  it('a coordinator opens each section; charts draw under the strict CSP; a CSV downloads', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', extraHTTPHeaders: { 'x-test-role': 'coordinator' }, acceptDownloads: true });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${url}/insights?period=90d`);
    expect(res?.status()).toBe(200);
    await page.screenshot({ path: 'docs/screenshots/insights-overview.png' });
    for (const section of Object.keys(sections)) {
      await page.locator(`nav a[href="#${section}"]`).click();
      const el = page.locator(`section#${section}`);
      await expect.poll(() => el.isVisible()).toBe(true);
      expect(await el.locator('figure').count()).toBe(sections[section as keyof typeof sections].length);
      await el.screenshot({ path: `docs/screenshots/insights-${section}.png` });
    }
    // Charts are drawn (bars have a width) and styled by the stylesheet file.
    expect(await page.locator('#chart-reach_language svg rect.bar').count()).toBeGreaterThan(5);
    const fill = await page
      .locator('#chart-reach_language svg rect.bar')
      .first()
      .evaluate((e) => getComputedStyle(e).fill);
    expect(fill).toBe('rgb(0, 114, 178)');
    // Text alternative: the table opens.
    await page.locator('#chart-reach_language summary').click();
    await expect.poll(() => page.locator('#chart-reach_language table').isVisible()).toBe(true);
    // The CSV link (fetched with the session's credentials: the test guard's header is not sent by
    // the browser's download manager, a real login cookie is).
    const href = await page.locator('#chart-topics a.csv').getAttribute('href');
    const csv = await context.request.get(`${url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(/filename="insights-topics-.*\.csv"/);
    expect((await csv.text()).split('\r\n')[0]).toBe('Item,Requests,People');
    // The filter form works: Italian, last 7 days, one language.
    await page.goto(`${url}/insights?period=7d&ui=it`);
    await page.selectOption('select[name=lang]', 'uk');
    await page.getByRole('button', { name: 'Mostra', exact: true }).click();
    await expect.poll(() => page.url()).toContain('lang=uk');
    expect(await page.locator('h1').textContent()).toBe('Dati d’uso');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('is readable on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, extraHTTPHeaders: { 'x-test-role': 'admin' } });
    const page = await context.newPage();
    await page.goto(`${url}/insights?period=30d`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'docs/screenshots/insights-phone.png' });
    await context.close();
  });

  it('a facilitator or staff account is refused', async () => {
    for (const role of ['facilitator', 'staff']) {
      const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-role': role } });
      const page = await context.newPage();
      const res = await page.goto(`${url}/insights`);
      expect(res?.status()).toBe(403);
      expect(await page.content()).not.toContain('Reach');
      await context.close();
    }
  });
});
