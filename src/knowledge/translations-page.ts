/**
 * `/translations`: coordinators and admins review content translations. Machine translations are
 * listed next to their source; each can be approved (shown from then on without the "translated
 * automatically" note), edited (saved as reviewed) or rejected (the bot goes back to the fallback
 * chain and does not translate that text again until the source changes). With a language chosen,
 * the page also lists texts with no translation in that language, to write one by hand: no model
 * needed. Server-rendered, no scripts (strict CSP), CSRF token on every form.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { getLanguage, languageCodes } from '../i18n/languages.js';
import { translationSource } from '../llm/content-translations.js';
import { numbersDiffer } from '../llm/translate.js';
import { AccountStore } from '../storage/account-store.js';
import { sourceHash, translationStatuses, type ContentTranslation, type TranslationStatus, type TranslationStore } from '../storage/translation-store.js';
import { requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { staffLangOf, staffShell, type StaffLang } from '../web/staff-shell.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { translatableContent, type TranslatableRecord } from './translatable.js';

const css = `* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic", "Noto Sans Bengali", sans-serif; background: #f4f1ea; color: #1d1d1b; }
main h1 { font-size: 1.5rem; margin: .2rem 0 .6rem; }
main { max-width: 90rem; margin: 0 auto; padding: 1rem; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; background: #fff; border: 1px solid #e2ddd2; border-radius: .6rem; padding: .8rem; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; }
select, button, textarea { font: inherit; font-size: .95rem; padding: .35rem .5rem; border: 1px solid #888; border-radius: .4rem; background: #fff; }
button { background: #1f4e5f; color: #fff; border-color: #1f4e5f; cursor: pointer; min-height: 2.2rem; }
button.reject { background: #fff; color: #8a1c1c; border-color: #8a1c1c; }
table { width: 100%; border-collapse: collapse; background: #fff; margin-top: 1rem; }
th, td { border: 1px solid #e2ddd2; padding: .5rem; vertical-align: top; text-align: start; }
th { background: #ebe6da; }
th:nth-child(2), th:nth-child(3) { width: 38%; }
textarea { width: 100%; min-height: 6rem; }
.ref { font-size: .8rem; color: #555; display: block; }
.status { font-weight: 600; }
.status.machine { color: #8a5a00; }
.status.reviewed { color: #1d6b35; }
.status.rejected { color: #8a1c1c; }
.stale { background: #fff3cd; border: 1px solid #e0c36a; padding: .2rem .4rem; border-radius: .3rem; font-size: .85rem; display: inline-block; margin-top: .3rem; }
.previous { background: #eef3f8; border: 1px solid #9db7cf; padding: .4rem .6rem; border-radius: .4rem; margin-top: .5rem; font-size: .92rem; }
.previous h3 { margin: 0 0 .2rem; font-size: .9rem; }
.previous .was { color: #555; font-size: .85rem; }
.warn { display: block; background: #fde8d7; border: 1px solid #d9894a; color: #6b3000; padding: .2rem .4rem; border-radius: .3rem; font-size: .85rem; margin-top: .3rem; }
.actions { display: flex; gap: .4rem; flex-wrap: wrap; margin-top: .4rem; }
.notice { background: #e6f2ea; border: 1px solid #9cc7a9; padding: .5rem .8rem; border-radius: .4rem; }
h2 { margin-top: 2rem; font-size: 1.2rem; }`;

/** The page's words for staff, in English and Italian (the staff shell's language switch). */
const en = {
  title: 'Content translations',
  intro: 'The bot translates explainer, space and event texts that are missing in a language with the configured model, once, and shows them with the note “Translated automatically”. Approve or correct them here; a rejected translation is not shown and not made again until the source text changes.',
  toReview: 'To review', reviewed: 'reviewed', rejected: 'rejected', language: 'Language', allLanguages: 'All languages', status: 'Status', all: 'All', show: 'Show',
  none: 'No translations match.', text: 'Text', source: 'Source', translation: 'Translation', write: 'Write a translation',
  stale: 'The source has changed since: this translation is no longer shown.', approve: 'Approve', saveEdit: 'Save edit', reject: 'Reject', save: 'Save',
  notYet: 'Not yet translated into {lang}', every: 'Every text has a {lang} version or a translation.',
  choose: 'Choose a language to also see the texts not yet translated into it, and write a translation by hand.',
  differ: 'numbers or links differ from the source', previous: 'Previous reviewed text (source changed)', itTranslated: 'It translated', usePrevious: 'Use the previous text',
  'status.machine': 'Machine (not reviewed)', 'status.reviewed': 'Reviewed', 'status.rejected': 'Rejected',
  'done.approve': 'Approved.', 'done.save': 'Saved and marked reviewed.', 'done.reject': 'Rejected: the bot shows the fallback text.', 'done.new': 'Translation saved.',
  checkNote: ' Numbers or links differ from the source: see the warning next to the text.',
};
type Words = Record<keyof typeof en, string>;
const it: Words = {
  title: 'Traduzioni dei contenuti',
  intro: 'Il bot traduce una volta, con il modello configurato, i testi di spiegazioni, spazi ed eventi che mancano in una lingua, e li mostra con la nota “Tradotto automaticamente”. Qui li approvi o li correggi; una traduzione rifiutata non viene mostrata né rifatta finché il testo di partenza non cambia.',
  toReview: 'Da rivedere', reviewed: 'riviste', rejected: 'rifiutate', language: 'Lingua', allLanguages: 'Tutte le lingue', status: 'Stato', all: 'Tutte', show: 'Mostra',
  none: 'Nessuna traduzione corrisponde.', text: 'Testo', source: 'Originale', translation: 'Traduzione', write: 'Scrivi una traduzione',
  stale: 'Il testo di partenza è cambiato: questa traduzione non viene più mostrata.', approve: 'Approva', saveEdit: 'Salva la modifica', reject: 'Rifiuta', save: 'Salva',
  notYet: 'Non ancora tradotti in {lang}', every: 'Ogni testo ha una versione in {lang} o una traduzione.',
  choose: 'Scegli una lingua per vedere anche i testi non ancora tradotti e scriverne la traduzione a mano.',
  differ: 'numeri o link diversi dall’originale', previous: 'Testo rivisto in precedenza (l’originale è cambiato)', itTranslated: 'Traduceva', usePrevious: 'Usa il testo precedente',
  'status.machine': 'Automatica (da rivedere)', 'status.reviewed': 'Rivista', 'status.rejected': 'Rifiutata',
  'done.approve': 'Approvata.', 'done.save': 'Salvata e segnata come rivista.', 'done.reject': 'Rifiutata: il bot mostra il testo di riserva.', 'done.new': 'Traduzione salvata.',
  checkNote: ' Numeri o link diversi dall’originale: vedi l’avviso accanto al testo.',
};
const words: Record<StaffLang, Words> = { en, it };
const statusLabel = (w: Words, s: TranslationStatus) => w[`status.${s}`];

function langName(code: string): string {
  return getLanguage(code)?.englishName ?? code;
}

/** The filters from the query string, checked. */
function filters(q: Record<string, string | undefined>): { lang?: string; status?: TranslationStatus } {
  const lang = q.lang && languageCodes.includes(q.lang) ? q.lang : undefined;
  const status = q.status === 'all' ? undefined : translationStatuses.includes(q.status as TranslationStatus) ? (q.status as TranslationStatus) : q.status === undefined ? 'machine' : undefined;
  return { lang, status };
}

function backQuery(f: { lang?: string; status?: TranslationStatus }): string {
  return `lang=${f.lang ?? ''}&status=${f.status ?? 'all'}`;
}

/** What `/translations` needs of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface TranslationsPagePorts extends AuthPorts {
  /** The content whose texts are translated, and space names. */
  readonly knowledge: Pick<KnowledgeBase, 'content' | 'space'>;
  readonly translationStore: TranslationStore;
}

/** The `/translations` page and its form endpoints, for coordinators and admins. */
export function translationsPage(app: TranslationsPagePorts): RouteMounter {
  const auth = staffAuth(app);
  const accounts = new AccountStore(app.db);
  const records = () => new Map(translatableContent(app.knowledge.content).map((r) => [r.ref, r]));

  const r = new Hono<AuthEnv>();
  // The stylesheet is public (no data in it); everything else needs a coordinator or admin.
  r.get('/translations.css', (c) => c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  r.use('*', auth.middleware(), requireRole('coordinator', 'admin'));

  r.get('/', async (c) => {
    const f = filters(c.req.query());
    const rows = await app.translationStore.list({ lang: f.lang, status: f.status });
    const counts = await app.translationStore.counts();
    const byRef = records();
    const missing = f.lang ? await missingFor(byRef, f.lang) : [];
    const lang = staffLangOf(c);
    const w = words[lang];
    const key = `done.${c.req.query('done') ?? ''}`;
    const notice = key in w ? w[key as keyof Words] : undefined;
    const account = c.get('account')!;
    const url = new URL(c.req.url);
    return c.html(
      staffShell({
        lang, title: w.title, section: 'translations', csrf: c.get('csrf'), here: url.pathname + url.search,
        account: { email: account.email, role: account.role, spaceName: c.get('spaceName') },
        stylesheets: ['/translations/translations.css'],
        body: page(w, c.get('csrf') ?? '', f, rows, counts, byRef, missing, notice && c.req.query('check') === '1' ? notice + w.checkNote : notice),
      }),
    );
  });

  r.post('/new', async (c) => {
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const record = records().get(str('ref'));
    const field = str('field');
    const lang = str('lang');
    const text = str('text').trim();
    const fields = record?.fields[field];
    const source = fields && languageCodes.includes(lang) ? translationSource(fields, lang) : undefined;
    if (!source) return c.text('Bad request: unknown text or language.', 400);
    if (!text) return c.redirect(`/translations?lang=${lang}&status=all`, 303);
    const account = c.get('account')!;
    const row = await app.translationStore.putReviewed({ ref: record!.ref, field, lang, sourceLang: source.lang, sourceText: source.text, text }, account.id, app.clock.now());
    await accounts.audit(account.id, 'translation_write', null, { id: row.id, ref: row.ref, field, lang }, app.clock.now());
    const check = numbersDiffer(source.text, text) ? '&check=1' : '';
    return c.redirect(`/translations?lang=${lang}&status=all&done=new${check}#t${row.id}`, 303);
  });

  r.post('/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const form = await c.req.parseBody();
    const action = typeof form.action === 'string' ? form.action : '';
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    const back = typeof form.back === 'string' && /^[a-z=&_]*$/.test(form.back) ? form.back : '';
    const current = Number.isSafeInteger(id) ? await app.translationStore.get(id) : undefined;
    if (!current) return c.text('Not found: this translation does not exist.', 404);
    if (!['approve', 'save', 'reject'].includes(action)) return c.text('Bad request: unknown action.', 400);
    if (action === 'save' && !text) return c.text('Bad request: the translation is empty. Use Reject instead.', 400);
    const account = c.get('account')!;
    const now = app.clock.now();
    const row = await app.translationStore.review(id, action === 'reject' ? 'rejected' : 'reviewed', account.id, now, action === 'save' ? text : undefined);
    await accounts.audit(account.id, `translation_${action}`, null, { id }, now);
    // A hand edit is checked like a machine translation, but only to warn: the reviewer decides.
    const check = action === 'save' && row && numbersDiffer(row.sourceText, row.text) ? '&check=1' : '';
    return c.redirect(`/translations?${back}${back ? '&' : ''}done=${action}${check}#t${id}`, 303);
  });

  /** Fields with no text in `lang` and no current stored translation, for writing one by hand. */
  async function missingFor(byRef: Map<string, TranslatableRecord>, lang: string): Promise<{ record: TranslatableRecord; field: string; source: { lang: string; text: string } }[]> {
    const stored = new Map((await app.translationStore.list({ lang, limit: 10_000 })).map((t) => [`${t.ref}|${t.field}`, t]));
    const out: { record: TranslatableRecord; field: string; source: { lang: string; text: string } }[] = [];
    for (const record of byRef.values()) {
      for (const [field, fields] of Object.entries(record.fields)) {
        if (fields[lang]?.trim()) continue;
        const source = translationSource(fields, lang);
        if (!source) continue;
        const row = stored.get(`${record.ref}|${field}`);
        if (row && row.sourceHash === sourceHash(source.lang, source.text) && row.status !== 'rejected') continue;
        out.push({ record, field, source });
      }
    }
    return out.slice(0, 100);
  }

  return (web) => {
    web.route('/translations', r);
  };
}

/** The warning next to a text whose numbers or links differ from its source (saved anyway). */
function warning(w: Words, source: string, text: string) {
  const diff = numbersDiffer(source, text);
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

function page(
  w: Words,
  csrf: string,
  f: { lang?: string; status?: TranslationStatus },
  rows: ContentTranslation[],
  counts: Record<TranslationStatus, number>,
  byRef: Map<string, TranslatableRecord>,
  missing: { record: TranslatableRecord; field: string; source: { lang: string; text: string } }[],
  notice?: string,
) {
  const back = backQuery(f);
  const isStale = (t: ContentTranslation) => {
    const fields = byRef.get(t.ref)?.fields[t.field];
    const source = fields ? translationSource(fields, t.lang) : undefined;
    return !source || sourceHash(source.lang, source.text) !== t.sourceHash;
  };
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
${rows.length === 0
    ? html`<p>${w.none}</p>`
    : html`<table><thead><tr><th>${w.text}</th><th>${w.source}</th><th>${w.translation}</th><th>${w.status}</th></tr></thead><tbody>
${rows.map(
  (t) => html`<tr id="t${t.id}" data-ref="${t.ref}" data-field="${t.field}" data-lang="${t.lang}">
<td>${byRef.get(t.ref)?.label ?? t.ref} · ${t.field}<span class="ref">${t.ref}</span></td>
<td lang="${t.sourceLang}">${langName(t.sourceLang)}:<br>${t.sourceText}${isStale(t) ? html`<br><span class="stale">${w.stale}</span>` : ''}</td>
<td><form method="post" action="/translations/${t.id}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="back" value="${back}">
<label>${langName(t.lang)}<textarea name="text" lang="${t.lang}" dir="${getLanguage(t.lang)?.dir ?? 'ltr'}">${t.text}</textarea></label>${warning(w, t.sourceText, t.text)}
<div class="actions"><button type="submit" name="action" value="approve">${w.approve}</button><button type="submit" name="action" value="save">${w.saveEdit}</button><button type="submit" name="action" value="reject" class="reject">${w.reject}</button></div></form>
${t.previous ? previousBlock(w, t, csrf, back) : ''}</td>
<td><span class="status ${t.status}">${statusLabel(w, t.status)}</span></td>
</tr>`,
)}
</tbody></table>`}
${f.lang
    ? html`<h2>${fill(w.notYet, f.lang)}</h2>
${missing.length === 0
  ? html`<p>${fill(w.every, f.lang)}</p>`
  : html`<table><thead><tr><th>${w.text}</th><th>${w.source}</th><th>${w.write}</th></tr></thead><tbody>
${missing.map(
  (m) => html`<tr data-missing="${m.record.ref}|${m.field}"><td>${m.record.label} · ${m.field}<span class="ref">${m.record.ref}</span></td>
<td lang="${m.source.lang}">${langName(m.source.lang)}:<br>${m.source.text}</td>
<td><form method="post" action="/translations/new"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="ref" value="${m.record.ref}"><input type="hidden" name="field" value="${m.field}"><input type="hidden" name="lang" value="${f.lang}">
<textarea name="text" lang="${f.lang}" dir="${getLanguage(f.lang!)?.dir ?? 'ltr'}" aria-label="${w.write} (${langName(f.lang!)})"></textarea><div class="actions"><button type="submit">${w.save}</button></div></form></td></tr>`,
)}
</tbody></table>`}`
    : html`<p>${w.choose}</p>`}`;
}
