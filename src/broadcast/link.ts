/**
 * `/staff/link`: link a Telegram chat to the logged-in staff account. "Make a code" shows a one-time
 * code (8 characters, 10 minutes, single use; only its hash is stored) to send to the bot as
 * `/link CODE`; then `/newevent` in the chat creates events. The page shows whether a chat is linked
 * (never which one: the link holds a pseudonymous person id) and unlinks it.
 */
import { Hono } from 'hono';
import type { Config } from '../config.js';
import { StaffLinkStore } from '../storage/staff-link-store.js';
import { signedIn, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { linkBody } from './link-views.js';
import { layout, type C } from './portal-layout.js';

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
    const account = signedIn(c);
    const linked = await links.linkOf(account.id);
    return c.html(layout(c, 'Telegram', linkBody({ linkedAt: linked?.linkedAt, code: code?.code, bot, csrf: c.get('csrf') })));
  }

  return (web) => {
    const r = new Hono<AuthEnv>();
    r.use('*', auth.middleware());
    r.get('/', requireRole('staff', 'coordinator', 'admin'), (c) => page(c));
    r.post('/code', requireRole('staff', 'coordinator', 'admin'), async (c) => page(c, await links.createCode(signedIn(c).id, app.clock.now())));
    r.post('/unlink', requireRole('staff', 'coordinator', 'admin'), async (c) => {
      await links.unlink(signedIn(c).id);
      return c.redirect('/staff/link', 303);
    });
    web.route('/staff/link', r);
  };
}
