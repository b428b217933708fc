/**
 * One staff shell for the console, the staff portal, insights and translations: the same header,
 * the sections a role may open, the language switch (remembered across sections) and log out;
 * a space's name, not its id; nothing in the header wraps on a phone. Screenshots for the README.
 */
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { langSwitchHref, sectionsFor } from '../src/web/staff-shell.js';
import { hasChromium, launchBrowser, logIn, serveAssembly } from './browser.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';

describe('staff shell: sections and the language switch', () => {
  it('opens to each role only its sections', () => {
    expect(sectionsFor('admin').map((s) => s.id)).toEqual(['inbox', 'portal', 'insights', 'translations']);
    expect(sectionsFor('coordinator').map((s) => s.id)).toEqual(['inbox', 'portal', 'insights', 'translations']);
    expect(sectionsFor('facilitator').map((s) => s.id)).toEqual(['inbox']);
    expect(sectionsFor('staff').map((s) => s.id)).toEqual(['portal']);
  });

  it('switches language and comes back to the same page (an insights ui= is dropped: the cookie decides)', () => {
    expect(langSwitchHref('en', '/staff/events')).toBe('/staff-lang?l=it&back=%2Fstaff%2Fevents');
    expect(langSwitchHref('it', '/insights?period=7d&ui=it')).toBe(`/staff-lang?l=en&back=${encodeURIComponent('/insights?period=7d')}`);
  });
});

describe.runIf(hasChromium)('staff shell in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  beforeAll(async () => {
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7' }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
    ({ url, server } = await serveAssembly(app));
    await addAccount(app, 'coord@example.org', 'coordinator', 'a long coordinator password');
    await addAccount(app, 'sara@example.org', 'staff', 'a long staff password', 'famo_cose');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
  });

  it('a coordinator moves between the four sections under one header, in Italian once chosen', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
    const page = await logIn(ctx, url, 'coord@example.org', 'a long coordinator password');
    const sections = page.locator('header.shell-bar nav.sections a');
    const header = async () => ({ sections: await sections.allTextContents(), current: await page.locator('nav.sections a[aria-current="page"]').textContent() });
    await page.goto(`${url}/console/inbox`);
    expect(await header()).toEqual({ sections: ['Inbox', 'Spaces & announcements', 'Insights', 'Translations'], current: 'Inbox' });
    await sections.filter({ hasText: 'Insights' }).click();
    await page.waitForURL(`${url}/insights`);
    expect((await header()).current).toBe('Insights');
    // The switch remembers Italian for every section.
    await page.click('#ui-lang');
    await page.waitForURL(`${url}/insights`);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    expect(await page.locator('h1').textContent()).toBe('Dati d’uso');
    await sections.filter({ hasText: 'Spazi e annunci' }).click();
    await page.waitForURL(`${url}/staff`);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    expect((await header()).current).toBe('Spazi e annunci');
    await sections.filter({ hasText: 'Traduzioni' }).click();
    await page.waitForURL(`${url}/translations`);
    expect(await page.locator('main h1').textContent()).toBe('Traduzioni dei contenuti');
    expect(await page.getByRole('button', { name: 'Mostra', exact: true }).count()).toBe(1);
    await sections.filter({ hasText: 'Conversazioni' }).click();
    await page.waitForURL(`${url}/console/inbox`);
    expect(await page.locator('nav.subnav a[aria-current="page"]').textContent()).toBe('Conversazioni');
    // One log-out, the same everywhere.
    expect(await page.locator('header.shell-bar form[action="/logout"] button').textContent()).toBe('Esci');
    await page.screenshot({ path: 'docs/screenshots/staff-shell.png' });
    await page.click('header.shell-bar form[action="/logout"] button');
    await page.waitForURL(`${url}/login`);
    await ctx.close();
  });

  it('a space’s staff on a phone: the space’s name, not its id, and no wrapped navigation', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' });
    const page = await logIn(ctx, url, 'sara@example.org', 'a long staff password');
    await page.goto(`${url}/staff/space`);
    const bar = page.locator('header.shell-bar');
    expect(await bar.locator('.space').textContent()).toBe('Famo Cose');
    expect(await bar.textContent()).not.toContain('famo_cose');
    expect(await bar.locator('nav.sections a').allTextContents()).toEqual(['Spaces & announcements']);
    // Every navigation link is one line high ("My space" does not break in two).
    await bar.locator('nav.subnav a', { hasText: 'My space' }).waitFor();
    const links = await bar.locator('nav a').evaluateAll((all) =>
      all.map((a) => {
        const s = getComputedStyle(a);
        return { text: a.textContent, height: a.getBoundingClientRect().height, oneLine: parseFloat(s.lineHeight) + parseFloat(s.paddingTop) + parseFloat(s.paddingBottom) };
      }),
    );
    expect(links.length).toBeGreaterThan(4);
    for (const l of links) expect(l.height, l.text!).toBeLessThanOrEqual(l.oneLine + 1);
    // The page itself does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // A staff account has no console or insights section, and the pages refuse it.
    expect((await page.goto(`${url}/insights`))?.status()).toBe(403);
    await page.goto(`${url}/staff`);
    await page.screenshot({ path: 'docs/screenshots/staff-shell-phone.png' });
    await ctx.close();
  });
});
