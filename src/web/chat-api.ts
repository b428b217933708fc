/**
 * The web chat's HTTP API (documented in the README):
 * - `POST /api/chat/session` → `{ session }`
 * - `POST /api/chat/message` `{ session, id?, text | choice | location, lang? }` → `{ lang, dir, handoff, replies }`
 * - `GET /api/chat/history?session=…` → `{ lang, dir, handoff, messages }`
 * - `GET /api/chat/stream?session=…` → server-sent events, one `message` event per later message
 *   (a facilitator's answer, a reminder).
 * - `GET /api/chat/ui?lang=…` → `{ lang, dir, strings, greeting }`: the page's own words (`locales/<lang>/web.json`)
 *   in one of our languages (an unknown tag gets English), so the chat follows the conversation's language,
 *   and the greeting a new visitor sees (welcome, the menu's choices, the languages in their own scripts).
 * New sessions, messages and open streams are limited per client address (`client-limits.ts`):
 * over a limit, 429 with `Retry-After` and an `error` the chat page shows.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { InboundContent } from '../core/types.js';
import type { Bot } from '../core/pipeline.js';
import { fromLanguageTag, isRtl, languages } from '../i18n/languages.js';
import type { Store } from '../storage/store.js';
import { isSessionId, newSessionId, type WebChannel } from '../channels/web/web-channel.js';
import { clientAddress } from './client-address.js';
import { ClientLimiter, OpenCounter, WEB_CHAT_LIMITS, type WebChatLimits } from './client-limits.js';
import { mark } from '../timing.js';

export interface ChatApiOptions {
  /** Reverse proxies in front whose `X-Forwarded-For` counts (TRUSTED_PROXIES). */
  trustedProxies: number;
  /** Per-client limits (default {@link WEB_CHAT_LIMITS}; `false` only for a load test's baseline). */
  limits?: WebChatLimits | false;
}

/** 429 with `Retry-After` (whole seconds) and a sentence the chat page shows. */
function tooMany(c: Context, waitMs: number, error: string) {
  c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return c.json({ error }, 429);
}

const messageSchema = z
  .object({
    session: z.string().refine(isSessionId, 'not a session id'),
    id: z.string().min(1).max(64).optional(),
    text: z.string().min(1).max(8000).optional(),
    choice: z.string().min(1).max(256).optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string().max(200).optional() }).optional(),
    lang: z.string().max(35).optional(),
  })
  .refine((m) => [m.text, m.choice, m.location].filter((x) => x !== undefined).length === 1, 'send exactly one of text, choice, location');

export function chatApi(bot: Bot, store: Store, web: WebChannel, opts: ChatApiOptions = { trustedProxies: 0 }): Hono {
  const app = new Hono();
  const limits = opts.limits === undefined ? WEB_CHAT_LIMITS : opts.limits;
  const sessions = limits ? new ClientLimiter(limits.sessions) : undefined;
  const messages = limits ? new ClientLimiter(limits.messages) : undefined;
  const streams = limits ? new OpenCounter(limits.streams) : undefined;
  const client = (c: Context) => clientAddress(c, opts.trustedProxies);

  app.post('/session', (c) => {
    const wait = sessions?.take(client(c)) ?? 0;
    if (wait > 0) return tooMany(c, wait, 'Too many new chats from your network. Please wait a minute and try again.');
    return c.json({ session: newSessionId() });
  });

  app.post(
    '/message',
    async (c, next) => {
      const wait = messages?.take(client(c)) ?? 0;
      if (wait > 0) return tooMany(c, wait, 'Too many messages from your network. Please wait a few seconds and send it again.');
      await next();
    },
    bodyLimit({ maxSize: 32 * 1024, onError: (c) => c.json({ error: 'message too large' }, 413) }),
    async (c) => {
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        return c.json({ error: 'the body must be JSON' }, 400);
      }
      const parsed = messageSchema.safeParse(raw);
      if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => i.message).join('; ') }, 400);
      const m = parsed.data;
      const content: InboundContent = m.text !== undefined ? { type: 'text', text: m.text } : m.choice !== undefined ? { type: 'choice', id: m.choice } : { type: 'location', ...m.location! };
      const result = await bot.handle({
        channel: 'web',
        address: m.session,
        externalId: `${m.session}:${m.id ?? randomUUID()}`,
        receivedAt: new Date(),
        content,
        languageHint: m.lang,
      });
      const replies = result.replies.map((r, i) => ({ ...r, id: result.replyIds?.[i] ?? 0 }));
      mark('web: message answered');
      return c.json({ lang: result.lang, dir: isRtl(result.lang) ? 'rtl' : 'ltr', handoff: result.handoff, duplicate: result.duplicate, replies });
    },
  );

  app.get('/history', async (c) => {
    const session = c.req.query('session');
    if (!isSessionId(session)) return c.json({ error: 'not a session id' }, 400);
    const person = await store.findPerson('web', session);
    if (!person) return c.json({ lang: null, dir: 'ltr', handoff: false, messages: [] });
    const conv = await store.getConversation(person.id);
    const messages = (await store.history(person.id)).map((m) => ({ id: m.id, direction: m.direction, author: m.author, body: m.body, at: m.createdAt }));
    const lang = person.language ?? 'en';
    return c.json({ lang, dir: isRtl(lang) ? 'rtl' : 'ltr', handoff: conv.mode !== 'bot', messages });
  });

  const uiKeys = ['title', 'tagline', 'conversation', 'message', 'placeholder', 'send', 'locate', 'sendFailed', 'locateFailed', 'facilitator'] as const;
  app.get('/ui', (c) => {
    const lang = fromLanguageTag(c.req.query('lang')) ?? 'en';
    const t = bot.deps.translator.for(lang);
    c.header('Cache-Control', 'public, max-age=300');
    // The greeting a new visitor sees before writing anything: nothing is stored until they answer.
    const greeting = {
      welcome: t('core:welcome'),
      ask: t('core:whatCanIDo'),
      languageAsk: t('core:languageAsk'),
      // The languages have their own buttons here, so the menu's "Language" choice is left out.
      menu: bot.menu.filter((m) => m.id !== 'cmd:language').map((m) => ({ id: m.id, label: t(m.label) })),
      languages: languages.map((l) => ({ code: l.code, name: l.nativeName, dir: l.dir })),
    };
    return c.json({ lang, dir: isRtl(lang) ? 'rtl' : 'ltr', strings: Object.fromEntries(uiKeys.map((k) => [k, t(`web:${k}`)])), greeting });
  });

  app.get('/stream', (c) => {
    const session = c.req.query('session');
    if (!isSessionId(session)) return c.json({ error: 'not a session id' }, 400);
    const who = client(c);
    if (streams && !streams.acquire(who)) return tooMany(c, 20_000, 'Too many open chats from your network.');
    return streamSSE(c, async (stream) => {
      let closed = false;
      const unsubscribe = web.subscribe(session, (d) => {
        void stream.writeSSE({ event: 'message', id: String(d.id), data: JSON.stringify(d) });
      });
      stream.onAbort(() => {
        if (!closed) streams?.release(who);
        closed = true;
        unsubscribe();
      });
      while (!closed) {
        await stream.writeSSE({ event: 'ping', data: '' });
        await stream.sleep(20_000);
      }
    });
  });

  return app;
}
