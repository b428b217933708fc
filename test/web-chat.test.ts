import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../src/app.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';
import { preferredLanguage } from '../src/web/chat-views.js';

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
    const again = await (
      await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello', id: 'm1' }) })
    ).json();
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

  it('renders the page in the browser’s language, with a manifest for the home screen', async () => {
    const ar = await fetch(`${url}/`, { headers: { 'accept-language': 'xx, ar-EG;q=0.9, en;q=0.8' } });
    expect(ar.headers.get('vary')).toContain('Accept-Language');
    const page = await ar.text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('placeholder="اكتبوا رسالة…"');
    expect(page).toContain('aria-label="مشاركة موقعي"');
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest?lang=ar">');
    expect(await (await fetch(`${url}/`, { headers: { 'accept-language': 'de-DE' } })).text()).toContain('<html lang="en" dir="ltr">');
    expect(preferredLanguage('en;q=0.5, uk;q=0.9')).toBe('uk');
    expect(preferredLanguage('fr;q=0')).toBeUndefined();
    const manifest = await fetch(`${url}/manifest.webmanifest?lang=ar`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    expect(await manifest.json()).toMatchObject({ lang: 'ar', dir: 'rtl', start_url: '/', display: 'standalone', icons: [{ src: '/icon.svg' }] });
    expect((await fetch(`${url}/icon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('gives a greeting with the menu and the languages in their own scripts; a new session may tap its choices', async () => {
    const ui = (await (await fetch(`${url}/api/chat/ui?lang=ar`)).json()) as {
      strings: Record<string, string>;
      greeting: { welcome: string; menu: { id: string; label: string }[]; languages: { code: string; name: string }[] };
    };
    expect(ui.greeting.welcome).toContain('مرحبًا');
    expect(ui.greeting.menu.map((c) => c.id)).toEqual(['know:explain', 'know:spaces', 'know:events', 'flow:incubation', 'cmd:human']);
    expect(ui.greeting.languages).toHaveLength(16);
    expect(ui.greeting.languages.find((l) => l.code === 'ti')!.name).toBe('ትግርኛ');
    expect(ui.strings.facilitator).toBe('شخص من فريقنا');
    const { session } = await (await fetch(`${url}/api/chat/session`, { method: 'POST' })).json();
    const res = await (
      await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, choice: 'know:spaces', lang: 'ar' }) })
    ).json();
    expect(res.lang).toBe('ar');
    const texts = res.replies.map((r: { text?: string }) => r.text ?? '').join('\n');
    expect(texts).not.toContain(app.translator.for('ar')('core:staleChoice'));
    expect(res.replies.flatMap((r: { choices?: { id: string }[] }) => r.choices ?? []).map((c: { id: string }) => c.id)).toContain('know:list');
    // Only the greeting's choices: any other unknown tap from a new session is still stale.
    const { session: other } = await (await fetch(`${url}/api/chat/session`, { method: 'POST' })).json();
    const forged = await (
      await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: other, choice: 'know:s:millepiani', lang: 'en' }) })
    ).json();
    expect(forged.replies.map((r: { text?: string }) => r.text).join(' ')).toContain('That option is no longer available');
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

  it('greets an Arabic browser in Arabic, right to left, with the languages and the main options (page weight measured)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ar', extraHTTPHeaders: { 'accept-language': 'ar' } });
    const page = await ctx.newPage();
    const requests: import('playwright-core').Request[] = [];
    page.on('requestfinished', (r) => void requests.push(r));
    const first = await page.goto(url);
    // Right-to-left before any script runs, then the greeting, nothing typed.
    expect(await first!.text()).toContain('<html lang="ar" dir="rtl">');
    const greeting = page.locator('#greeting');
    await greeting.getByText('مرحبًا').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await greeting.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
    for (const name of ['English', 'Italiano', 'فارسی / دری', 'ትግርኛ', 'বাংলা', '中文']) await greeting.getByRole('button', { name, exact: true }).waitFor();
    expect(await greeting.getByRole('button', { name: 'العربية' }).getAttribute('aria-pressed')).toBe('true');
    expect(await greeting.getByRole('group').getAttribute('aria-labelledby')).toBe('languages-label');
    const ar = app.translator.for('ar');
    await greeting.getByRole('button', { name: ar('core:menu.spaces') }).waitFor();
    expect(await page.locator('#locate').getAttribute('aria-label')).toBe('مشاركة موقعي');
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/manifest.webmanifest?lang=ar');
    // Weight of the first load: every response the page fetched (the live stream stays open and is not counted).
    let bytes = 0;
    for (const r of requests) {
      const sizes = await r.sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    console.log(`web chat first load: ${requests.length} requests, ${bytes} bytes`);
    expect(bytes).toBeLessThan(40_000);
    await page.screenshot({ path: 'docs/screenshots/web-chat-greeting-ar.png' });

    // Another language: the page and the greeting follow, nothing is sent.
    await greeting.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr');
    await page.locator('#greeting', { hasText: 'Hello! I can tell you about coworking spaces' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('coworkbot.session'))).toBeNull();
    await page.locator('#greeting').getByRole('button', { name: 'العربية' }).click();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl');

    // A main option answers at once, in Arabic; spaces come as cards, filters as options.
    await page
      .locator('#greeting')
      .getByRole('button', { name: ar('core:menu.spaces') })
      .click();
    await page.locator('.msg.bot button[data-choice="know:list"]').waitFor();
    expect(await page.locator('#greeting button').count()).toBe(0);
    await page.locator('button[data-choice="know:list"]').click();
    const card = page.locator('.choices.cards button[data-choice^="know:s:"]').first();
    await card.waitFor();
    const option = page.locator('.choices.options button').last();
    const look = (l: typeof card) =>
      l.evaluate((e) => {
        const s = getComputedStyle(e);
        return `${s.borderInlineStartWidth} ${s.borderRadius} ${s.display}`;
      });
    expect(await look(card)).not.toBe(await look(option));
    expect(await card.evaluate((e) => e.getBoundingClientRect().width)).toBeGreaterThan(await option.evaluate((e) => e.getBoundingClientRect().width));
    await ctx.close();
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
    // Marked in words, not by an emoji alone: a screen reader says who wrote it.
    expect(await staffLine.locator('.who').textContent()).toBe('شخص من فريقنا');
    await page.screenshot({ path: 'docs/screenshots/web-chat-ar.png', fullPage: true });
    await page.close();
  });
});
