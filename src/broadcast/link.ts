/**
 * `/staff/link`: link a Telegram chat to the logged-in staff account. "Make a code" shows a one-time
 * code (8 characters, 10 minutes, single use; only its hash is stored) to send to the bot as
 * `/link CODE`; then `/newevent` in the chat creates events. The page shows whether a chat is linked
 * (never which one: the link holds a pseudonymous person id) and unlinks it.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Config } from '../config.js';
import { StaffLinkStore } from '../storage/staff-link-store.js';
import { requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { csrfField, layout, type C } from './portal-layout.js';

/**
 * What `/staff/link` needs of the running bot (a narrow port; the assembled App satisfies it as it
 * is): the login's ports, whose database also holds the link codes.
 */
export interface LinkPorts extends AuthPorts {
  /** The bot's Telegram username, for the "send this to @bot" line. */
  readonly config: Pick<Config, 'server' | 'telegram'>;
}

export function linkRoutes(app: LinkPorts): RouteMounter {
  const auth = staffAuth(app);
  const links = new StaffLinkStore(app.db);
  const bot = app.config.telegram.botUsername?.replace(/^@/, '');

  async function page(c: C, code?: { code: string; expiresAt: Date }) {
    const account = c.get('account')!;
    const linked = await links.linkOf(account.id);
    return c.html(
      layout(
        c,
        'Telegram',
        html`<h1>Use the bot on Telegram</h1>
<p>Link your Telegram chat to this account, then send <code>/newevent</code> to the bot to add an event in a few questions (Italian or English).</p>
<p id="link-status">${linked ? html`A chat is linked since ${linked.linkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'No chat is linked.'}</p>
${
  code
    ? html`<p>Send this to ${bot ? html`<a href="https://t.me/${bot}">@${bot}</a>` : 'the bot'} within 10 minutes (it works once):</p><p class="code"><code id="link-code">/link ${code.code}</code></p>`
    : html`<form method="post" action="/staff/link/code">${csrfField(c)}<button class="primary" id="make-code">Make a code</button></form>`
}
${linked ? html`<form method="post" action="/staff/link/unlink">${csrfField(c)}<button id="unlink">Unlink the chat</button></form>` : ''}`,
      ),
    );
  }

  return (web) => {
    const r = new Hono<AuthEnv>();
    r.use('*', auth.middleware());
    r.get('/', requireRole('staff', 'coordinator', 'admin'), (c) => page(c));
    r.post('/code', requireRole('staff', 'coordinator', 'admin'), async (c) => page(c, await links.createCode(c.get('account')!.id, app.clock.now())));
    r.post('/unlink', requireRole('staff', 'coordinator', 'admin'), async (c) => {
      await links.unlink(c.get('account')!.id);
      return c.redirect('/staff/link', 303);
    });
    web.route('/staff/link', r);
  };
}
