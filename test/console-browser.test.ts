/**
 * End to end in a real browser: a person asks for a human in the web chat, a facilitator logs in
 * (another browser context), claims, replies; the person sees the reply without reload; the bot stays
 * silent; the facilitator releases; the bot answers again. Screenshots go to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../src/app.js';
import { authRoutes, handoffConsole } from '../src/handoff/console.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';
import { fakeOpenAI } from './fake-openai.js';
import { testConfig } from './helpers.js';

describe.runIf(hasChromium)('facilitator console in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  beforeAll(async () => {
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7' }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(2);
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app)]));
    await addAccount(app, 'giulia@example.org', 'facilitator', 'a long facilitator password');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server.close();
    await app.close();
  });

  it('person → facilitator → person, live, and back to the bot', async () => {
    // Someone else already wrote a safety message: it is first in the queue.
    await app.bot.handle({
      channel: 'web',
      address: 'w_otherpersonotherperson0',
      externalId: 'x1',
      receivedAt: new Date(Date.now() - 12 * 60_000),
      content: { type: 'text', text: 'Il datore di lavoro mi ha preso il passaporto' },
    });

    // …and has waited longer than HANDOFF_ALERT_MINUTES (10): highlighted.
    await app.db.query(`UPDATE handoff_cases SET created_at = now() - interval '12 minutes'`);
    const personCtx = await browser.newContext({ viewport: { width: 390, height: 760 }, locale: 'en-GB' });
    const person = await personCtx.newPage();
    await person.goto(url);
    await person.fill('#text', 'hello');
    await person.click('#send');
    await person.getByRole('button', { name: 'Talk to a person' }).click();
    await person.getByText('A person from our team will answer you here').waitFor();
    await person.getByText('You can keep writing here').waitFor();

    const staffCtx = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
    const staff = await staffCtx.newPage();
    const pageErrors: string[] = [];
    staff.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    staff.on('pageerror', (e) => pageErrors.push(e.message));
    await staff.goto(`${url}/console`);
    expect(staff.url()).toContain('/login');
    await staff.fill('input[name=email]', 'giulia@example.org');
    await staff.fill('input[name=password]', 'a long facilitator password');
    await staff.click('button[type=submit]');
    await staff.waitForURL(`${url}/console`);
    const rows = staff.locator('table.queue tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('class')).toContain('safety');
    expect(await rows.first().getAttribute('class')).toContain('late');
    expect(await rows.nth(1).innerText()).toContain('[Talk to a person]');
    await staff.screenshot({ path: 'docs/screenshots/console-queue.png', fullPage: true });

    // Open the web-chat person's conversation (second row) and claim it.
    await rows.nth(1).locator('a').click();
    await staff.locator('button.claim').click();
    await staff.locator('#reply-text').waitFor();
    await staff.selectOption('#canned', { label: 'Greeting' });
    await staff.click('#use-canned');
    expect(await staff.inputValue('#reply-text')).toBe('Hello, I am a facilitator from the coworking team. How can I help you?');
    await staff.fill('#reply-text', 'Hello! I am Giulia. How can I help you?');
    await staff.click('#send-reply');

    // The person sees it without reloading, marked as a person's answer.
    await person.locator('.msg.staff', { hasText: 'I am Giulia' }).waitFor();
    const botBefore = await person.locator('.msg.bot').count();

    // The person writes; the console shows it live; the bot says nothing.
    await person.fill('#text', 'I need a desk for my sewing project');
    await person.click('#send');
    await staff.locator('#history li.in', { hasText: 'sewing project' }).waitFor();
    await staff.locator('#history li.facilitator .delivery[data-status="sent"]').waitFor();
    await staff.screenshot({ path: 'docs/screenshots/console-conversation.png', fullPage: true });
    expect(await person.locator('.msg.bot').count()).toBe(botBefore);
    await person.screenshot({ path: 'docs/screenshots/console-person-chat.png' });

    // Release: the person is told, and the bot answers again.
    await staff.click('#release');
    await staff.waitForURL(`${url}/console`);
    await person.getByText('I am the bot again').waitFor();
    await person.fill('#text', 'menu');
    await person.click('#send');
    await expect.poll(() => person.locator('.msg.bot', { hasText: 'What would you like to do?' }).count()).toBeGreaterThan(0);
    // The console works under the strict CSP: no violations, no script errors.
    expect(pageErrors).toEqual([]);
    await personCtx.close();
    await staffCtx.close();
  });
});

describe.runIf(hasChromium)('console translation with an OpenAI-compatible server (a local fake)', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  let llm: Awaited<ReturnType<typeof fakeOpenAI>>;
  beforeAll(async () => {
    llm = await fakeOpenAI();
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7', OPENAI_BASE_URL: llm.url }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(2);
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app)]));
    await addAccount(app, 'marco@example.org', 'facilitator', 'a long facilitator password');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server.close();
    llm?.server.close();
    await app.close();
  });

  it("shows the person's messages translated beside the original and translates a reply after a preview", async () => {
    const address = 'w_arabicarabicarabicarabi';
    let n = 0;
    const send = (content: { type: 'text'; text: string } | { type: 'choice'; id: string }) => app.bot.handle({ channel: 'web', address, externalId: `ar${++n}`, receivedAt: new Date(), content });
    await send({ type: 'text', text: 'العربية' });
    const asked = await send({ type: 'choice', id: 'cmd:human' });
    expect(asked.lang).toBe('ar');
    expect(asked.replies.map((r) => r.text).join(' ')).toContain('سيرد عليكم شخص من فريقنا');
    await send({ type: 'text', text: 'أبحث عن مكتب قريب من محطة تيرميني' });

    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
    const staff = await ctx.newPage();
    await staff.goto(`${url}/login`);
    await staff.fill('input[name=email]', 'marco@example.org');
    await staff.fill('input[name=password]', 'a long facilitator password');
    await staff.click('button[type=submit]');
    await staff.waitForURL(`${url}/console`);
    await staff.locator('table.queue a').first().click();
    await staff.locator('.translation', { hasText: '[English] أبحث عن مكتب' }).waitFor();
    await staff.locator('button.claim').click();
    await staff.fill('#reply-text', 'Which day do you want to come?');
    await staff.click('#translate');
    await expect.poll(() => staff.inputValue('#reply-text')).toBe('[Arabic] Which day do you want to come?');
    await staff.locator('#translate-note', { hasText: 'check and edit' }).waitFor();
    await staff.screenshot({ path: 'docs/screenshots/console-translation.png', fullPage: true });
    await staff.click('#send-reply');
    const person = (await app.store.findPerson('web', address))!;
    await expect.poll(async () => (await app.store.history(person.id)).some((m) => m.author.startsWith('facilitator:'))).toBe(true);
    const sent = (await app.store.history(person.id)).find((m) => m.author.startsWith('facilitator:'))!;
    // Stored as sent: finished for an Arabic reader (the fake model's Latin text is marked left-to-right).
    expect((sent.body as { text: string }).text.replace(/[\u200E\u200F\u2066-\u2069]/g, '')).toBe('[Arabic] Which day do you want to come?\n(ترجمة آلية)');
    // A new message from the person arrives live, translated.
    await send({ type: 'text', text: 'يوم الاثنين' });
    await staff.locator('#history li.in .translation', { hasText: '[English] يوم الاثنين' }).waitFor();
    // The person's text went only into the user message, never into the instructions.
    expect(llm.calls.every((c) => !c.system.includes('مكتب'))).toBe(true);
    await ctx.close();
  });
});
