/**
 * Accessibility: axe-core runs on every page people and staff open (web chat, login, the console's
 * queue, inbox and conversation, the staff portal, insights, translations), logged out and logged
 * in, with an English and an Arabic browser. No serious or critical violation is allowed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { hasChromium, launchBrowser, logIn, serveAssembly } from './browser.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';

/**
 * The demo content with a few machine-drafted translations per language (one of each field) instead
 * of all ~930: the review page then shows every language and every kind of row, and axe reads ~800
 * elements instead of ~3,500 (26 s a page on a busy machine, for the same markup repeated).
 */
function demoWithFewDrafts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-a11y-'));
  for (const f of ['spaces.csv', 'events.csv']) copyFileSync(join('data', 'demo', f), join(dir, f));
  const from = join('data', 'demo', 'translations');
  mkdirSync(join(dir, 'translations'));
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  for (const file of readdirSync(from).filter((f) => f.endsWith('.csv'))) {
    const rows = parseCsv(readFileSync(join(from, file), 'utf8'), { columns: true }) as Record<'ref' | 'field' | 'source' | 'text', string>[];
    const seen = new Map<string, number>();
    const kept = rows.filter((r) => {
      seen.set(r.field, (seen.get(r.field) ?? 0) + 1);
      return seen.get(r.field) === 1;
    });
    const lines = ['ref,field,source,text', ...kept.map((r) => [r.ref, r.field, r.source, r.text].map(cell).join(','))];
    writeFileSync(join(dir, 'translations', file), `${lines.join('\n')}\n`);
  }
  return dir;
}

/** The rule sets checked: WCAG 2.0 and 2.1 A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * The serious and critical violations on the page, one line each (rule, impact, first targets).
 * axe-core runs in the page itself: `@axe-core/playwright` (legacy mode) does the same `axe.run`, but
 * sends axe's ~600 kB source into the page twice per check (once in `analyze`, again for each frame;
 * these pages have no `<iframe>`), and its default mode adds a blank page and a third copy.
 * `resultTypes: ['violations']` keeps every violating node, and one node of each passed or incomplete
 * rule instead of all of them: less to gather and send out of the page (the rules run are the same).
 * Checked on a page with eleven kinds of violation: the same rules, impacts and nodes as the builder.
 */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = await page.evaluate((options) => (window as unknown as { axe: typeof axe }).axe.run(document, options), {
    runOnly: { type: 'tag' as const, values: TAGS },
    resultTypes: ['violations' as const],
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${new URL(page.url()).pathname} ${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

describe.runIf(hasChromium)('accessibility (axe) on every page', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  let personId: string;
  let content: string;
  /** Each account's session (its cookies), logged in once through the real form in beforeAll. */
  let sessions: Record<'admin' | 'staff', Awaited<ReturnType<BrowserContext['storageState']>>>;
  beforeAll(async () => {
    content = demoWithFewDrafts();
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7', CONTENT_DIR: content }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
    ({ url, server } = await serveAssembly(app));
    await addAccount(app, 'admin@example.org', 'admin', 'a long admin password');
    await addAccount(app, 'sara@example.org', 'staff', 'a long staff password', 'famo_cose');
    // Someone waits for a facilitator: the queue and the conversation have content.
    const address = 'w_a11ya11ya11ya11ya11ya11y';
    await app.bot.handle({ channel: 'web', address, externalId: 'a1', receivedAt: new Date(), content: { type: 'text', text: 'hello' } });
    await app.bot.handle({ channel: 'web', address, externalId: 'a2', receivedAt: new Date(), content: { type: 'choice', id: 'cmd:human' } });
    personId = (await app.store.findPerson('web', address))!.id;
    browser = await launchBrowser();
    // One login per account for the file (it was one per test: eight scrypt checks and form round
    // trips for the same two sessions). The session holds no language: each test's context still
    // sends its own locale; the login pages are checked in each locale's logged-out test.
    const session = async (email: string, password: string) => {
      const ctx = await browser.newContext();
      await logIn(ctx, url, email, password);
      const state = await ctx.storageState();
      await ctx.close();
      return state;
    };
    sessions = { admin: await session('admin@example.org', 'a long admin password'), staff: await session('sara@example.org', 'a long staff password') };
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.close();
    if (content) rmSync(content, { recursive: true, force: true });
  });

  for (const locale of ['en-GB', 'ar']) {
    it(`web chat and login, logged out (${locale})`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 780 }, locale });
      const page = await ctx.newPage();
      const found: string[] = [];
      await page.goto(url);
      found.push(...(await violations(page)));
      await page.fill('#text', locale === 'ar' ? 'مرحبا' : 'hello');
      await page.click('#send');
      await page.locator('.msg.bot .choices button').last().waitFor();
      await page.locator('button[data-choice="know:spaces"]').last().click();
      await page.locator('button[data-choice="know:list"]').last().click();
      await page.getByText('Impact Hub Roma', { exact: false }).first().waitFor();
      found.push(...(await violations(page)));
      await page.goto(`${url}/login`);
      found.push(...(await violations(page)));
      await page.goto(`${url}/login?error=invalid`);
      found.push(...(await violations(page)));
      expect(found).toEqual([]);
      await ctx.close();
    });

    const groups: Record<string, (personId: string) => string[]> = {
      console: (p) => ['/console', '/console/inbox', `/console/inbox?c=${p}`, `/console/c/${p}`, '/console/canned', '/console/users', '/console/audit'],
      'staff portal': () => ['/staff', '/staff/new', '/staff/space', '/staff/space/famo_cose', '/staff/events?space=famo_cose', '/staff/events/new?space=famo_cose', '/staff/poster', '/staff/link'],
      'insights and translations': () => ['/insights', '/translations', '/translations?lang=ar&status=all'],
    };
    for (const [group, paths] of Object.entries(groups)) {
      it(`${group}, logged in as admin (${locale})`, async () => {
        const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale, storageState: sessions.admin });
        const page = await ctx.newPage();
        const found: string[] = [];
        for (const path of paths(personId)) {
          const res = await page.goto(`${url}${path}`);
          expect(res?.status(), path).toBe(200);
          expect(new URL(page.url()).pathname, `${path}: still logged in`).not.toBe('/login');
          found.push(...(await violations(page)));
        }
        expect(found).toEqual([]);
        await ctx.close();
      }, 120_000);
    }

    it(`staff portal on a phone, logged in as a space's staff (${locale})`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 800 }, locale, storageState: sessions.staff });
      const page = await ctx.newPage();
      const found: string[] = [];
      for (const path of ['/staff', '/staff/space', '/staff/events', '/staff/new', '/staff/poster', '/staff/link']) {
        const res = await page.goto(`${url}${path}`);
        expect(res?.status(), path).toBe(200);
        expect(new URL(page.url()).pathname, `${path}: still logged in`).not.toBe('/login');
        found.push(...(await violations(page)));
      }
      expect(found).toEqual([]);
      await ctx.close();
    });
  }
});
