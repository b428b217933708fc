import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../src/app.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';

describe('web chat HTTP API', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
    ({ url, server } = await serveApp(app));
  });
  afterAll(async () => {
    server.close();
    await app.close();
  });

  it('creates a session and answers a message', async () => {
    const { session } = await (await fetch(`${url}/api/chat/session`, { method: 'POST' })).json();
    const res = await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello', id: 'm1' }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.lang).toBe('en');
    expect(body.replies[0].id).toBeGreaterThan(0);
    const again = await (await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello', id: 'm1' }) })).json();
    expect(again.duplicate).toBe(true);
    const history = await (await fetch(`${url}/api/chat/history?session=${session}`)).json();
    expect(history.messages.filter((m: { direction: string }) => m.direction === 'in')).toHaveLength(1);
  });

  it('answers bad input with a clear 4xx, never a stack trace', async () => {
    const post = (body: string) => fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const notJson = await post('{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'the body must be JSON' });
    const noSession = await post(JSON.stringify({ session: 'nope', text: 'hi' }));
    expect(noSession.status).toBe(400);
    const huge = await post(JSON.stringify({ session: 'w_aaaaaaaaaaaaaaaaaaaaaaaa', text: 'x'.repeat(40_000) }));
    expect(huge.status).toBe(413);
  });

  it('gives the page’s own words in the conversation’s language', async () => {
    const ar = (await (await fetch(`${url}/api/chat/ui?lang=ar`)).json()) as { lang: string; dir: string; strings: Record<string, string> };
    expect(ar).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(ar.strings.send).toBe('إرسال');
    const zh = (await (await fetch(`${url}/api/chat/ui?lang=zh-CN`)).json()) as { lang: string; strings: Record<string, string> };
    expect(zh.lang).toBe('zh');
    expect(zh.strings.placeholder).toBe('请输入消息…');
    // An unknown language gets English, never an error.
    expect(((await (await fetch(`${url}/api/chat/ui?lang=xx`)).json()) as { lang: string }).lang).toBe('en');
  });

  it('sends security headers', async () => {
    const res = await fetch(`${url}/`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe.runIf(hasChromium)('web chat in a real browser', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let browser: Browser;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
    ({ url, server } = await serveApp(app));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server.close();
    await app.close();
  });

  it('chats: a message, buttons, a language switch to right-to-left', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 }, locale: 'en-GB' });
    await page.goto(url);
    await page.fill('#text', 'hello');
    await page.click('#send');
    await page.getByText('What would you like to do?').waitFor();
    await page.getByRole('button', { name: 'Language' }).click();
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.getByRole('button', { name: 'العربية' }).click();
    // The page follows the conversation: <html lang dir>, header, placeholder, Send, ARIA labels.
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#send')).toBe('إرسال');
    expect(await page.getAttribute('#text', 'placeholder')).toBe('اكتبوا رسالة…');
    expect(await page.getAttribute('#log', 'aria-label')).toBe('المحادثة');
    expect(await page.getAttribute('#locate', 'aria-label')).toBe('مشاركة موقعي');
    expect(await page.textContent('.bar .sub')).toContain('مفتوحة للجميع');
    expect(await page.title()).toBe('Coworkbot — محادثة');
    const last = page.locator('.msg.bot').last();
    await expect.poll(() => last.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
    await page.screenshot({ path: 'docs/screenshots/web-chat.png' });
    // A reload restores the conversation from the server.
    await page.reload();
    await page.locator('.msg.bot').first().waitFor();
    expect(await page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(3);
    // …and the page's own words in the conversation's language.
    await expect.poll(() => page.textContent('#send')).toBe('إرسال');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.close();
  });

  it('Arabic: spaces, the emergency numbers and a facilitator’s English line read right (screenshot for the languages reference)', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 1250 }, locale: 'ar' });
    await page.goto(url);
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl');
    await page.fill('#text', 'مرحبا');
    await page.click('#send');
    await page.locator('.choices button').first().waitFor();
    await page.locator('button[data-choice="know:spaces"]').last().click();
    await page.locator('button[data-choice="know:list"]').last().click();
    await page.getByText('Impact Hub Roma', { exact: false }).first().waitFor();
    await page.fill('#text', 'يضربني وأنا خائفة');
    await page.click('#send');
    const numbers = page.locator('.msg.bot', { hasText: '800 290 290' });
    await numbers.waitFor();
    // The browser lays the numbers out as the bidi test reads them: each line right-to-left, the
    // trafficking number whole (its three groups left to right on screen).
    const box = await numbers.evaluate((e) => {
      const range = document.createRange();
      const text = e.firstChild as Text;
      const at = (s: string) => {
        const i = text.data.indexOf(s);
        range.setStart(text, i);
        range.setEnd(text, i + s.length);
        return range.getBoundingClientRect().left;
      };
      return { first: at('800'), second: at('290 290'), direction: getComputedStyle(e).direction };
    });
    expect(box.direction).toBe('rtl');
    expect(box.first).toBeLessThan(box.second);
    // A facilitator's English reply arrives on the live stream and reads left to right.
    const person = (await app.store.findPerson('web', await page.evaluate(() => localStorage.getItem('coworkbot.session')!)))!;
    const c = (await app.handoff.cases.openCase(person.id))!;
    const staff = await addAccount(app, 'web-ar@example.org', 'facilitator');
    await app.handoff.claim(c.id, staff);
    await app.handoff.reply(app.bot.outbox, c, staff, 'Hello, I am here. How can I help you?');
    const staffLine = page.locator('.msg.staff', { hasText: 'Hello, I am here.' });
    await staffLine.waitFor();
    expect(await staffLine.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
    await page.screenshot({ path: 'docs/screenshots/web-chat-ar.png', fullPage: true });
    await page.close();
  });
});
