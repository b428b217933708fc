/**
 * The facilitators' inbox, as pure render functions: the queue, the open conversation (newest at
 * the bottom, the composer under it) and the context panel. The route handlers (`inbox.ts`) load
 * the data and hand it over; `inbox.js` swaps these fragments in place, so a facilitator moves from
 * one conversation to the next without a page reload. Every value goes through hono/html escaping.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ConsoleStrings } from '../i18n/staff-strings.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One waiting or claimed conversation in the queue. */
export interface QueueItemView {
  personId: string;
  status: 'waiting' | 'claimed';
  safety: boolean;
  priority: string;
  late: boolean;
  waited: string;
  language: string;
  channel: string;
  unread: number;
  owner: string | null;
  mine: boolean;
  reason: string;
  snippet: string;
  card?: string;
}

/** One message of the conversation. */
export interface MessageView {
  id: number;
  direction: 'in' | 'out';
  /** `bot`, `facilitator`, `person`… (the author's kind, for the style). */
  kind: string;
  author: string;
  at: string;
  text: string;
  /** The person's text in the facilitator's language, when a model is configured and the languages differ. */
  translation?: string;
  /** Delivery status of an outbound message. */
  status?: string;
}

export interface ConversationView {
  personId: string;
  /** The open case, if any. */
  caseId?: number;
  /** `waiting` (claim it), `mine` (reply), `other` (someone else has it), `view` (coordinator), `closed` (with the bot). */
  state: 'waiting' | 'mine' | 'other' | 'view' | 'closed';
  statusLine: string;
  messages: MessageView[];
  lastId: number;
  language: string;
  /** The person's language code, for the composer's text direction. */
  langCode: string;
  rtl: boolean;
  canned: { title: string; text: string }[];
  /** A model can translate the reply into the person's language (configured, and the languages differ). */
  translate: boolean;
  /** A translation model is configured at all (without one, the composer says to use canned replies). */
  modelOn: boolean;
  outcomes: { value: string; label: string }[];
  reassignTo: { id: number; email: string }[];
}

export interface ContextView {
  personId: string;
  language: string;
  channel: string;
  /** For WhatsApp: whether free text reaches the person now. */
  window?: { open: boolean; text: string };
  consents: string[];
  card?: { title: string; fields: { label: string; value: string }[] };
  spaces: string[];
  pastCases: { opened: string; reason: string; outcome: string; owner: string | null }[];
  notes: { author: string; at: string; body: string }[];
  canNote: boolean;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export function queueList(items: QueueItemView[], s: ConsoleStrings, openId: string | undefined): Html {
  if (items.length === 0) return html`<h2 id="queue-h">${s.queue}</h2><p class="empty">${s.empty}</p>`;
  return html`<h2 id="queue-h">${s.queue} <span class="count">(${items.length})</span></h2>
<ol class="inbox-queue" aria-labelledby="queue-h">${items.map(
    (i) => html`<li class="${[i.safety ? 'safety' : '', i.late ? 'late' : '', i.status, i.mine ? 'mine' : ''].filter(Boolean).join(' ')}">
<a href="/console/inbox?c=${i.personId}" data-person="${i.personId}"${i.personId === openId ? html` aria-current="true"` : ''}>
<span class="row1"><b class="pid">${i.personId}</b>${i.safety ? html` <span class="badge safety">${s.safety}</span>` : ''}${i.unread ? html` <span class="unread" aria-label="${i.unread} ${s.unread}">${i.unread}</span>` : ''}</span>
<span class="row2">${i.language} · ${i.channel} · ${i.waited}${i.late ? html` · <strong class="alert">${s.late}</strong>` : ''}</span>
<span class="row3">${i.status === 'waiting' ? s.waiting : i.mine ? s.mine : `${s.ownedBy} ${i.owner ?? '?'}`} · ${i.reason}${i.card ? html` · <i>${i.card}</i>` : ''}</span>
${i.snippet ? html`<span class="snippet" dir="auto">${i.snippet}</span>` : ''}</a></li>`,
  )}</ol>`;
}

export function messageItem(m: MessageView, s: ConsoleStrings): Html {
  return html`<li class="msg ${m.direction} ${m.kind}" data-id="${m.id}"><span class="who">${m.author}</span> <span class="at">${m.at}</span>
<div class="text" dir="auto">${m.text}</div>${m.translation ? html`<div class="translation" dir="auto"><span class="visually-hidden">${s.translation}: </span>${m.translation}</div>` : ''}${m.status ? html`<span class="delivery" data-status="${m.status}">${m.status}</span>` : ''}</li>`;
}

export function conversationPane(v: ConversationView, s: ConsoleStrings, csrf: string): Html {
  const action = (name: string) => `/console/c/${v.personId}/${name}`;
  const caseField = v.caseId !== undefined ? html`<input type="hidden" name="case" value="${v.caseId}">` : '';
  const actions =
    v.state === 'waiting'
      ? html`<form method="post" action="${action('claim')}" data-act="claim">${csrfField(csrf)}${caseField}<button class="claim" id="claim" aria-keyshortcuts="c">${s.claim}</button></form>`
      : v.state === 'mine'
        ? html`<form method="post" action="${action('release')}" data-act="release">${csrfField(csrf)}${caseField}<button id="release" aria-keyshortcuts="b">${s.release}</button></form>
<form method="post" action="${action('close')}" data-act="close" class="close-form">${csrfField(csrf)}${caseField}<label>${s.outcome} <select name="outcome" id="outcome" aria-keyshortcuts="x">${v.outcomes.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select></label><button id="close">${s.close}</button></form>
${v.reassignTo.length ? html`<form method="post" action="${action('reassign')}" data-act="reassign">${csrfField(csrf)}${caseField}<label>${s.reassign} <select name="to">${v.reassignTo.map((u) => html`<option value="${u.id}">${u.email}</option>`)}</select></label><button>OK</button></form>` : ''}`
        : '';
  const composer =
    v.state === 'mine'
      ? html`<form method="post" action="${action('reply')}" data-act="reply" class="composer" id="composer">${csrfField(csrf)}${caseField}
<div class="composer-tools"><label>${s.useCanned} <select id="canned">${v.canned.map((k) => html`<option value="${k.text}">${k.title}</option>`)}</select></label> <button type="button" id="use-canned">${s.insert}</button>
${v.translate ? html`<button type="button" id="translate" data-url="${action('translate')}">${s.translate}</button>` : ''}${v.modelOn ? '' : html`<small>${s.offlineNote}</small>`}</div>
<span id="translate-note" hidden data-ok="${s.translatedNote}" data-failed="${s.translationFailed}"></span>
<div class="composer-row"><textarea name="text" id="reply-text" rows="3" required maxlength="4000" dir="${v.rtl ? 'rtl' : 'auto'}" lang="${v.langCode}" aria-label="${s.reply} (${v.language})" aria-keyshortcuts="r" aria-describedby="send-hint"></textarea><input type="hidden" name="original" id="reply-original" value="">
<button type="submit" id="send-reply">${s.reply}</button></div><small id="send-hint">${s.sendKey}</small></form>`
      : html`<p class="composer-note">${v.state === 'waiting' ? s.claimToReply : v.state === 'view' ? s.viewOnly : v.state === 'closed' ? s.closed : v.statusLine}</p>`;
  return html`<section class="conv" id="conv" aria-labelledby="conv-h" data-person="${v.personId}" data-state="${v.state}" data-stream="/console/c/${v.personId}/stream?after=${v.lastId}">
<div class="conv-head"><a class="back" href="/console/inbox" data-action="back">← ${s.back}</a><h2 id="conv-h" tabindex="-1">${s.history} · <span class="pid">${v.personId}</span></h2>
<p class="status" id="case-status">${v.statusLine}</p><div class="actions">${actions}</div></div>
<ol id="thread" class="thread" tabindex="0" aria-label="${s.messages}">${v.messages.map((m) => messageItem(m, s))}</ol>
${composer}</section>`;
}

export function contextPanel(v: ContextView, s: ConsoleStrings, csrf: string): Html {
  return html`<aside class="context" id="context" aria-labelledby="ctx-h"><h2 id="ctx-h">${s.about}</h2>
<dl class="facts"><dt>${s.language}</dt><dd>${v.language}</dd><dt>${s.channel}</dt><dd>${v.channel}</dd>
${v.window ? html`<dt>${s.window}</dt><dd class="${v.window.open ? 'ok' : 'warn'}" id="window">${v.window.text}</dd>` : ''}
<dt>${s.consents}</dt><dd>${v.consents.length ? v.consents.join(', ') : s.none}</dd></dl>
${v.card ? html`<section class="card"><h3>${s.card}</h3><p><b>${v.card.title}</b></p><dl>${v.card.fields.map((f) => html`<dt>${f.label}</dt><dd dir="auto">${f.value}</dd>`)}</dl></section>` : ''}
<section><h3>${s.spacesShown}</h3>${v.spaces.length ? html`<ul>${v.spaces.map((x) => html`<li>${x}</li>`)}</ul>` : html`<p class="muted">${s.noneYet}</p>`}</section>
<section><h3>${s.pastCases}</h3>${v.pastCases.length ? html`<ul class="past">${v.pastCases.map((k) => html`<li>${k.opened} · ${k.reason} · <b>${k.outcome}</b>${k.owner ? ` · ${k.owner}` : ''}</li>`)}</ul>` : html`<p class="muted">${s.noneYet}</p>`}</section>
<section class="notes"><h3>${s.notes}</h3>${v.notes.length ? html`<ul>${v.notes.map((n) => html`<li><b>${n.author}</b> <small>${n.at}</small><div dir="auto">${n.body}</div></li>`)}</ul>` : ''}
${v.canNote ? html`<form method="post" action="/console/c/${v.personId}/note" data-act="note">${csrfField(csrf)}<textarea name="body" id="note-text" rows="2" required maxlength="4000" aria-label="${s.notes}" aria-keyshortcuts="n"></textarea><button>${s.addNote}</button></form>` : ''}</section></aside>`;
}

/** The inbox page's body: the queue beside the open conversation and its context. */
export function inboxBody(queue: Html, work: Html | undefined, s: ConsoleStrings): Html {
  return html`<div class="inbox${work ? ' has-open' : ''}" id="inbox" data-events="/console/events" data-strings="${JSON.stringify({ sent: s.sent, claimed: s.claimedNow, released: s.releasedNow, closed: s.closedNow, next: s.nextOpened, failed: s.actionFailed, loadFailed: s.loadFailed, lost: s.lostClaim, pick: s.pick, translation: s.translation })}">
<nav class="queue-pane" id="queue" aria-label="${s.queue}">${queue}</nav>
<div class="work" id="work">${work ?? html`<p class="pick">${s.pick}</p>`}</div>
<p id="inbox-live" class="visually-hidden" role="status" aria-live="polite"></p>
<details class="keys"><summary>${s.keys}</summary><dl>
<dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>${s.keyNext}</dd><dt><kbd>c</kbd></dt><dd>${s.keyClaim}</dd><dt><kbd>r</kbd></dt><dd>${s.keyReply}</dd>
<dt><kbd>Ctrl</kbd>+<kbd>Enter</kbd></dt><dd>${s.keySend}</dd><dt><kbd>Esc</kbd></dt><dd>${s.keyLeave}</dd><dt><kbd>b</kbd></dt><dd>${s.keyRelease}</dd>
<dt><kbd>x</kbd></dt><dd>${s.keyClose}</dd><dt><kbd>n</kbd></dt><dd>${s.keyNote}</dd></dl></details></div>`;
}
