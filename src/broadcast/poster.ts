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
import { html } from 'hono/html';
import QRCode from 'qrcode';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import { getLanguage, isRtl, languageCodes } from '../i18n/languages.js';
import { roles, type Account } from '../storage/account-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';

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
export function posterLinks(app: { readonly config: Pick<Config, 'telegram' | 'whatsapp'> }, spaceId: string): { telegram?: string; whatsapp?: string; missing: string[] } {
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

const CSS = `
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans Bengali", "Noto Sans CJK SC", sans-serif; margin: 0; color: #111; }
.screen-only { padding: 8px 16px; background: #f3f3f3; border-bottom: 1px solid #ccc; font-size: 14px; }
.screen-only a { margin-right: 12px; }
.poster { width: 186mm; min-height: 260mm; margin: 10mm auto; padding: 6mm; border: 1px dashed #bbb; display: flex; flex-direction: column; gap: 6mm; }
h1 { font-size: 30pt; margin: 0; line-height: 1.1; }
.address { font-size: 14pt; margin: 0; }
.lead { font-size: 16pt; margin: 0; }
.codes { display: flex; gap: 10mm; justify-content: center; }
.code { text-align: center; width: 80mm; }
.code img { width: 70mm; height: 70mm; image-rendering: pixelated; }
.code h2 { font-size: 18pt; margin: 2mm 0; }
.code .url { font-size: 8pt; word-break: break-all; color: #444; }
.langs { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5mm 8mm; font-size: 12.5pt; }
.langs [dir="rtl"] { text-align: right; }
.missing { border: 2px solid #b00; color: #b00; padding: 4mm; font-size: 12pt; }
.footer { font-size: 10pt; color: #444; margin-top: auto; }
@media print { .screen-only { display: none; } .poster { border: none; margin: 0; width: auto; } }
`;

export function posterRoutes(app: PosterPorts): RouteMounter {
  const auth = staffAuth(app);
  return (web) => {
    // The strict CSP allows no inline styles: the poster's stylesheet is its own file.
    web.get('/staff/poster.css', (c) => c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
    const r = new Hono<AuthEnv>();
    r.use('*', auth.middleware());
    const space = (c: Context<AuthEnv>) => {
      const id = c.req.param('spaceId') ?? '';
      const s = app.knowledge.space(id);
      return s && canPrintPoster(c.get('account')!, s.id) ? s : undefined;
    };
    const notFound = (c: Context<AuthEnv>) => c.text('Not found: this space does not exist or belongs to another team.', 404);

    // The navigation's "Poster": staff go to their space's poster; coordinators and admins choose a space.
    r.get('/', requireRole(...roles), async (c) => {
      const account = c.get('account')!;
      if (account.role === 'staff' && account.spaceId) return c.redirect(`/staff/poster/${account.spaceId}`, 302);
      const spaces = app.knowledge.content.spaces.filter((s) => canPrintPoster(account, s.id));
      if (spaces.length === 0) return notFound(c);
      return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Posters</title><link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/staff/poster.css"></head>
<body><div class="screen-only"><a href="/staff">← Staff portal</a></div><main class="poster"><h1>Posters</h1><ul>${spaces.map((s) => html`<li><a href="/staff/poster/${s.id}">${s.name}</a></li>`)}</ul></main></body></html>`);
    });

    r.get('/:spaceId', requireRole(...roles), async (c) => {
      const s = space(c);
      if (!s) return notFound(c);
      const links = posterLinks(app, s.id);
      const ask = languageCodes.map((lang) => ({ lang, dir: isRtl(lang) ? 'rtl' : 'ltr', text: app.translator.for(lang)('broadcast:poster.ask'), name: getLanguage(lang)?.nativeName ?? lang }));
      const code = (label: string, url: string | undefined, file: string) =>
        url ? html`<div class="code"><h2>${label}</h2><img src="/staff/poster/${s.id}/${file}" alt="QR code: ${url}"><div class="url">${url}</div></div>` : '';
      return c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Poster · ${s.name}</title><link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/staff/poster.css"></head>
<body><div class="screen-only"><a href="/staff">← Staff portal</a> Print this page (A4). Download the codes:
${links.telegram ? html`<a href="/staff/poster/${s.id}/telegram.svg" download="telegram-${s.id}.svg">Telegram QR (SVG)</a>` : ''}
${links.whatsapp ? html`<a href="/staff/poster/${s.id}/whatsapp.svg" download="whatsapp-${s.id}.svg">WhatsApp QR (SVG)</a>` : ''}</div>
<main class="poster" id="poster">
<h1>${s.name}</h1><p class="address">${s.address}</p>
<p class="lead" lang="it">Uno spazio di coworking aperto a tutte e tutti. Scansiona il codice e fai le tue domande.</p>
<p class="lead" lang="en">A coworking space open to everyone. Scan the code and ask your questions.</p>
${links.missing.length ? html`<div class="missing" id="missing"><b>No QR code can be printed yet for: </b>${links.missing.map((m, i) => html`${i ? '; ' : ''}set ${m}`)}. An admin sets it in the bot’s configuration.</div>` : ''}
<div class="codes">${code('Telegram', links.telegram, 'telegram.svg')}${code('WhatsApp', links.whatsapp, 'whatsapp.svg')}</div>
<div class="langs">${ask.map((a) => html`<div lang="${a.lang}" dir="${a.dir}">${a.text}</div>`)}</div>
<p class="footer">Free. Your messages stay private. Write “stop” at any time.</p>
</main></body></html>`);
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
