/**
 * The web chat's page, its web app manifest and icon: pure render functions (no request, no store).
 * The page is rendered in the browser's language (Accept-Language) so `<html lang dir>`, the header
 * and the labels are right before any script runs; `chat.js` then follows the conversation.
 */
import { html } from 'hono/html';
import { fromLanguageTag, getLanguage, isRtl } from '../i18n/languages.js';

/** The page's own words (`locales/<lang>/web.json`). */
export interface ChatWords {
  title: string;
  tagline: string;
  conversation: string;
  message: string;
  placeholder: string;
  send: string;
  locate: string;
}

/**
 * The first of our languages in an `Accept-Language` header, by preference (`q`), or undefined.
 * `ar-EG;q=0.9, en;q=0.8` → `ar`.
 */
export function preferredLanguage(acceptLanguage: string | undefined): string | undefined {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? 1,
      );
      return { tag: tag!.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of tags) {
    const code = fromLanguageTag(tag);
    if (code) return code;
  }
  return undefined;
}

/** A map pin, drawn (an emoji may not exist in the reader's fonts). */
const pin = html`<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24"><path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"/></svg>`;

export function chatPage(lang: string, w: ChatWords) {
  const dir = isRtl(lang) ? 'rtl' : 'ltr';
  return html`<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title data-ui="title">${w.title}</title>
  <meta name="description" content="${w.tagline}">
  <meta name="theme-color" content="#1f4e5f">
  <link rel="manifest" href="/manifest.webmanifest?lang=${lang}">
  <link rel="icon" href="/icon.svg" type="image/svg+xml">
  <link rel="apple-touch-icon" href="/icon.svg">
  <link rel="stylesheet" href="/chat.css">
  <script src="/chat.js" defer></script>
</head>
<body>
  <header class="bar">
    <h1 dir="ltr">Coworkbot</h1>
    <p class="sub" data-ui="tagline">${w.tagline}</p>
  </header>
  <main id="log" class="log" aria-live="polite" aria-label="${w.conversation}" data-ui-label="conversation"></main>
  <form id="composer" class="composer" autocomplete="off">
    <button type="button" id="locate" class="icon" title="${w.locate}" aria-label="${w.locate}" data-ui-label="locate">${pin}</button>
    <label for="text" class="visually-hidden" data-ui="message">${w.message}</label>
    <input id="text" name="text" type="text" dir="auto" maxlength="4000" placeholder="${w.placeholder}" data-ui-placeholder="placeholder" required>
    <button type="submit" id="send" data-ui="send">${w.send}</button>
  </form>
</body>
</html>`;
}

/** The web app manifest, so the chat can be added to a phone's home screen (in the page's language). */
export function chatManifest(lang: string, w: Pick<ChatWords, 'title' | 'tagline'>): Record<string, unknown> {
  return {
    name: w.title,
    short_name: 'Coworkbot',
    description: w.tagline,
    lang,
    dir: getLanguage(lang)?.dir ?? 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f4f1ea',
    theme_color: '#1f4e5f',
    icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any maskable' }],
  };
}

/** The app icon: a speech bubble on the header's colour (scales to any size). */
export const chatIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#1f4e5f"/><path fill="#f4f1ea" d="M128 144h256a32 32 0 0 1 32 32v144a32 32 0 0 1-32 32H236l-76 56v-56h-32a32 32 0 0 1-32-32V176a32 32 0 0 1 32-32z"/><circle cx="196" cy="248" r="20" fill="#1f4e5f"/><circle cx="256" cy="248" r="20" fill="#1f4e5f"/><circle cx="316" cy="248" r="20" fill="#1f4e5f"/></svg>`;
