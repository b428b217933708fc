/**
 * The HTTP server: the web chat page and its API, health, and (added by their features) webhooks and
 * staff pages. Every page gets security headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { WebChannel } from '../channels/web/web-channel.js';
import type { Config } from '../config.js';
import type { Bot } from '../core/pipeline.js';
import type { Translator } from '../i18n/i18n.js';
import { fromLanguageTag } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { Queryable } from '../storage/db.js';
import type { Store } from '../storage/store.js';
import { VERSION } from '../version.js';
import { chatApi } from './chat-api.js';
import { chatIcon, chatManifest, chatPage, preferredLanguage, type ChatWords } from './chat-views.js';
import { clientError, wellFormedUrl } from './input.js';
import type { WebChatLimits } from './client-limits.js';

const publicDir = join(import.meta.dirname, 'public');
const assets: Record<string, string> = {
  '/chat.js': 'chat.js',
  '/chat.css': 'chat.css',
  '/shell.css': 'shell.css',
};
const types: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

import type { RouteMounter } from './routes.js';

export type { RouteMounter };

export interface WebAppOptions {
  /** The web chat's per-client limits (default: `WEB_CHAT_LIMITS`; `false` only for a load test's baseline). */
  webChatLimits?: WebChatLimits | false;
}

/**
 * What the server itself (chat page, health, web chat API) needs of the running bot: a narrow port,
 * never the whole App (the assembled App satisfies it as it is). Pages and webhooks come as mounts.
 */
export interface ServerPorts {
  /** The web chat API: messages in through the bot, history from the store, replies out through the web channel. */
  readonly bot: Bot;
  readonly store: Store;
  readonly web: WebChannel;
  /** The chat page's words in the browser's language. */
  readonly translator: Pick<Translator, 'for'>;
  /** `/healthz`: the database answers, and the queue's counts. */
  readonly db: Queryable;
  readonly queue: Pick<JobQueue, 'counts'>;
  /** The trusted proxies (a web chat client's address). */
  readonly config: Pick<Config, 'server'>;
  readonly log: Logger;
}

export function createWebApp(app: ServerPorts, mounts: RouteMounter[] = [], opts: WebAppOptions = {}): Hono {
  const web = new Hono();

  web.use('*', wellFormedUrl());
  web.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
    }
  });

  web.onError((err, c) => {
    // A client's mistake (malformed input the database refused, a 4xx exception): 400, one line, no stack.
    const status = clientError(err);
    if (status !== undefined) {
      app.log.warn({ path: c.req.path, status, reason: err.message.slice(0, 200) }, 'web: malformed request refused');
      return c.text('Bad request.', status as 400);
    }
    app.log.error({ err: err.stack, path: c.req.path }, 'web: request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  web.notFound((c) => c.json({ error: 'not found' }, 404));

  for (const [path, file] of Object.entries(assets)) {
    const body = readFileSync(join(publicDir, file), 'utf8');
    const type = types[file.split('.').pop()!]!;
    web.get(path, (c) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }));
  }

  // The chat page in the browser's language; the manifest and icon let it live on a home screen.
  const words = (lang: string): ChatWords => {
    const t = app.translator.for(lang);
    return {
      title: t('web:title'),
      tagline: t('web:tagline'),
      conversation: t('web:conversation'),
      message: t('web:message'),
      placeholder: t('web:placeholder'),
      send: t('web:send'),
      locate: t('web:locate'),
    };
  };
  web.get('/', (c) => {
    const lang = preferredLanguage(c.req.header('accept-language')) ?? 'en';
    c.header('Cache-Control', 'no-cache');
    c.header('Vary', 'Accept-Language');
    return c.html(chatPage(lang, words(lang)));
  });
  web.get('/manifest.webmanifest', (c) => {
    const lang = fromLanguageTag(c.req.query('lang')) ?? 'en';
    return c.body(JSON.stringify(chatManifest(lang, words(lang))), 200, { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
  });
  web.get('/icon.svg', (c) => c.body(chatIcon, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }));
  // Browsers ask for /favicon.ico on any page without an icon link: point them at the icon.
  web.get('/favicon.ico', (c) => c.redirect('/icon.svg', 301));

  web.get('/healthz', async (c) => {
    try {
      await app.db.query('SELECT 1');
      return c.json({ ok: true, version: VERSION, queue: await app.queue.counts() });
    } catch {
      return c.json({ ok: false, version: VERSION }, 503);
    }
  });

  web.route('/api/chat', chatApi(app.bot, app.store, app.web, { trustedProxies: app.config.server.trustedProxies, limits: opts.webChatLimits }));
  for (const mount of mounts) mount(web);
  return web;
}
