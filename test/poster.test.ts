/**
 * The printable poster: who may open it (staff of the space, coordinators, admins; anyone else 404),
 * what it says (name, address, "Ask in your language" in every language with its direction), QR codes
 * that decode — rendered by a real browser from the served SVG, read back with jsQR — to the exact
 * Telegram and WhatsApp deep links, a WhatsApp first message "space_<id>" that opens the space card,
 * and the page telling what to set when the bot's username or number is missing.
 */
import type { ServerType } from '@hono/node-server';
import jsqr from 'jsqr';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { posterLinks, qrSvg } from '../src/broadcast/poster.js';
import { decodeWhatsAppWebhook } from '../src/channels/whatsapp/decode.js';
import { authRoutes } from '../src/web/auth.js';
import { fixture } from './channels/fakes.js';
import { hasChromium, launchBrowser, serveApp } from './browser.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

// jsqr is CommonJS: its default import is the function itself at run time.
const jsQR = jsqr as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const TG_URL = 'https://t.me/CoworkRomaBot?start=space_millepiani';
const WA_URL = 'https://wa.me/393331234567?text=space_millepiani';

let app: App;
let url: string;
let server: ServerType;
let browser: Browser | undefined;

beforeAll(async () => {
  app = await createApp({ config: testConfig({ TELEGRAM_BOT_USERNAME: '@CoworkRomaBot', WHATSAPP_DISPLAY_NUMBER: '+39 333 123 4567' }), db: { kind: 'memory' }, embeddedQueue: true });
  ({ url, server } = await serveApp(app, [authRoutes(app), staffPortal(app)]));
  await addAccount(app, 'staff@millepiani.example', 'staff', 'a long staff password', 'millepiani');
  await addAccount(app, 'staff@other.example', 'staff', undefined, 'other-space');
  await addAccount(app, 'coord@example.org', 'coordinator');
  await addAccount(app, 'fac@example.org', 'facilitator');
  if (hasChromium) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  await app?.close();
});

const client = async (email: string, password?: string): Promise<StaffClient> => (await login(url, email, password)).client!;

/** Renders an SVG in the browser at print-like size and reads the QR code in the picture. */
async function decodeSvg(svg: string): Promise<string | undefined> {
  const page = await browser!.newPage({ viewport: { width: 420, height: 420 } });
  try {
    await page.setContent(`<body style="margin:0;background:#fff"><img id="q" style="width:400px;height:400px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body>`);
    await page.waitForFunction(() => (document.getElementById('q') as HTMLImageElement).complete);
    // The browser rasterizes the SVG; its pixels go to the decoder (as base64: 640,000 bytes as a
    // JSON array of numbers cost seconds of CPU to encode in the browser and parse here).
    const pixels = await page.evaluate(() => {
      const img = document.getElementById('q') as HTMLImageElement;
      const canvas = document.createElement('canvas');
      canvas.width = 400;
      canvas.height = 400;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 400, 400);
      g.drawImage(img, 0, 0, 400, 400);
      const data = g.getImageData(0, 0, 400, 400).data;
      let binary = '';
      for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return btoa(binary);
    });
    return jsQR(new Uint8ClampedArray(Buffer.from(pixels, 'base64')), 400, 400)?.data;
  } finally {
    await page.close();
  }
}

describe('the printable poster', () => {
  it('links to the space card on Telegram and WhatsApp', () => {
    expect(posterLinks(app, 'millepiani')).toEqual({ telegram: TG_URL, whatsapp: WA_URL, missing: [] });
  });

  it('staff of the space see the poster: name, address, every language in its direction, QR codes as SVG', async () => {
    const staff = await client('staff@millepiani.example', 'a long staff password');
    const res = await staff.get('/staff/poster/millepiani');
    expect(res.status).toBe(200);
    const page = await res.text();
    const space = app.knowledge.space('millepiani')!;
    expect(page).toContain(`<h1>${space.name}</h1>`);
    expect(page).toContain('Via Nicolò Odero');
    expect(page).toContain('<div lang="ar" dir="rtl">اسألوا بلغتكم: امسحوا الرمز.</div>');
    expect(page).toContain('<div lang="fa" dir="rtl">');
    expect(page).toContain('<div lang="zh" dir="ltr">用您的语言提问：扫描二维码。</div>');
    expect(page).toContain('<div lang="uk" dir="ltr">');
    expect(page).toContain(TG_URL);
    expect(page).not.toContain('id="missing"');
    const tg = await staff.get('/staff/poster/millepiani/telegram.svg');
    expect(tg.headers.get('content-type')).toContain('image/svg+xml');
    const tgSvg = await tg.text();
    expect(tgSvg).toBe(await qrSvg(TG_URL));
    const wa = await (await staff.get('/staff/poster/millepiani/whatsapp.svg')).text();
    expect(wa).toBe(await qrSvg(WA_URL));
    if (browser) {
      expect(await decodeSvg(tgSvg)).toBe(TG_URL);
      expect(await decodeSvg(wa)).toBe(WA_URL);
    }
  });

  it("another space's staff and facilitators get 404, coordinators 200, logged-out people the login page", async () => {
    const other = await client('staff@other.example');
    expect((await other.get('/staff/poster/millepiani')).status).toBe(404);
    expect((await other.get('/staff/poster/millepiani/telegram.svg')).status).toBe(404);
    expect((await (await client('fac@example.org')).get('/staff/poster/millepiani')).status).toBe(404);
    expect((await (await client('coord@example.org')).get('/staff/poster/millepiani')).status).toBe(200);
    expect((await (await client('coord@example.org')).get('/staff/poster/no-such-space')).status).toBe(404);
    const anon = await fetch(`${url}/staff/poster/millepiani`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(anon.status).toBe(302);
  });

  it('a WhatsApp first message "space_<id>" (the QR code\'s prefilled text) is the space deep link', async () => {
    const body = fixture('whatsapp/text.json') as { entry: { changes: { value: { messages: { text: { body: string } }[] } }[] }[] };
    body.entry[0]!.changes[0]!.value.messages[0]!.text.body = 'space_millepiani';
    const d = decodeWhatsAppWebhook(body, new Date());
    expect(d.kind === 'batch' && d.messages[0]).toMatchObject({ content: { type: 'text', text: '/start' }, startPayload: 'space_millepiani' });
    const r = await app.bot.handle({ ...(d.kind === 'batch' ? d.messages[0]! : ({} as never)), address: '393339990001', languageHint: 'en' });
    const space = app.knowledge.space('millepiani')!;
    expect(r.replies[0]!.text).toContain(space.name);
  });

  it('without a bot username or number the page says what to set, and prints no code', async () => {
    const bare = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    try {
      const served = await serveApp(bare, [authRoutes(bare), staffPortal(bare)]);
      await addAccount(bare, 'admin@example.org', 'admin');
      const admin = (await login(served.url, 'admin@example.org')).client!;
      const page = await (await admin.get('/staff/poster/millepiani')).text();
      expect(page).toContain('id="missing"');
      expect(page).toContain('TELEGRAM_BOT_USERNAME');
      expect(page).toContain('WHATSAPP_DISPLAY_NUMBER');
      expect(page).not.toContain('<img');
      expect((await admin.get('/staff/poster/millepiani/telegram.svg')).status).toBe(404);
      served.server.close();
    } finally {
      await bare.close();
    }
  });

  it.runIf(hasChromium)('prints on A4 (screenshot for the space staff guide)', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 900, height: 1250 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('response', (r) => void (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`)));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${url}/staff/poster/millepiani`);
    await page.fill('input[name=email]', 'staff@millepiani.example');
    await page.fill('input[name=password]', 'a long staff password');
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/staff/poster/millepiani`);
    errors.length = 0; // the login page's own stylesheet belongs to the console, not mounted here
    await page.reload();
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: 'docs/screenshots/staff-poster.png', fullPage: true });
    expect(await page.locator('.screen-only').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
