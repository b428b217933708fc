/**
 * The `/translations` page as pure render functions: from the translations, counts and missing texts
 * the route handler (`translations-page.ts`) has loaded, to HTML. No database, no request. Every
 * value goes through hono/html escaping.
 */
import { html } from 'hono/html';
import { getLanguage, languageCodes } from '../i18n/languages.js';
import type { Role } from '../storage/account-store.js';
import { translationStatuses, type ContentTranslation, type TranslationStatus } from '../storage/translation-store.js';
import { staffShell, type Html, type StaffLang } from '../web/staff-shell.js';
import type { TranslatableRecord } from './translatable.js';

/** The page's words for staff, in English and Italian (the staff shell's language switch). */
const en = {
  title: 'Content translations',
  intro:
    'The bot translates explainer, space and event texts that are missing in a language with the configured model, once, and shows them with the note “Translated automatically”. Approve or correct them here; a rejected translation is not shown and not made again until the source text changes.',
  toReview: 'To review',
  reviewed: 'reviewed',
  rejected: 'rejected',
  language: 'Language',
  allLanguages: 'All languages',
  status: 'Status',
  all: 'All',
  show: 'Show',
  none: 'No translations match.',
  text: 'Text',
  source: 'Source',
  translation: 'Translation',
  write: 'Write a translation',
  stale: 'The source has changed since: this translation is no longer shown.',
  approve: 'Approve',
  saveEdit: 'Save edit',
  reject: 'Reject',
  save: 'Save',
  notYet: 'Not yet translated into {lang}',
  every: 'Every text has a {lang} version or a translation.',
  choose: 'Choose a language to also see the texts not yet translated into it, and write a translation by hand.',
  differ: 'numbers or links differ from the source',
  previous: 'Previous reviewed text (source changed)',
  itTranslated: 'It translated',
  usePrevious: 'Use the previous text',
  'status.machine': 'Machine (not reviewed)',
  'status.reviewed': 'Reviewed',
  'status.rejected': 'Rejected',
  'done.approve': 'Approved.',
  'done.save': 'Saved and marked reviewed.',
  'done.reject': 'Rejected: the bot shows the fallback text.',
  'done.new': 'Translation saved.',
  checkNote: ' Numbers or links differ from the source: see the warning next to the text.',
};
export type Words = Record<keyof typeof en, string>;
const it: Words = {
  title: 'Traduzioni dei contenuti',
  intro:
    'Il bot traduce una volta, con il modello configurato, i testi di spiegazioni, spazi ed eventi che mancano in una lingua, e li mostra con la nota “Tradotto automaticamente”. Qui li approvi o li correggi; una traduzione rifiutata non viene mostrata né rifatta finché il testo di partenza non cambia.',
  toReview: 'Da rivedere',
  reviewed: 'riviste',
  rejected: 'rifiutate',
  language: 'Lingua',
  allLanguages: 'Tutte le lingue',
  status: 'Stato',
  all: 'Tutte',
  show: 'Mostra',
  none: 'Nessuna traduzione corrisponde.',
  text: 'Testo',
  source: 'Originale',
  translation: 'Traduzione',
  write: 'Scrivi una traduzione',
  stale: 'Il testo di partenza è cambiato: questa traduzione non viene più mostrata.',
  approve: 'Approva',
  saveEdit: 'Salva la modifica',
  reject: 'Rifiuta',
  save: 'Salva',
  notYet: 'Non ancora tradotti in {lang}',
  every: 'Ogni testo ha una versione in {lang} o una traduzione.',
  choose: 'Scegli una lingua per vedere anche i testi non ancora tradotti e scriverne la traduzione a mano.',
  differ: 'numeri o link diversi dall’originale',
  previous: 'Testo rivisto in precedenza (l’originale è cambiato)',
  itTranslated: 'Traduceva',
  usePrevious: 'Usa il testo precedente',
  'status.machine': 'Automatica (da rivedere)',
  'status.reviewed': 'Rivista',
  'status.rejected': 'Rifiutata',
  'done.approve': 'Approvata.',
  'done.save': 'Salvata e segnata come rivista.',
  'done.reject': 'Rifiutata: il bot mostra il testo di riserva.',
  'done.new': 'Traduzione salvata.',
  checkNote: ' Numeri o link diversi dall’originale: vedi l’avviso accanto al testo.',
};
/** The page's words, by staff language. */
export const translationWords: Record<StaffLang, Words> = { en, it };
const statusLabel = (w: Words, s: TranslationStatus) => w[`status.${s}`];

function langName(code: string): string {
  return getLanguage(code)?.englishName ?? code;
}

/** The list's filters (checked by the handler). */
export interface TranslationFilters {
  lang?: string;
  status?: TranslationStatus;
}

/** The query string that brings the reviewer back to the same filters after a form post. */
function backQuery(f: TranslationFilters): string {
  return `lang=${f.lang ?? ''}&status=${f.status ?? 'all'}`;
}

/** One stored translation, with what the handler worked out about it. */
export interface TranslationRowView {
  translation: ContentTranslation;
  /** The text's label (its record's), else its ref. */
  label: string;
  /** The source changed since: the bot no longer shows this translation. */
  stale: boolean;
  /** Numbers or links that differ from the source (see `numbersDiffer`), if any. */
  differ?: string;
}

/** A text with no translation in the chosen language, to write one by hand. */
export interface MissingText {
  record: TranslatableRecord;
  field: string;
  source: { lang: string; text: string };
}

/** Everything the page shows. */
export interface TranslationsView {
  lang: StaffLang;
  csrf: string;
  filters: TranslationFilters;
  rows: TranslationRowView[];
  counts: Record<TranslationStatus, number>;
  missing: MissingText[];
  /** The action just done (`approve`, `save`, `reject`, `new`), for the notice. */
  done?: string;
  /** The saved text's numbers or links differ from the source (adds a note to the notice). */
  check: boolean;
}

/** Who is looking and where, for the staff shell. */
export interface TranslationsViewer {
  account: { email: string; role: Role; spaceName?: string };
  here: string;
}

/** The whole page, in the staff shell. */
export function translationsView(v: TranslationsView, viewer: TranslationsViewer): Html {
  return staffShell({
    lang: v.lang,
    title: translationWords[v.lang].title,
    section: 'translations',
    csrf: v.csrf,
    here: viewer.here,
    account: viewer.account,
    stylesheets: ['/translations/translations.css'],
    body: translationsBody(v),
  });
}

/** The warning next to a text whose numbers or links differ from its source (saved anyway). */
function warning(w: Words, diff: string | undefined) {
  return diff ? html`<span class="warn" role="alert">⚠️ ${w.differ}: ${diff}</span>` : '';
}

/**
 * A reviewer's text for the earlier source (kept when the source changed): shown with that source,
 * to approve again as it is or copy into the field above and adapt. The bot does not show it.
 */
function previousBlock(w: Words, t: ContentTranslation, csrf: string, back: string) {
  const p = t.previous!;
  return html`<div class="previous" data-previous>
<h3>${w.previous}</h3>
<div lang="${t.lang}" dir="${getLanguage(t.lang)?.dir ?? 'ltr'}">${p.text}</div>
<div class="was">${w.itTranslated}: ${p.sourceText}</div>
<form method="post" action="/translations/${t.id}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="back" value="${back}"><input type="hidden" name="text" value="${p.text}">
<div class="actions"><button type="submit" name="action" value="save">${w.usePrevious}</button></div></form>
</div>`;
}

/** The page's body (inside the staff shell). */
export function translationsBody(v: TranslationsView): Html {
  const w = translationWords[v.lang];
  const { csrf, filters: f, counts, missing } = v;
  const rows = v.rows;
  const back = backQuery(f);
  const key = `done.${v.done ?? ''}`;
  const done = key in w ? w[key as keyof Words] : undefined;
  const notice = done && v.check ? done + w.checkNote : done;
  const fill = (t: string, lang: string) => t.replace('{lang}', langName(lang));
  return html`<h1>${w.title}</h1>
<p>${w.intro}</p>
<p>${w.toReview}: <strong>${counts.machine}</strong> · ${w.reviewed}: ${counts.reviewed} · ${w.rejected}: ${counts.rejected}</p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<form class="filters" method="get" action="/translations">
<label>${w.language} <select name="lang"><option value="">${w.allLanguages}</option>${languageCodes.map((l) => html`<option value="${l}" ${f.lang === l ? 'selected' : ''}>${langName(l)} (${l})</option>`)}</select></label>
<label>${w.status} <select name="status"><option value="all" ${!f.status ? 'selected' : ''}>${w.all}</option>${translationStatuses.map((s) => html`<option value="${s}" ${f.status === s ? 'selected' : ''}>${statusLabel(w, s)}</option>`)}</select></label>
<button type="submit">${w.show}</button>
</form>
${
  rows.length === 0
    ? html`<p>${w.none}</p>`
    : html`<table><thead><tr><th>${w.text}</th><th>${w.source}</th><th>${w.translation}</th><th>${w.status}</th></tr></thead><tbody>
${rows.map(
  ({ translation: t, label, stale, differ }) => html`<tr id="t${t.id}" data-ref="${t.ref}" data-field="${t.field}" data-lang="${t.lang}">
<td>${label} · ${t.field}<span class="ref">${t.ref}</span></td>
<td lang="${t.sourceLang}">${langName(t.sourceLang)}:<br>${t.sourceText}${stale ? html`<br><span class="stale">${w.stale}</span>` : ''}</td>
<td><form method="post" action="/translations/${t.id}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="back" value="${back}">
<label>${langName(t.lang)}<textarea name="text" lang="${t.lang}" dir="${getLanguage(t.lang)?.dir ?? 'ltr'}">${t.text}</textarea></label>${warning(w, differ)}
<div class="actions"><button type="submit" name="action" value="approve">${w.approve}</button><button type="submit" name="action" value="save">${w.saveEdit}</button><button type="submit" name="action" value="reject" class="reject">${w.reject}</button></div></form>
${t.previous ? previousBlock(w, t, csrf, back) : ''}</td>
<td><span class="status ${t.status}">${statusLabel(w, t.status)}</span></td>
</tr>`,
)}
</tbody></table>`
}
${
  f.lang
    ? html`<h2>${fill(w.notYet, f.lang)}</h2>
${
  missing.length === 0
    ? html`<p>${fill(w.every, f.lang)}</p>`
    : html`<table><thead><tr><th>${w.text}</th><th>${w.source}</th><th>${w.write}</th></tr></thead><tbody>
${missing.map(
  (m) => html`<tr data-missing="${m.record.ref}|${m.field}"><td>${m.record.label} · ${m.field}<span class="ref">${m.record.ref}</span></td>
<td lang="${m.source.lang}">${langName(m.source.lang)}:<br>${m.source.text}</td>
<td><form method="post" action="/translations/new"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="ref" value="${m.record.ref}"><input type="hidden" name="field" value="${m.field}"><input type="hidden" name="lang" value="${f.lang}">
<textarea name="text" lang="${f.lang}" dir="${getLanguage(f.lang!)?.dir ?? 'ltr'}" aria-label="${w.write} (${langName(f.lang!)})"></textarea><div class="actions"><button type="submit">${w.save}</button></div></form></td></tr>`,
)}
</tbody></table>`
}`
    : html`<p>${w.choose}</p>`
}`;
}
