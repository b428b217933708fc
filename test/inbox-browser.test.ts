/**
 * The facilitators' inbox in a real browser: the queue (safety first, language, channel, unread)
 * beside the open conversation (newest at the bottom, composer under it, original and translation
 * with a model configured) and its context; a facilitator handles three conversations in a row
 * without a page reload; a keyboard-only walk; the same on a phone. Screenshot: docs/screenshots/inbox.png.
 */
import AxeBuilder from '@axe-core/playwright';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { hasChromium, launchBrowser, serveAssembly } from './browser.js';
import { addAccount } from './console-helpers.js';
import { fakeOpenAI } from './fake-openai.js';
import { testConfig } from './helpers.js';

let n = 0;
/** A person writes on the web chat (as the chat API would hand it to the bot). */
async function write(app: App, address: string, content: { type: 'text'; text: string } | { type: 'choice'; id: string }): Promise<void> {
  await app.bot.handle({ channel: 'web', address, externalId: `inbox-${++n}`, receivedAt: new Date(), content });
}

async function personOf(app: App, address: string): Promise<string> {
  return (await app.store.findPerson('web', address))!.id;
}

async function staffSaid(app: App, personId: string): Promise<string[]> {
  return (await app.store.history(personId)).filter((m) => m.author.startsWith('facilitator:')).map((m) => (m.body as { text: string }).text);
}

async function logIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/login?next=/console/inbox`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'a long facilitator password');
  await page.click('button[type=submit]');
  await page.waitForURL(`${url}/console/inbox`);
}

describe.runIf(hasChromium)('facilitator inbox in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  let llm: Awaited<ReturnType<typeof fakeOpenAI>>;
  beforeAll(async () => {
    llm = await fakeOpenAI();
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7', OPENAI_BASE_URL: llm.url }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(2);
    ({ url, server } = await serveAssembly(app));
    await addAccount(app, 'giulia@example.org', 'facilitator', 'a long facilitator password');
    await addAccount(app, 'marco@example.org', 'facilitator', 'a long facilitator password');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    llm?.server.close();
    await app?.close();
  });

  it('handles three conversations in a row without a page reload', async () => {
    // Three people ask for a person: one in Arabic, one on the web in English, and one safety message (first in the queue).
    await write(app, 'w_inboxarabicinboxarabic0', { type: 'text', text: 'العربية' });
    await write(app, 'w_inboxarabicinboxarabic0', { type: 'choice', id: 'cmd:human' });
    await write(app, 'w_inboxarabicinboxarabic0', { type: 'text', text: 'أبحث عن مكتب قريب من محطة تيرميني' });
    await write(app, 'w_inboxenglishinboxenglis', { type: 'text', text: 'hello' });
    await write(app, 'w_inboxenglishinboxenglis', { type: 'choice', id: 'cmd:human' });
    await write(app, 'w_inboxsafetyinboxsafety0', { type: 'text', text: 'Il datore di lavoro mi ha preso il passaporto' });
    const arabic = await personOf(app, 'w_inboxarabicinboxarabic0');
    const english = await personOf(app, 'w_inboxenglishinboxenglis');
    const safety = await personOf(app, 'w_inboxsafetyinboxsafety0');

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await logIn(page, url, 'giulia@example.org');
    // No reload from here on: a mark on the window survives only if the page never loads again.
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 42));
    const queue = page.locator('#queue .inbox-queue > li');
    await expect.poll(() => queue.count()).toBe(3);
    expect(await queue.first().getAttribute('class')).toContain('safety');
    expect(await queue.first().locator('a').getAttribute('data-person')).toBe(safety);
    const arabicRow = page.locator(`#queue a[data-person="${arabic}"]`);
    expect(await arabicRow.innerText()).toContain('Arabic · web');
    expect(Number(await arabicRow.locator('.unread').textContent())).toBeGreaterThanOrEqual(2);

    // 1. The Arabic conversation: original and translation, newest at the bottom, the composer in view.
    await arabicRow.click();
    await page.locator('#conv[data-state="waiting"]').waitFor();
    expect(page.url()).toBe(`${url}/console/inbox?c=${arabic}`);
    await page.locator('#thread li.in .translation', { hasText: '[English] أبحث عن مكتب' }).waitFor();
    expect(await page.locator('#context').innerText()).toContain('Arabic · العربية');
    await expect.poll(() => arabicRow.locator('.unread').count()).toBe(0);
    await page.click('#claim');
    await page.locator('#conv[data-state="mine"]').waitFor();
    const atBottom = () => page.locator('#thread').evaluate((t) => Math.abs(t.scrollHeight - t.scrollTop - t.clientHeight) < 4);
    await expect.poll(atBottom).toBe(true);
    const inView = (sel: string) =>
      page.locator(sel).evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      });
    expect(await inView('#reply-text')).toBe(true);
    await page.fill('#reply-text', 'Which day do you want to come?');
    await page.click('#translate');
    await expect.poll(() => page.inputValue('#reply-text')).toBe('[Arabic] Which day do you want to come?');
    await page.keyboard.press('Control+Enter');
    await page.locator('#thread li.facilitator', { hasText: '[Arabic] Which day' }).waitFor();
    expect(await page.inputValue('#reply-text')).toBe('');
    await expect.poll(atBottom).toBe(true);
    // The person answers: it arrives live, translated, at the bottom.
    await write(app, 'w_inboxarabicinboxarabic0', { type: 'text', text: 'يوم الاثنين' });
    await page.locator('#thread li.in .translation', { hasText: '[English] يوم الاثنين' }).waitFor();
    await expect.poll(atBottom).toBe(true);
    expect(await page.locator('#thread li').last().innerText()).toContain('يوم الاثنين');
    await page.screenshot({ path: 'docs/screenshots/inbox.png' });
    // The busiest state (claimed, composer, translations, context) has no serious accessibility fault.
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.selectOption('#outcome', 'referred_space');
    await page.click('#close');

    // 2. The next one someone waits in opens by itself: the safety message.
    await page.locator(`#conv[data-person="${safety}"]`).waitFor();
    await expect.poll(() => page.locator(`#queue a[data-person="${arabic}"]`).count()).toBe(0);
    await page.click('#claim');
    await page.fill('#reply-text', 'I am here. Are you safe right now?');
    await page.click('#send-reply');
    await page.locator('#thread li.facilitator', { hasText: 'Are you safe' }).waitFor();
    await page.selectOption('#outcome', 'referred_service');
    await page.click('#close');

    // 3. The English web chat: a private note, then the release back to the bot.
    await page.locator(`#conv[data-person="${english}"]`).waitFor();
    await page.click('#claim');
    // English to an English-speaking facilitator: nothing to translate, and no word about a missing model.
    await page.locator('#reply-text').waitFor();
    expect(await page.locator('#translate').count()).toBe(0);
    expect(await page.locator('#composer').innerText()).not.toContain('No translation service');
    await page.fill('#reply-text', 'Hello! I am Giulia. How can I help you?');
    await page.click('#send-reply');
    await page.locator('#thread li.facilitator', { hasText: 'I am Giulia' }).waitFor();
    await page.fill('#note-text', 'Asked about desks; call back on Monday.');
    await page.click('#context .notes button');
    await page.locator('#context .notes li', { hasText: 'call back on Monday' }).waitFor();
    await page.click('#release');
    await page.locator('#work .pick').waitFor();
    await expect.poll(() => page.locator('#queue .inbox-queue > li').count()).toBe(0);

    // Each person got the reply, each case is closed, and the page never reloaded.
    expect(await staffSaid(app, arabic)).toHaveLength(1);
    expect(await staffSaid(app, safety)).toEqual(['I am here. Are you safe right now?']);
    expect(await staffSaid(app, english)).toEqual(['Hello! I am Giulia. How can I help you?']);
    for (const p of [arabic, safety, english]) expect(await app.handoff.cases.openCase(p)).toBeUndefined();
    expect((await app.handoff.cases.latestCase(arabic))!.outcome).toBe('referred_space');
    expect(await page.evaluate(() => (window as unknown as { mark: number }).mark)).toBe(42);
    expect(errors).toEqual([]);

    // A new request arrives live, with its unread count, while the page stays open.
    await write(app, 'w_inboxlatecomerinboxlate', { type: 'choice', id: 'cmd:human' });
    await page.locator('#queue .inbox-queue > li').first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { mark: number }).mark)).toBe(42);
    await ctx.close();
  });

  it('keyboard only: open, claim, reply, close', async () => {
    await write(app, 'w_inboxkeyboardinboxkeyb0', { type: 'text', text: 'hello' });
    await write(app, 'w_inboxkeyboardinboxkeyb0', { type: 'choice', id: 'cmd:human' });
    const person = await personOf(app, 'w_inboxkeyboardinboxkeyb0');
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    await logIn(page, url, 'marco@example.org');
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement!;
        return e.id || e.getAttribute('data-person') || e.tagName;
      });
    // Tab from the top of the page to the first conversation in the queue.
    let steps = 0;
    while ((await focused()) !== person && steps++ < 40) await page.keyboard.press('Tab');
    expect(await focused()).toBe(person);
    await page.keyboard.press('Enter');
    await page.locator(`#conv[data-person="${person}"]`).waitFor();
    await expect.poll(focused).toBe('conv-h');
    await page.keyboard.press('c');
    await page.locator('#conv[data-state="mine"]').waitFor();
    await expect.poll(focused).toBe('reply-text');
    await page.keyboard.type('Typed with the keyboard only.');
    await page.keyboard.press('Control+Enter');
    await page.locator('#thread li.facilitator', { hasText: 'keyboard only' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('thread');
    await page.keyboard.press('x');
    await expect.poll(focused).toBe('outcome');
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('close');
    await page.keyboard.press('Enter');
    // Closed: the next person waiting (the one who arrived during the first test) opens.
    await expect.poll(() => page.locator('#conv').getAttribute('data-person')).not.toBe(person);
    await expect.poll(() => page.locator(`#queue a[data-person="${person}"]`).count()).toBe(0);
    expect(await app.handoff.cases.openCase(person)).toBeUndefined();
    expect(await staffSaid(app, person)).toEqual(['Typed with the keyboard only.']);
    await ctx.close();
  });

  it('works on a phone: the queue, then the conversation with a way back', async () => {
    await write(app, 'w_inboxphoneinboxphone000', { type: 'text', text: 'hello' });
    await write(app, 'w_inboxphoneinboxphone000', { type: 'choice', id: 'cmd:human' });
    const person = await personOf(app, 'w_inboxphoneinboxphone000');
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    await logIn(page, url, 'marco@example.org');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.locator(`#queue a[data-person="${person}"]`).click();
    await page.locator('#conv').waitFor();
    expect(await page.locator('#queue').isVisible()).toBe(false);
    await page.click('#claim');
    await page.locator('#reply-text').waitFor();
    expect(await page.locator('#send-reply').isVisible()).toBe(true);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'docs/screenshots/inbox-phone.png' });
    await page.locator('#conv .back').click();
    expect(await page.locator('#queue').isVisible()).toBe(true);
    await ctx.close();
  });

  it('the single conversation page (/console/c/…) also opens at the newest message and comes back to the reply box', async () => {
    const address = 'w_inboxlonginboxlonginbox';
    // The person asks for someone, then keeps writing while waiting.
    await write(app, address, { type: 'text', text: 'hello' });
    await write(app, address, { type: 'choice', id: 'cmd:human' });
    for (let i = 0; i < 12; i++) await write(app, address, { type: 'text', text: `While I wait: detail number ${i}` });
    expect((await app.handoff.cases.openCase(await personOf(app, address)))?.status).toBe('waiting');
    const person = await personOf(app, address);
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 700 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    await logIn(page, url, 'giulia@example.org');
    await page.goto(`${url}/console/c/${person}`);
    const atBottom = () => page.locator('#history').evaluate((t) => t.scrollHeight > t.clientHeight && Math.abs(t.scrollHeight - t.scrollTop - t.clientHeight) < 4);
    await expect.poll(atBottom).toBe(true);
    await page.locator('button.claim').click();
    await page.waitForURL(`${url}/console/c/${person}#reply`);
    await page.fill('#reply-text', 'Back at the reply box.');
    await page.click('#send-reply');
    await page.waitForURL(`${url}/console/c/${person}#reply`);
    await page.locator('#history li.facilitator', { hasText: 'Back at the reply box.' }).waitFor();
    expect(
      await page.locator('#reply-text').evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
    ).toBe(true);
    await ctx.close();
  });
});
