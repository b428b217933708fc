/**
 * The printable poster's pages as pure render functions (`poster.ts` serves them): the list of
 * spaces a coordinator chooses from, and one space's A4 poster, from the space, its deep links and
 * "Ask in your language" in every language. No database, no request: the handler loads and calls.
 */
import { html } from 'hono/html';
import type { Space } from '../knowledge/content.js';
import type { Html } from './portal-layout.js';

/** The poster's links for a space, and what to set where one cannot be made (see `posterLinks`). */
export interface PosterLinks {
  telegram?: string;
  whatsapp?: string;
  /** Human-readable reasons (a variable to set, an id that cannot be linked). */
  missing: string[];
}

/** "Ask in your language" in one language, with that language's script direction. */
export interface PosterAsk {
  lang: string;
  dir: 'ltr' | 'rtl';
  text: string;
}

/** What one space's poster shows. */
export interface PosterView {
  space: Pick<Space, 'id' | 'name' | 'address'>;
  links: PosterLinks;
  ask: readonly PosterAsk[];
}

/** The poster's stylesheet (its own file: the strict CSP allows no inline styles). */
export const POSTER_CSS = `
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

/** The spaces a coordinator or admin may print a poster for, each a link to its poster. */
export function posterIndexPage(spaces: readonly Pick<Space, 'id' | 'name'>[]): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Posters</title><link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/staff/poster.css"></head>
<body><div class="screen-only"><a href="/staff">← Staff portal</a></div><main class="poster"><h1>Posters</h1><ul>${spaces.map((s) => html`<li><a href="/staff/poster/${s.id}">${s.name}</a></li>`)}</ul></main></body></html>`;
}

/** One space's poster: name, address, the QR codes (or what to set), "Ask in your language". */
export function posterPage({ space: s, links, ask }: PosterView): Html {
  const code = (label: string, url: string | undefined, file: string) =>
    url ? html`<div class="code"><h2>${label}</h2><img src="/staff/poster/${s.id}/${file}" alt="QR code: ${url}"><div class="url">${url}</div></div>` : '';
  return html`<!doctype html>
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
</main></body></html>`;
}
