/**
 * CSRF on every staff form, on the assembly `coworkbot start` serves, with real accounts:
 * - every POST form of every staff page carries the session's `_csrf` token;
 * - in a real browser (chromium), a coordinator logs in and clicks each POST button of the insights
 *   dashboard (Mark handled, Reopen, Show text, Hide text): each is accepted (303), none is refused.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { InsightsStore } from '../src/storage/insights-store.js';
import { hasChromium, launchBrowser } from './browser.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';
import { seedHistory, seedInto } from './insights/seed.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const PASSWORD = 'correct horse battery';

let served: Assembly;
let url: string;

beforeAll(async () => {
  const app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7' }), db: { kind: 'memory' }, embeddedQueue: true, clock: { now: () => NOW } });
  await seedInto(new InsightsStore(app.db), seedHistory({ people: 200, days: 60, now: NOW }));
  served = assembleServer(app);
  url = `http://127.0.0.1:${(await served.listen(0, '127.0.0.1')).port}`;
  await addAccount(app, 'admin@example.org', 'admin', PASSWORD);
  await addAccount(app, 'coord@example.org', 'coordinator', PASSWORD);
  await addAccount(app, 'desk@example.org', 'staff', PASSWORD, 'millepiani');
});
afterAll(() => served?.close());

/** Every `<form method="post">` of a page, with whether it carries the token. */
function postForms(page: string, csrf: string): { action: string; hasToken: boolean }[] {
  return [...page.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/gi)].map((m) => ({
    action: /action="([^"]*)"/.exec(m[0])?.[1] ?? '?',
    hasToken: m[1]!.includes(`name="_csrf" value="${csrf}"`),
  }));
}

describe('staff forms', () => {
  it('every POST form on every staff page carries the session token', async () => {
    // A person waiting for a facilitator, a draft broadcast and an event: the pages show their forms.
    await served.app.bot.handle({ channel: 'web', address: 'w_formsformsformsformsforms', externalId: 'f1', receivedAt: NOW, content: { type: 'text', text: 'talk to a person' } });
    const person = (await served.app.store.findPerson('web', 'w_formsformsformsformsforms'))!;
    const admin = (await login(url, 'admin@example.org', PASSWORD)).client!;
    const desk = (await login(url, 'desk@example.org', PASSWORD)).client!;
    const b = await served.app.broadcastStore.createBroadcast({ spaceId: 'millepiani', createdBy: 'staff:1', audience: { spaces: ['millepiani'] }, messages: { text: { en: 'Hello' } } }, NOW);
    const pages: [StaffClient, string][] = [
      [admin, '/console'],
      [admin, `/console/c/${person.id}`],
      [admin, '/console/canned'],
      [admin, '/console/users'],
      [admin, '/console/audit'],
      [admin, '/insights?period=90d'],
      [admin, '/translations'],
      [desk, '/staff'],
      [desk, '/staff/new'],
      [desk, `/staff/b/${b.id}`],
      [desk, '/staff/events'],
      [desk, '/staff/events/new'],
      [desk, '/staff/space/millepiani'],
      [desk, '/staff/link'],
    ];
    let forms = 0;
    for (const [client, path] of pages) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      const csrf = /<meta name="csrf" content="([^"]+)"/.exec(html)?.[1] ?? client.csrf;
      for (const f of postForms(html, csrf)) {
        forms++;
        expect(f.hasToken, `${path}: form to ${f.action}`).toBe(true);
      }
    }
    expect(forms).toBeGreaterThan(20);
  });
});

describe.runIf(hasChromium)('the insights dashboard in a real browser, behind a real login', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('a coordinator clicks each POST button and every action is accepted', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const posts: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().includes('/insights/gaps/')) posts.push(r.status());
    });
    await page.goto(`${url}/login?next=${encodeURIComponent('/insights?period=90d')}`);
    await page.fill('input[name=email]', 'coord@example.org');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/insights');

    const gaps = page.locator('#chart-gaps table.gaps tbody tr');
    expect(await gaps.count()).toBeGreaterThan(1);
    // Each action, then its undo, on the first row that offers it; the page comes back with the change.
    const steps: [button: string, then: string][] = [
      ['Mark handled', 'Reopen'],
      ['Reopen', 'Mark handled'],
      ['Show text', 'Hide text'],
      ['Hide text', 'Show text'],
    ];
    for (const [button, then] of steps) {
      const row = gaps.filter({ has: page.getByRole('button', { name: button, exact: true }) }).first();
      const id = await row.locator('form').first().getAttribute('action');
      await row.getByRole('button', { name: button, exact: true }).click();
      await page.waitForLoadState('load');
      expect(posts.at(-1), button).toBe(303);
      const same = gaps.filter({ has: page.locator(`form[action="${id}"]`) }).first();
      expect(await same.getByRole('button', { name: then, exact: true }).count(), `${button} → ${then}`).toBe(1);
    }
    expect(posts).toEqual([303, 303, 303, 303]);
    await context.close();
  });
});
