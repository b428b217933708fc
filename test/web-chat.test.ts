import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../src/app.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
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
    await page.getByRole('button', { name: 'العربية' }).click();
    const last = page.locator('.msg.bot').last();
    await expect.poll(async () => last.getAttribute('dir')).toBe('rtl');
    await page.screenshot({ path: 'docs/screenshots/web-chat.png' });
    // A reload restores the conversation from the server.
    await page.reload();
    await page.locator('.msg.bot').first().waitFor();
    expect(await page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(3);
    await page.close();
  });
});
