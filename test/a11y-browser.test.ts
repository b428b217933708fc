/**
 * Accessibility: axe-core runs on every page people and staff open (web chat, login, the console's
 * queue, inbox and conversation, the staff portal, insights, translations), logged out and logged
 * in, with an English and an Arabic browser. No serious or critical violation is allowed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
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

/**
 * The serious and critical violations on the page, one line each (rule, impact, first targets).
 * Legacy mode runs `axe.run` in the page itself: the default (`runPartial` in each frame, then
 * `finishRun` in a new blank page that gets axe injected again) exists for cross-origin iframes, which
 * these pages do not have (no `<iframe>` in src/). Same rules on the same DOM, without a second page
 * and a second copy of axe per check (56 checks in this file).
 */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).setLegacyMode().analyze();
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
        const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale });
        const page = await logIn(ctx, url, 'admin@example.org', 'a long admin password');
        const found: string[] = [];
        for (const path of paths(personId)) {
          const res = await page.goto(`${url}${path}`);
          expect(res?.status(), path).toBe(200);
          found.push(...(await violations(page)));
        }
        expect(found).toEqual([]);
        await ctx.close();
      }, 120_000);
    }

    it(`staff portal on a phone, logged in as a space's staff (${locale})`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 800 }, locale });
      const page = await logIn(ctx, url, 'sara@example.org', 'a long staff password');
      const found: string[] = [];
      for (const path of ['/staff', '/staff/space', '/staff/events', '/staff/new', '/staff/poster', '/staff/link']) {
        const res = await page.goto(`${url}${path}`);
        expect(res?.status(), path).toBe(200);
        found.push(...(await violations(page)));
      }
      expect(found).toEqual([]);
      await ctx.close();
    });
  }
});
