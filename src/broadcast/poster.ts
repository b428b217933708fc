/**
 * A printable poster per space at `/staff/poster/:spaceId`: the space's name and address, QR codes
 * that open the bot on Telegram (`https://t.me/<bot>?start=space_<id>`) and WhatsApp
 * (`https://wa.me/<number>?text=space_<id>`, which the WhatsApp decoder turns into the same deep link)
 * straight on the space's card, and "Ask in your language" in every language, each in its own script
 * direction. A4, print styles; the QR codes are also downloadable SVG files. Staff of that space,
 * coordinators and admins; any other account gets 404 (no hint the space exists). When a bot username or number is not configured the
 * page says which variable to set instead of printing a code that leads nowhere.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import QRCode from 'qrcode';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import { isRtl, languageCodes } from '../i18n/languages.js';
import { roles, type Account } from '../storage/account-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { signedIn, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { POSTER_CSS, posterIndexPage, posterPage, type PosterLinks } from './poster-views.js';

/** Space ids a deep link can carry (Telegram's start parameter allows A-Z a-z 0-9 _ -, 64 characters). */
const LINKABLE = /^[a-z0-9_-]{1,40}$/;

/** What the posters need of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface PosterPorts extends AuthPorts {
  /** The bot's Telegram username and public WhatsApp number the codes open. */
  readonly config: Pick<Config, 'server' | 'telegram' | 'whatsapp'>;
  /** The spaces a poster is printed for. */
  readonly knowledge: Pick<KnowledgeBase, 'content' | 'space'>;
  /** "Ask in your language" in every language. */
  readonly translator: Pick<Translator, 'for'>;
}

/** The poster's links for a space; `undefined` with the reason when one cannot be made. */
export function posterLinks(app: { readonly config: Pick<Config, 'telegram' | 'whatsapp'> }, spaceId: string): PosterLinks {
  const missing: string[] = [];
  if (!LINKABLE.test(spaceId)) return { missing: [`the space id "${spaceId}" cannot be put in a link (only a-z, 0-9, _ and -)`] };
  const username = app.config.telegram.botUsername?.replace(/^@/, '');
  const number = app.config.whatsapp.displayNumber?.replace(/[^0-9]/g, '');
  if (!username) missing.push('TELEGRAM_BOT_USERNAME (the bot’s @username from BotFather)');
  if (!number) missing.push('WHATSAPP_DISPLAY_NUMBER (the bot’s public WhatsApp number, e.g. +39 333 123 4567)');
  return {
    telegram: username ? `https://t.me/${username}?start=space_${spaceId}` : undefined,
    whatsapp: number ? `https://wa.me/${number}?text=${encodeURIComponent(`space_${spaceId}`)}` : undefined,
    missing,
  };
}

/** A QR code as an SVG document (error correction M: survives a scratched, badly lit print). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}

/** Whether an account may print a space's poster: its staff, coordinators, admins. */
export function canPrintPoster(account: Account, spaceId: string): boolean {
  return account.role === 'admin' || account.role === 'coordinator' || (account.role === 'staff' && account.spaceId === spaceId);
}

export function posterRoutes(app: PosterPorts): RouteMounter {
  const auth = staffAuth(app);
  return (web) => {
    // The strict CSP allows no inline styles: the poster's stylesheet is its own file.
    web.get('/staff/poster.css', (c) => c.body(POSTER_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
    const r = new Hono<AuthEnv>();
    r.use('*', auth.middleware());
    const space = (c: Context<AuthEnv>) => {
      const id = c.req.param('spaceId') ?? '';
      const s = app.knowledge.space(id);
      return s && canPrintPoster(signedIn(c), s.id) ? s : undefined;
    };
    const notFound = (c: Context<AuthEnv>) => c.text('Not found: this space does not exist or belongs to another team.', 404);

    // The navigation's "Poster": staff go to their space's poster; coordinators and admins choose a space.
    r.get('/', requireRole(...roles), async (c) => {
      const account = signedIn(c);
      if (account.role === 'staff' && account.spaceId) return c.redirect(`/staff/poster/${account.spaceId}`, 302);
      const spaces = app.knowledge.content.spaces.filter((s) => canPrintPoster(account, s.id));
      if (spaces.length === 0) return notFound(c);
      return c.html(posterIndexPage(spaces));
    });

    r.get('/:spaceId', requireRole(...roles), async (c) => {
      const s = space(c);
      if (!s) return notFound(c);
      const links = posterLinks(app, s.id);
      // Only the language's own text and direction: the view knows no translator.
      const ask = languageCodes.map((lang) => ({ lang, dir: isRtl(lang) ? ('rtl' as const) : ('ltr' as const), text: app.translator.for(lang)('broadcast:poster.ask') }));
      return c.html(posterPage({ space: s, links, ask }));
    });

    r.get('/:spaceId/:file{(telegram|whatsapp)\\.svg}', requireRole(...roles), async (c) => {
      const s = space(c);
      if (!s) return notFound(c);
      const which = c.req.param('file')!.startsWith('telegram') ? 'telegram' : 'whatsapp';
      const url = posterLinks(app, s.id)[which];
      if (!url) return c.text(`No ${which} link: see the poster page for what to set.`, 404);
      return c.body(await qrSvg(url), 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'content-disposition': `inline; filename="${which}-${s.id}.svg"` });
    });

    web.route('/staff/poster', r);
  };
}
