/**
 * The staff portal's pages as pure render functions: the broadcasts (the list, the new-announcement
 * form, one broadcast's preview before sending and report after) and the space card editor, from
 * the data the route handlers (`portal.ts`, `portal-space.ts`) have loaded and the portal's
 * translator. No database, no request. The handler wraps each body in the portal's layout
 * (`portal-layout.ts`). The event pages (`portal-events.ts`) too.
 */
import { html } from 'hono/html';
import { getLanguage, languageCodes, languages } from '../i18n/languages.js';
import { serviceTags, topicTags, type KnowledgeEvent, type Space } from '../knowledge/content.js';
import type { Role } from '../storage/account-store.js';
import type { Broadcast, DeliveryReport } from '../storage/broadcast-store.js';
import { isStaffEventId, type FieldErrors } from '../storage/staff-content-store.js';
import { SUBSCRIPTION_TOPICS, type Html } from './portal-layout.js';
import type { PortalText as Ui } from '../i18n/staff-strings.js';
import { receiptCell } from './report.js';

const csrfField = (csrf: string | undefined) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** The form's fields as strings (what was submitted, or the current card). */
export interface SpaceFormValues {
  hours: string;
  services: string[];
  languages: string;
  priceNote: string;
  sourceLang: string;
  descriptions: Record<string, string>;
  /** Languages filled by a machine draft in this form (marked until saved; not stored). */
  machine: string[];
}

/** One form field's error next to it (`data-field` lets tests and people find it). */
export function fieldError(errors: FieldErrors, name: string): Html | string {
  const m = errors[name];
  return m ? html`<span class="error field-error" data-field="${name}" role="alert">${m}</span>` : '';
}

/**
 * The form's first submit button, out of sight: pressing Enter in a text field submits the first
 * submit button of a form, and that must be Save, never "Draft translations" (a model call).
 */
export const defaultSave = html`<button type="submit" name="action" value="save" class="default-submit" tabindex="-1" aria-hidden="true">save</button>`;

export const langName = (l: string) => `${getLanguage(l)?.englishName ?? l} · ${getLanguage(l)?.nativeName ?? l}`;

/** What the space card form shows. */
export interface SpaceFormView {
  space: Pick<Space, 'id' | 'name'>;
  values: SpaceFormValues;
  errors: FieldErrors;
  /** A confirmation (text), or a fragment such as the drafting note. */
  note?: string | Html;
  /** A model is configured: offer machine drafts of the other languages. */
  canDraft: boolean;
  /** Numbers or links of a language's description that differ from the source's, by language. */
  differ: Record<string, string | undefined>;
  csrf?: string;
}

/** The space card editor: hours, services, languages, price note and the descriptions in every language. */
export function spaceFormBody(ui: Ui, f: SpaceFormView): Html {
  const { space, values: v, errors, note } = f;
  const others = languageCodes.filter((l) => l !== v.sourceLang);
  const anyOther = others.some((l) => v.descriptions[l]);
  const draftMark = (l: string) => (v.machine.includes(l) ? html` <mark class="draft">${ui('form.draftNote')}</mark>` : '');
  const warn = (l: string) => {
    const diff = f.differ[l];
    return diff ? html`<span class="warn" data-warn="description_${l}" role="alert">⚠️ ${ui('form.numbersDiffer', { list: diff })}</span>` : '';
  };
  return html`<h1>${ui('space.title', { name: space.name })}</h1><p>${ui('space.intro')}</p>
${typeof note === 'string' ? html`<p class="ok" role="status">${note}</p>` : (note ?? '')}${Object.keys(errors).length ? html`<p class="error" role="alert">${ui('form.errors')}</p>` : ''}
<form method="post" action="/staff/space/${space.id}" id="space-form">${csrfField(f.csrf)}${defaultSave}<input type="hidden" name="machine" value="${v.machine.join(',')}">
<fieldset><legend>${ui('space.hours')}</legend><input type="text" name="hours" value="${v.hours}" aria-label="${ui('space.hours')}"> ${fieldError(errors, 'hours')}<br><small>${ui('space.hoursHelp')}</small></fieldset>
<fieldset><legend>${ui('space.services')}</legend>${serviceTags.map((s) => html`<label class="check"><input type="checkbox" name="services" value="${s}"${v.services.includes(s) ? ' checked' : ''}> ${s.replace(/_/g, ' ')}</label>`)} ${fieldError(errors, 'services')}</fieldset>
<fieldset><legend>${ui('space.languages')}</legend><input type="text" name="languages" value="${v.languages}" placeholder="it, en, fr"> ${fieldError(errors, 'languages')}</fieldset>
<fieldset><legend>${ui('space.priceNote')}</legend><input type="text" name="price_note" value="${v.priceNote}" maxlength="200" aria-label="${ui('space.priceNote')}"> ${fieldError(errors, 'priceNote')}</fieldset>
<fieldset><legend>${ui('space.descriptions')}</legend>
<label>${ui('space.sourceLang')} <select name="source_lang">${languageCodes.map((l) => html`<option value="${l}"${l === v.sourceLang ? ' selected' : ''}>${langName(l)}</option>`)}</select></label> ${fieldError(errors, 'sourceLang')}<br>
<textarea name="description_${v.sourceLang}" rows="4" lang="${v.sourceLang}" dir="auto" aria-label="${ui('space.descriptions')} (${langName(v.sourceLang)})">${v.descriptions[v.sourceLang] ?? ''}</textarea> ${fieldError(errors, `description_${v.sourceLang}`)}
<details${anyOther ? ' open' : ''} id="space-other-langs"><summary>${ui('space.otherLangs')}</summary>${others.map((l) => html`<div class="lang-block${v.machine.includes(l) ? ' drafted' : ''}" data-lang="${l}"><label>${langName(l)}${draftMark(l)}<br><textarea name="description_${l}" rows="2" lang="${l}" dir="auto">${v.descriptions[l] ?? ''}</textarea></label> ${fieldError(errors, `description_${l}`)}${warn(l)}</div>`)}</details>
${f.canDraft ? html`<p><button name="action" value="draft" id="draft-space">${ui('form.draft')}</button></p>` : html`<p class="muted" id="space-offline-note">${ui('space.offline')}</p>`}</fieldset>
<button class="primary" name="action" value="save" id="save-space">${ui('space.save')}</button></form>`;
}

/** The coordinators' list of spaces, each with links to its card and its events. */
export function spaceListBody(ui: Ui, spaces: readonly Pick<Space, 'id' | 'name'>[]): Html {
  return html`<h1>${ui('spaces.title')}</h1><p>${ui('spaces.intro')}</p>
<table><tbody>${spaces.map((s) => html`<tr><td>${s.name}</td><td><a href="/staff/space/${s.id}">${ui('nav.space')}</a></td><td><a href="/staff/events?space=${s.id}">${ui('nav.events')}</a></td></tr>`)}</tbody></table>`;
}

/** The note after machine drafts: how many were made, and which languages failed. */
export function draftNote(ui: Ui, drafted: string[], failed: string[]): Html {
  return html`<p class="ok" role="status" id="draft-note">${ui('form.drafted', { n: drafted.length })}</p>${failed.length ? html`<p class="error">${ui('form.draftFailed', { langs: failed.join(', ') })}</p>` : ''}`;
}

/** The form's fields as strings (what was submitted, or the stored event). */
export interface EventFormValues {
  spaceId: string;
  sourceLang: string;
  title: Record<string, string>;
  description: Record<string, string>;
  date: string;
  start: string;
  end: string;
  price: string;
  topics: string[];
  languages: string[];
  /** Languages filled by a machine draft (marked for review). */
  machine: string[];
}

/** What the event form shows. */
export interface EventFormView {
  /** Where the form posts. */
  action: string;
  values: EventFormValues;
  errors: FieldErrors;
  /** A confirmation or the drafting note, above the form. */
  note?: Html | string;
  /**
   * New events: the language choice is a small GET form above (to this address), so the page shows
   * that language's fields first without any script; editing keeps it in the form.
   */
  sourceSwitch?: string;
  /** The space's name, shown to coordinators and admins (staff know their own). */
  spaceName?: string;
  /** A model is configured: offer machine drafts of the other languages. */
  canDraft: boolean;
  /** Numbers or links of a translation that differ from the source, by field and language. */
  differ: Record<'title' | 'description', Record<string, string | undefined>>;
  csrf?: string;
}

/** The event form: title and description in every language, when, price, topics, languages. */
export function eventFormBody(ui: Ui, f: EventFormView): Html {
  const { action, values: v, errors, note, sourceSwitch } = f;
  const others = languageCodes.filter((l) => l !== v.sourceLang);
  const anyOther = others.some((l) => v.title[l] || v.description[l]);
  // A translation whose numbers or links differ from the source is saved, with a warning beside it.
  const warn = (field: 'title' | 'description', l: string) => {
    const diff = f.differ[field][l];
    return diff ? html`<span class="warn" data-warn="${field}_${l}" role="alert">⚠️ ${ui('form.numbersDiffer', { list: diff })}</span>` : '';
  };
  const draftMark = (l: string) => (v.machine.includes(l) ? html` <mark class="draft">${ui('form.draftNote')}</mark>` : '');
  const langSelect = html`<select name="${sourceSwitch ? 'lang' : 'source_lang'}">${languageCodes.map((l) => html`<option value="${l}"${l === v.sourceLang ? ' selected' : ''}>${langName(l)}</option>`)}</select>`;
  return html`${note ?? ''}${Object.keys(errors).length ? html`<p class="error" role="alert">${ui('form.errors')}</p>` : ''}
${sourceSwitch ? html`<form method="get" action="/staff/events/new" id="source-switch"><input type="hidden" name="space" value="${v.spaceId}"><label>${ui('form.sourceLang')} ${langSelect}</label> <button>${ui('form.change')}</button></form>` : ''}
<form method="post" action="${action}" id="event-form">${csrfField(f.csrf)}${defaultSave}<input type="hidden" name="machine" value="${v.machine.join(',')}">
${f.spaceName !== undefined ? html`<p>${ui('form.space')}: <b>${f.spaceName}</b></p>` : ''}
<fieldset><legend>${ui('form.title')} · ${ui('form.description')}</legend>
${sourceSwitch ? html`<input type="hidden" name="source_lang" value="${v.sourceLang}">` : html`<label>${ui('form.sourceLang')} ${langSelect}</label>`} ${fieldError(errors, 'sourceLang')}<br>
<label>${ui('form.title')}<br><input type="text" name="title_${v.sourceLang}" value="${v.title[v.sourceLang] ?? ''}" maxlength="120" dir="auto"></label> ${fieldError(errors, `title_${v.sourceLang}`)}<br>
<label>${ui('form.description')}<br><textarea name="description_${v.sourceLang}" rows="3" dir="auto">${v.description[v.sourceLang] ?? ''}</textarea></label> ${fieldError(errors, `description_${v.sourceLang}`)}
<details${anyOther ? ' open' : ''} id="other-langs"><summary>${ui('form.otherLangs')}</summary><p><small>${ui('form.otherLangsHelp')}</small></p>
${others.map(
  (l) => html`<div class="lang-block${v.machine.includes(l) ? ' drafted' : ''}" data-lang="${l}"><b>${langName(l)}</b>${draftMark(l)}<br>
<input type="text" name="title_${l}" value="${v.title[l] ?? ''}" maxlength="120" lang="${l}" dir="auto" aria-label="${ui('form.title')} (${l})"> ${fieldError(errors, `title_${l}`)}${warn('title', l)}
<textarea name="description_${l}" rows="2" lang="${l}" dir="auto" aria-label="${ui('form.description')} (${l})">${v.description[l] ?? ''}</textarea> ${fieldError(errors, `description_${l}`)}${warn('description', l)}</div>`,
)}
</details>
${f.canDraft ? html`<p><button name="action" value="draft" id="draft-button">${ui('form.draft')}</button></p>` : html`<p class="muted" id="offline-note">${ui('form.offline')}</p>`}</fieldset>
<fieldset><legend>${ui('events.when')}</legend>
<label>${ui('form.date')} <input type="date" name="date" value="${v.date}"></label>
<label>${ui('form.start')} <input type="time" name="start" value="${v.start}"></label> ${fieldError(errors, 'start')}
<label>${ui('form.end')} <input type="time" name="end" value="${v.end}"></label> ${fieldError(errors, 'end')}</fieldset>
<fieldset><legend>${ui('form.price')}</legend>${(['free', 'paid'] as const).map((p) => html`<label class="check"><input type="radio" name="price" value="${p}"${v.price === p ? ' checked' : ''}> ${ui(p === 'free' ? 'form.free' : 'form.paid')}</label>`)} ${fieldError(errors, 'price')}</fieldset>
<fieldset><legend>${ui('form.topics')}</legend>${topicTags.map((t) => html`<label class="check"><input type="checkbox" name="topics" value="${t}"${v.topics.includes(t) ? ' checked' : ''}> ${t.replace(/_/g, ' ')}</label>`)} ${fieldError(errors, 'topics')}</fieldset>
<fieldset><legend>${ui('form.languages')}</legend>${languageCodes.map((l) => html`<label class="check"><input type="checkbox" name="languages" value="${l}"${v.languages.includes(l) ? ' checked' : ''}> ${l}</label>`)} ${fieldError(errors, 'languages')}</fieldset>
<button class="primary" name="action" value="save" id="save-event">${ui('form.save')}</button></form>`;
}

/** One upcoming event in the list. */
export interface EventListItem {
  id: string;
  title: string;
  /** When, formatted in the staff language and the bot's time zone. */
  when: string;
}

/** What the events list shows. */
export interface EventListView {
  space: Pick<Space, 'id' | 'name'>;
  events: EventListItem[];
  /** An event was just saved, or cancelled. */
  saved: boolean;
  cancelled: boolean;
  /** Every space, for the space switch of coordinators and admins (absent for staff). */
  spaces?: readonly Pick<Space, 'id' | 'name'>[];
  csrf?: string;
}

/** A space's upcoming events, with edit / cancel for staff events and a broadcast link for each. */
export function eventListBody(ui: Ui, v: EventListView): Html {
  const spaceId = v.space.id;
  const events = v.events;
  return html`<h1>${ui('events.title', { name: v.space.name })}</h1>
${v.saved ? html`<p class="ok" role="status">${ui('events.saved')}</p>` : ''}${v.cancelled ? html`<p class="ok" role="status">${ui('events.cancelled')}</p>` : ''}
${v.spaces ? html`<form method="get" action="/staff/events"><select name="space" aria-label="${ui('form.space')}">${v.spaces.map((s) => html`<option value="${s.id}"${s.id === spaceId ? ' selected' : ''}>${s.name}</option>`)}</select> <button>${ui('nav.events')}</button></form>` : ''}
<p><a href="/staff/events/new?space=${spaceId}" id="new-event">${ui('events.new')}</a></p>
${
  events.length === 0
    ? html`<p>${ui('events.none')}</p>`
    : html`<table id="events"><thead><tr><th>${ui('events.when')}</th><th>${ui('events.event')}</th><th>${ui('events.source')}</th><th>${ui('events.actions')}</th></tr></thead><tbody>
${events.map(
  (e) => html`<tr data-event="${e.id}"><td>${e.when}</td><td>${e.title}</td><td>${isStaffEventId(e.id) ? ui('events.fromStaff') : ui('events.fromSheet')}</td>
<td class="row-actions">${
    isStaffEventId(e.id)
      ? html`<a href="/staff/events/${e.id}/edit">${ui('events.edit')}</a>
<form method="post" action="/staff/events/${e.id}/cancel">${csrfField(v.csrf)}<button class="cancel-event">${ui('events.cancel')}</button></form>`
      : ''
  }
<a href="/staff/events/${e.id}/broadcast" class="broadcast-event">${ui('events.broadcast')}</a></td></tr>`,
)}</tbody></table>`
}`;
}

/** What the "announce this event" form shows. */
export interface EventBroadcastView {
  event: Pick<KnowledgeEvent, 'id' | 'title'>;
  /** The announcement's text by language. */
  text: Record<string, string>;
  /** The subscription topics that match the event's (checked). */
  topics: string[];
  csrf?: string;
}

/** The form that announces an event: the message in every language and the audience. */
export function eventBroadcastBody(ui: Ui, v: EventBroadcastView): Html {
  const e = v.event;
  const topics = v.topics;
  return html`<h1>${ui('bc.title', { title: e.title })}</h1><p>${ui('bc.intro')}</p>
<h2>${ui('bc.message')}</h2><div class="preview">${Object.entries(v.text).map(([l, t]) => html`<div class="bubble" dir="auto" data-lang="${l}"><h3 dir="ltr">${langName(l)}</h3>${t}</div>`)}</div>
<form method="post" action="/staff/events/${e.id}/broadcast" id="event-broadcast">${csrfField(v.csrf)}
<fieldset><legend>${ui('bc.audience')}</legend>
<label class="check"><input type="checkbox" name="followers" value="1" checked> ${ui('bc.followers')}</label>
<label class="check"><input type="checkbox" name="all_events" value="1" checked> ${ui('bc.allEvents')}</label>
<p>${ui('bc.topics')}: ${SUBSCRIPTION_TOPICS.map((t) => html`<label class="check"><input type="checkbox" name="topic" value="${t}"${topics.includes(t) ? ' checked' : ''}> ${t}</label>`)}</p></fieldset>
<button class="primary" id="preview-button">${ui('bc.preview')}</button></form>`;
}

/** A page's heading above its body (the event form pages). */
export function headed(heading: string, body: Html): Html {
  return html`<h1>${heading}</h1>${body}`;
}

/** Saved, with translations whose numbers or links differ: the form again, to check the warnings. */
export function savedNote(ui: Ui): Html {
  return html`<p class="ok" role="status" id="saved-note">${ui('events.saved')} ${ui('form.checkWarnings')}</p>`;
}

/** A short error page: the message, and a link back when there is somewhere to go back to. */
export function errorBody(message: string, back?: { href: string; label: string }): Html {
  return back ? html`<p class="error">${message}</p><p><a href="${back.href}">${back.label}</a></p>` : html`<p class="error">${message}</p>`;
}

/** The broadcasts list; `spaceNames` gives space names by id. */
export function broadcastListBody(ui: Ui, list: Broadcast[], spaceNames: ReadonlyMap<string, string>): Html {
  return html`<h1>${ui('nav.broadcasts')}</h1><p><a href="/staff/new">${ui('nav.new')}</a></p>
${
  list.length === 0
    ? html`<p>${ui('b.none')}</p>`
    : html`<table><thead><tr><th>#</th><th>${ui('form.space')}</th><th>${ui('bc.message')}</th><th>${ui('b.status')}</th><th>${ui('b.created')}</th></tr></thead><tbody>
${list.map((b) => html`<tr><td><a href="/staff/b/${b.id}">${b.id}</a></td><td>${b.spaceId ? (spaceNames.get(b.spaceId) ?? b.spaceId) : '—'}</td><td>${(Object.values(b.messages.text)[0] ?? '').slice(0, 80)}</td><td class="status">${b.status}</td><td>${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`
}`;
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
  const langOptions = languages.filter((l) => l.code !== 'en' && l.code !== 'it');
  const MAX_TEXT = v.maxText;
  return html`<h1>${ui('nav.new')}</h1>
<form method="post" action="/staff/new" id="new-broadcast">${csrfField(v.csrf)}
${v.role === 'staff' ? html`<input type="hidden" name="space" value="${v.spaceId ?? ''}">` : html`<fieldset><legend>${ui('form.space')}</legend><input type="text" name="space" placeholder="${ui('b.spacePlaceholder')}"></fieldset>`}
<fieldset><legend>${ui('b.messageLegend')}</legend>
<label>English<br><textarea name="text_en" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label>Italiano<br><textarea name="text_it" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label for="other-lang">${ui('b.another')}</label> <select name="other_lang" id="other-lang"><option value="">—</option>${langOptions.map((l) => html`<option value="${l.code}">${l.englishName} · ${l.nativeName}</option>`)}</select><br>
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
