/**
 * The staff portal's broadcast pages as pure render functions: the list, the new-announcement form,
 * and one broadcast (preview before sending, report after), from the data the route handlers
 * (`portal.ts`) have loaded and the portal's translator. No database, no request. The handler wraps
 * each body in the portal's layout (`portal-layout.ts`).
 */
import { html } from 'hono/html';
import { getLanguage, languageCodes } from '../i18n/languages.js';
import type { Role } from '../storage/account-store.js';
import type { Broadcast, DeliveryReport } from '../storage/broadcast-store.js';
import type { Html } from './portal-layout.js';
import type { Ui } from './portal-strings.js';
import { receiptCell } from './report.js';

const csrfField = (csrf: string | undefined) => html`<input type="hidden" name="_csrf" value="${csrf!}">`;

/** A short error page: the message, and a link back when there is somewhere to go back to. */
export function errorBody(message: string, back?: { href: string; label: string }): Html {
  return back ? html`<p class="error">${message}</p><p><a href="${back.href}">${back.label}</a></p>` : html`<p class="error">${message}</p>`;
}

/** The broadcasts list; `spaceNames` gives space names by id. */
export function broadcastListBody(ui: Ui, list: Broadcast[], spaceNames: ReadonlyMap<string, string>): Html {
  return html`<h1>${ui('nav.broadcasts')}</h1><p><a href="/staff/new">${ui('nav.new')}</a></p>
${list.length === 0 ? html`<p>${ui('b.none')}</p>` : html`<table><thead><tr><th>#</th><th>${ui('form.space')}</th><th>${ui('bc.message')}</th><th>${ui('b.status')}</th><th>${ui('b.created')}</th></tr></thead><tbody>
${list.map((b) => html`<tr><td><a href="/staff/b/${b.id}">${b.id}</a></td><td>${b.spaceId ? spaceNames.get(b.spaceId) ?? b.spaceId : '—'}</td><td>${(Object.values(b.messages.text)[0] ?? '').slice(0, 80)}</td><td class="status">${b.status}</td><td>${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`}`;
}

/** What the new-announcement form offers. */
export interface NewBroadcastView {
  role: Role;
  /** A staff account's space (the broadcast goes to its followers). */
  spaceId: string | null;
  csrf?: string;
  maxText: number;
  topics: readonly string[];
  districts: readonly string[];
}

/** The new-announcement form. */
export function newBroadcastBody(ui: Ui, v: NewBroadcastView): Html {
  const langOptions = languageCodes.filter((l) => l !== 'en' && l !== 'it');
  const MAX_TEXT = v.maxText;
  return html`<h1>${ui('nav.new')}</h1>
<form method="post" action="/staff/new" id="new-broadcast">${csrfField(v.csrf)}
${v.role === 'staff' ? html`<input type="hidden" name="space" value="${v.spaceId ?? ''}">` : html`<fieldset><legend>${ui('form.space')}</legend><input type="text" name="space" placeholder="${ui('b.spacePlaceholder')}"></fieldset>`}
<fieldset><legend>${ui('b.messageLegend')}</legend>
<label>English<br><textarea name="text_en" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label>Italiano<br><textarea name="text_it" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label for="other-lang">${ui('b.another')}</label> <select name="other_lang" id="other-lang"><option value="">—</option>${langOptions.map((l) => html`<option value="${l}">${getLanguage(l)!.englishName} · ${getLanguage(l)!.nativeName}</option>`)}</select><br>
<textarea name="text_other" rows="3" maxlength="${MAX_TEXT}" aria-label="${ui('b.another')}"></textarea>
<p>${ui('b.nearest')}</p>
<label>${ui('b.waTitle')}<br><input type="text" name="title" maxlength="60"></label></fieldset>
<fieldset><legend>${ui('bc.audience')}</legend>
${v.role === 'staff' ? html`<label class="check"><input type="checkbox" name="followers" value="1" checked> ${ui('bc.followers')}</label>` : html`<label class="check"><input type="checkbox" name="followers" value="1"> ${ui('b.followersAbove')}</label>`}
<label class="check"><input type="checkbox" name="all_events" value="1"> ${ui('bc.allEvents')}</label>
<p>${ui('bc.topics')}: ${v.topics.map((t) => html`<label class="check"><input type="checkbox" name="topic" value="${t}"> ${t}</label>`)}</p>
<p>${ui('b.areas')}: ${v.districts.map((d) => html`<label class="check"><input type="checkbox" name="district" value="${d}"> ${d}</label>`)}</p>
<p>${ui('b.onlyLangs')}: ${languageCodes.map((l) => html`<label class="check"><input type="checkbox" name="lang" value="${l}"> ${l}</label>`)}</p></fieldset>
<button class="primary" id="preview-button">${ui('bc.preview')}</button></form>`;
}

/** How a broadcast reads in one language, as the engine renders it for Telegram and WhatsApp. */
export interface PreviewBubble {
  lang: string;
  dir: 'rtl' | 'ltr';
  /** The message's text and buttons (Telegram rendering). */
  text: string | undefined;
  choices: string[];
  /** The language the text was written in, when another one is shown for `lang`. */
  shownIn?: string;
  /** The WhatsApp template's parameter (outside the 24-hour window). */
  templateParam: string | undefined;
}

/** The WhatsApp template used outside the 24-hour window, if configured. */
export interface TemplateInfo {
  name?: string;
  language?: string;
}

/** The "exactly what people will see" bubbles, one pair per language. */
export function previewBody(ui: Ui, bubbles: PreviewBubble[], template: TemplateInfo): Html {
  const waTemplate = template.name;
  return html`<div class="preview">${bubbles.map((p) => {
    const lang = p.lang;
    return html`<div class="bubble" dir="${p.dir}" data-lang="${lang}"><h3 dir="ltr">${getLanguage(lang)?.englishName ?? lang} · ${ui('b.window')}${p.shownIn !== undefined ? ` · ${ui('b.shownIn', { lang: getLanguage(p.shownIn)?.englishName ?? p.shownIn })}` : ''}</h3><div dir="auto">${p.text}</div>${p.choices.map((label) => html`<span class="btn">${label}</span>`)}</div>
<div class="bubble template" dir="ltr" data-lang="${lang}"><h3>${getLanguage(lang)?.englishName ?? lang} · ${ui('b.outside')}</h3>${waTemplate ? html`${ui('b.template')} <b>${waTemplate}</b> (${template.language ?? lang}), ${ui('b.parameter')} {{1}} = “${p.templateParam}”` : html`<span class="error">${ui('b.noTemplate')}</span>`}</div>`;
  })}</div>`;
}

/** A draft or scheduled broadcast: who it reaches, the preview, and the send / schedule / cancel actions. */
export interface DraftView {
  b: Broadcast;
  /** The audience in words. */
  audience: string;
  counts: { channel: string; lang: string; people: number }[];
  /** No channel can send broadcasts. */
  noChannel: boolean;
  preview: Html;
  csrf?: string;
}

export function draftBody(ui: Ui, v: DraftView): Html {
  const { b, counts, csrf } = v;
  const total = counts.reduce((n, x) => n + x.people, 0);
  return html`<h1>${ui('b.previewTitle', { id: b.id })}</h1><p>${ui('b.audience')}: ${v.audience}</p>
<h2>${ui('b.reach')} <span id="reach">${total}</span> ${ui(total === 1 ? 'b.person' : 'b.people')}</h2>
${v.noChannel ? html`<p class="error">${ui('b.noChannel')}</p>` : ''}
<table id="counts"><thead><tr><th>${ui('b.channel')}</th><th>${ui('b.language')}</th><th>${ui('b.peopleCol')}</th></tr></thead><tbody>${counts.map((x) => html`<tr><td>${x.channel}</td><td>${getLanguage(x.lang)?.englishName ?? x.lang}</td><td>${x.people}</td></tr>`)}</tbody></table>
<h2>${ui('b.exactly')}</h2>${v.preview}
${b.status === 'scheduled' ? html`<p class="status">${ui('b.scheduledFor', { at: b.scheduledAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '' })}</p>` : ''}
<div class="actions"><form method="post" action="/staff/b/${b.id}/send">${csrfField(csrf)}<button class="primary" id="send-now">${ui('b.sendNow')}</button></form>
${b.status === 'draft' ? html`<form method="post" action="/staff/b/${b.id}/schedule">${csrfField(csrf)}<label>${ui('b.sendAt')}<br><input type="datetime-local" name="at" required></label> <button>${ui('b.schedule')}</button></form>` : ''}
<form method="post" action="/staff/b/${b.id}/cancel">${csrfField(csrf)}<button>${ui('b.cancel')}</button></form></div>`;
}

/** A broadcast being sent or sent: progress and the delivery report. */
export function reportBody(ui: Ui, b: Broadcast, audience: string, rep: DeliveryReport, preview: Html): Html {
  const done = rep.total - (rep.byStatus.pending ?? 0) - (rep.byStatus.sending ?? 0);
  return html`<h1>${ui('b.reportTitle', { id: b.id })}: ${b.status}</h1><p>${ui('b.audience')}: ${audience}</p>
${b.status === 'sending' ? html`<p><progress id="progress" max="${Math.max(1, rep.total)}" value="${done}" data-url="/staff/b/${b.id}/status"></progress> <span id="progress-label">${done} / ${rep.total}</span></p>` : ''}
<h2>${ui('b.report')}</h2><table id="report"><tbody>
<tr><th>${ui('b.r.total')}</th><td>${rep.total}</td></tr>
<tr><th>${ui('b.r.sent')}</th><td id="sent">${(rep.byStatus.sent ?? 0) + (rep.byStatus.delivered ?? 0) + (rep.byStatus.read ?? 0)}</td></tr>
<tr><th>${ui('b.r.delivered')}</th><td id="delivered">${receiptCell(rep, 'delivered')}</td></tr>
<tr><th>${ui('b.r.read')}</th><td id="read">${receiptCell(rep, 'read')}</td></tr>
<tr><th>${ui('b.r.waiting')}</th><td>${rep.byStatus.pending ?? 0}</td></tr>
<tr><th>${ui('b.r.failed')}</th><td id="failed">${rep.byStatus.failed ?? 0}</td></tr>
<tr><th>${ui('b.r.unknown')}</th><td>${rep.byStatus.unknown ?? 0}</td></tr>
<tr><th>${ui('b.r.skipped')}</th><td>${rep.byStatus.skipped ?? 0}</td></tr>
<tr><th>${ui('b.r.stop')}</th><td id="opted-out">${rep.optedOutSince}</td></tr></tbody></table>
${rep.reasons.length ? html`<h3>${ui('b.r.why')}</h3><ul>${rep.reasons.map((x) => html`<li>${x.error}: ${x.n}</li>`)}</ul>` : ''}
<h2>${ui('bc.message')}</h2>${preview}`;
}
