/** Starts the web server on a free port and a headless Debian chromium driven by playwright-core. */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { App } from '../src/app.js';
import { assembleServer } from '../src/assembly.js';
import { createWebApp, type RouteMounter } from '../src/web/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`No chromium at ${CHROMIUM}: browser tests are skipped (apt-get install chromium).`);

export async function serveApp(app: App, mounts: RouteMounter[] = []): Promise<{ url: string; server: ServerType }> {
  const web = createWebApp(app, mounts);
  const server = serve({ fetch: web.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Serves exactly what `coworkbot start` serves (`assembleServer`); the caller starts the app's workers. */
export async function serveAssembly(app: App): Promise<{ url: string; server: ServerType }> {
  const { server, port } = await assembleServer(app).listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, server };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens a page in `ctx` and logs in through the real login form; resolves once it has left /login. */
export async function logIn(ctx: BrowserContext, url: string, email: string, password: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${url}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
