/**
 * `/translations`: coordinators and admins review content translations. Machine translations are
 * listed next to their source; each can be approved (shown from then on without the "translated
 * automatically" note), edited (saved as reviewed) or rejected (the bot goes back to the fallback
 * chain and does not translate that text again until the source changes). With a language chosen,
 * the page also lists texts with no translation in that language, to write one by hand: no model
 * needed. Server-rendered, no scripts (strict CSP), CSRF token on every form.
 */
import { Hono } from 'hono';
import { languageCodes } from '../i18n/languages.js';
import { translationSource } from '../llm/content-translations.js';
import { numbersDiffer } from '../llm/translate.js';
import { AccountStore } from '../storage/account-store.js';
import { sourceHash, translationStatuses, type ContentTranslation, type TranslationStatus, type TranslationStore } from '../storage/translation-store.js';
import { signedIn, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { staffLangOf } from '../web/staff-shell.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { translatableContent, type TranslatableRecord } from './translatable.js';
import { translationsView, type MissingText, type TranslationFilters, type TranslationRowView } from './translations-views.js';

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

/** The filters from the query string, checked. */
function filters(q: Record<string, string | undefined>): TranslationFilters {
  const lang = q.lang && languageCodes.includes(q.lang) ? q.lang : undefined;
  const status = q.status === 'all' ? undefined : translationStatuses.includes(q.status as TranslationStatus) ? (q.status as TranslationStatus) : q.status === undefined ? 'machine' : undefined;
  return { lang, status };
}

/** The source changed since the translation was made (or is gone): the bot no longer shows it. */
function isStale(byRef: Map<string, TranslatableRecord>, t: ContentTranslation): boolean {
  const fields = byRef.get(t.ref)?.fields[t.field];
  const source = fields ? translationSource(fields, t.lang) : undefined;
  return !source || sourceHash(source.lang, source.text) !== t.sourceHash;
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
    const stored = await app.translationStore.list({ lang: f.lang, status: f.status });
    const counts = await app.translationStore.counts();
    const byRef = records();
    const missing = f.lang ? await missingFor(byRef, f.lang) : [];
    const rows = stored.map(
      (t): TranslationRowView => ({
        translation: t,
        label: byRef.get(t.ref)?.label ?? t.ref,
        stale: isStale(byRef, t),
        differ: numbersDiffer(t.sourceText, t.text),
      }),
    );
    const account = signedIn(c);
    const url = new URL(c.req.url);
    return c.html(
      translationsView(
        { lang: staffLangOf(c), csrf: c.get('csrf') ?? '', filters: f, rows, counts, missing, done: c.req.query('done'), check: c.req.query('check') === '1' },
        { account: { email: account.email, role: account.role, spaceName: c.get('spaceName') }, here: url.pathname + url.search },
      ),
    );
  });

  r.post('/new', async (c) => {
    const form = await c.req.parseBody();
    const str = (k: string) => {
      const v = form[k];
      return typeof v === 'string' ? v : '';
    };
    const record = records().get(str('ref'));
    const field = str('field');
    const lang = str('lang');
    const text = str('text').trim();
    const fields = record?.fields[field];
    const source = fields && languageCodes.includes(lang) ? translationSource(fields, lang) : undefined;
    if (!source) return c.text('Bad request: unknown text or language.', 400);
    if (!text) return c.redirect(`/translations?lang=${lang}&status=all`, 303);
    const account = signedIn(c);
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
    const account = signedIn(c);
    const now = app.clock.now();
    const row = await app.translationStore.review(id, action === 'reject' ? 'rejected' : 'reviewed', account.id, now, action === 'save' ? text : undefined);
    await accounts.audit(account.id, `translation_${action}`, null, { id }, now);
    // A hand edit is checked like a machine translation, but only to warn: the reviewer decides.
    const check = action === 'save' && row && numbersDiffer(row.sourceText, row.text) ? '&check=1' : '';
    return c.redirect(`/translations?${back}${back ? '&' : ''}done=${action}${check}#t${id}`, 303);
  });

  /** Fields with no text in `lang` and no current stored translation, for writing one by hand. */
  async function missingFor(byRef: Map<string, TranslatableRecord>, lang: string): Promise<MissingText[]> {
    const stored = new Map((await app.translationStore.list({ lang, limit: 10_000 })).map((t) => [`${t.ref}|${t.field}`, t]));
    const out: MissingText[] = [];
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
