/**
 * The `/staff/link` page's body as a pure render function (`link.ts` loads the data and wraps it in
 * the portal's layout): whether a chat is linked, the one-time code to send, or the button to make one.
 * No database, no request.
 */
import { html } from 'hono/html';
import type { Html } from './portal-layout.js';

/** What the link page shows. */
export interface LinkView {
  /** When a chat was linked to this account; absent when none is. */
  linkedAt?: Date;
  /** A code just made, to send to the bot as `/link CODE`. */
  code?: string;
  /** The bot's Telegram username (without `@`), when configured. */
  bot?: string;
  csrf?: string;
}

const csrfField = (csrf: string | undefined) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** Link a Telegram chat to the account: its state, the code or the button to make one, and unlinking. */
export function linkBody({ linkedAt, code, bot, csrf }: LinkView): Html {
  return html`<h1>Use the bot on Telegram</h1>
<p>Link your Telegram chat to this account, then send <code>/newevent</code> to the bot to add an event in a few questions (Italian or English).</p>
<p id="link-status">${linkedAt ? html`A chat is linked since ${linkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'No chat is linked.'}</p>
${
  code
    ? html`<p>Send this to ${bot ? html`<a href="https://t.me/${bot}">@${bot}</a>` : 'the bot'} within 10 minutes (it works once):</p><p class="code"><code id="link-code">/link ${code}</code></p>`
    : html`<form method="post" action="/staff/link/code">${csrfField(csrf)}<button class="primary" id="make-code">Make a code</button></form>`
}
${linkedAt ? html`<form method="post" action="/staff/link/unlink">${csrfField(csrf)}<button id="unlink">Unlink the chat</button></form>` : ''}`;
}
