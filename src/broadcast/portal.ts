/**
 * The staff portal at `/staff`: a space's staff write a short announcement, choose who gets it
 * (followers of the space, people who asked for all events, topics, areas, languages), see how many
 * people it reaches per channel and language, preview the exact message per language and channel
 * (with the WhatsApp template for people outside the 24-hour window), send it now or schedule it,
 * follow a progress bar, then read the delivery report. Staff see only their own space's broadcasts;
 * coordinators and admins see all. Server-rendered, no inline scripts (strict CSP).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Config } from '../config.js';
import { render } from '../core/render.js';
import { capabilitiesOf } from '../channels/channel.js';
import { getLanguage, isRtl, languageCodes } from '../i18n/languages.js';
import type { Account, Role } from '../storage/account-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Audience, Broadcast, BroadcastStore } from '../storage/broadcast-store.js';
import type { StaffContentStore } from '../storage/staff-content-store.js';
import { requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { pickText, type BroadcastEngine } from './engine.js';
import { linkRoutes, type LinkPorts } from './link.js';
import { posterRoutes, type PosterPorts } from './poster.js';
import { receiptCell } from './report.js';
import { csrfField, layout, uiFor, SUBSCRIPTION_DISTRICTS, SUBSCRIPTION_TOPICS, type C, type Html } from './portal-layout.js';
import { mountEventPages, type EventPagesPorts } from './portal-events.js';
import { mountSpacePages, type SpacePagesPorts } from './portal-space.js';
import type { Ui } from './portal-strings.js';
import { setStaffLang } from '../web/staff-shell.js';


const publicDir = join(import.meta.dirname, 'public');
const allowed: Role[] = ['staff', 'coordinator', 'admin'];
const TOPICS = SUBSCRIPTION_TOPICS;
const DISTRICTS = SUBSCRIPTION_DISTRICTS;
const MAX_TEXT = 1000;

/** Whether an account may see and act on a broadcast: its own space, or every space for coordinators and admins. */
export function canAccess(account: Account, b: Pick<Broadcast, 'spaceId'>): boolean {
  if (account.role === 'admin' || account.role === 'coordinator') return true;
  return account.role === 'staff' && !!account.spaceId && account.spaceId === b.spaceId;
}

/**
 * What the staff portal (broadcasts, space cards, events, posters, chat links) needs of the running
 * bot: a narrow port, never the whole App (the assembled App satisfies it as it is).
 */
export interface PortalPorts extends AuthPorts, SpacePagesPorts, EventPagesPorts, PosterPorts, LinkPorts {
  /** The WhatsApp template named in the preview, and what the pages' own ports read. */
  readonly config: Config;
  readonly knowledge: Pick<KnowledgeBase, 'content' | 'space' | 'importedSpace' | 'event'>;
  /** Space card edits and staff events. */
  readonly staffContent: Pick<StaffContentStore, 'getSpaceEdit' | 'saveSpaceEdit' | 'getEvent' | 'createEvent' | 'updateEvent' | 'cancelEvent'>;
  /** Broadcasts: drafts, audiences, schedules, reports. */
  readonly broadcastStore: BroadcastStore;
  /** Sends a broadcast, and shows what each channel will deliver. */
  readonly broadcasts: Pick<BroadcastEngine, 'availableChannels' | 'message' | 'start' | 'templateParams'>;
}

export function staffPortal(app: PortalPorts): RouteMounter {
  const auth = staffAuth(app);
  const { broadcastStore: store, broadcasts: engine } = app;
  const assets: Record<string, [string, string]> = {
    '/staff/staff.js': [readFileSync(join(publicDir, 'staff.js'), 'utf8'), 'text/javascript; charset=utf-8'],
    '/staff/staff.css': [readFileSync(join(publicDir, 'staff.css'), 'utf8'), 'text/css; charset=utf-8'],
  };

  /** The broadcast when this account may touch it; otherwise undefined (answered as 404: no hint it exists). */
  async function load(c: C): Promise<Broadcast | undefined> {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id)) return undefined;
    const b = await store.getBroadcast(id);
    return b && canAccess(c.get('account')!, b) ? b : undefined;
  }
  const notFound = (c: C) => c.html(layout(c, 'Not found', html`<p class="error">${uiFor(c)('notFound')}</p>`), 404);

  function previewOf(ui: Ui, b: Broadcast, langs: string[]): Html {
    const waTemplate = app.config.whatsapp.templateName;
    return html`<div class="preview">${langs.map((lang) => {
      const msg = engine.message(b, lang);
      const picked = pickText(b.messages.text, lang);
      const dir = isRtl(lang) ? 'rtl' : 'ltr';
      const tg = render(msg, capabilitiesOf.telegram, lang)[0]!;
      return html`<div class="bubble" dir="${dir}" data-lang="${lang}"><h3 dir="ltr">${getLanguage(lang)?.englishName ?? lang} · ${ui('b.window')}${picked && picked.lang !== lang ? ` · ${ui('b.shownIn', { lang: getLanguage(picked.lang)?.englishName ?? picked.lang })}` : ''}</h3><div dir="auto">${tg.text}</div>${(tg.choices ?? []).map((ch) => html`<span class="btn">${ch.label}</span>`)}</div>
<div class="bubble template" dir="ltr" data-lang="${lang}"><h3>${getLanguage(lang)?.englishName ?? lang} · ${ui('b.outside')}</h3>${waTemplate ? html`${ui('b.template')} <b>${waTemplate}</b> (${app.config.whatsapp.templateLanguage ?? lang}), ${ui('b.parameter')} {{1}} = “${engine.templateParams(b, lang)[0]}”` : html`<span class="error">${ui('b.noTemplate')}</span>`}</div>`;
    })}</div>`;
  }

  function audienceText(ui: Ui, a: Audience): string {
    if (a.reminder) return `people who asked for a reminder (${a.reminder === 'day' ? 'the day before' : 'an hour before'})`;
    const parts: string[] = [];
    if (a.spaces?.length) parts.push(ui('b.aud.followers', { list: a.spaces.map((id) => app.knowledge.space(id)?.name ?? id).join(', ') }));
    if (a.allEvents ?? true) parts.push(ui('bc.allEvents').toLowerCase());
    if (a.topics?.length) parts.push(ui('b.aud.topics', { list: a.topics.join(', ') }));
    if (a.districts?.length) parts.push(ui('b.aud.areas', { list: a.districts.join(', ') }));
    const who = parts.join(' + ') || ui('b.aud.nobody');
    return a.languages?.length ? `${who} · ${ui('b.aud.languages', { list: a.languages.join(', ') })}` : who;
  }

  return (web) => {
    const r = new Hono<AuthEnv>();
    for (const [path, [body, type]] of Object.entries(assets)) web.get(path, (c) => c.body(body, 200, { 'content-type': type, 'cache-control': 'no-cache' }));
    r.use('*', auth.middleware());

    // The portal language switch (English / Italian): remembered in a cookie for a year.
    r.get('/ui', requireRole(...allowed), (c) => {
      setStaffLang(c, c.req.query('l') === 'it' ? 'it' : 'en');
      const back = c.req.query('back') ?? '/staff';
      return c.redirect(back.startsWith('/staff') && !back.startsWith('//') ? back : '/staff', 303);
    });
    mountSpacePages(r, app);
    mountEventPages(r, app);

    r.get('/', requireRole(...allowed), async (c) => {
      const account = c.get('account')!;
      const ui = uiFor(c);
      if (account.role === 'staff' && !account.spaceId) return c.html(layout(c, ui('nav.broadcasts'), html`<p class="error">${ui('unlinked')}</p>`), 403);
      const list = await store.listBroadcasts(account.role === 'staff' ? account.spaceId : null);
      return c.html(
        layout(c, ui('nav.broadcasts'), html`<h1>${ui('nav.broadcasts')}</h1><p><a href="/staff/new">${ui('nav.new')}</a></p>
${list.length === 0 ? html`<p>${ui('b.none')}</p>` : html`<table><thead><tr><th>#</th><th>${ui('form.space')}</th><th>${ui('bc.message')}</th><th>${ui('b.status')}</th><th>${ui('b.created')}</th></tr></thead><tbody>
${list.map((b) => html`<tr><td><a href="/staff/b/${b.id}">${b.id}</a></td><td>${b.spaceId ? app.knowledge.space(b.spaceId)?.name ?? b.spaceId : '—'}</td><td>${(Object.values(b.messages.text)[0] ?? '').slice(0, 80)}</td><td class="status">${b.status}</td><td>${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`}`),
      );
    });

    r.get('/new', requireRole(...allowed), async (c) => {
      const account = c.get('account')!;
      const ui = uiFor(c);
      const langOptions = languageCodes.filter((l) => l !== 'en' && l !== 'it');
      return c.html(
        layout(c, ui('nav.new'), html`<h1>${ui('nav.new')}</h1>
<form method="post" action="/staff/new" id="new-broadcast">${csrfField(c)}
${account.role === 'staff' ? html`<input type="hidden" name="space" value="${account.spaceId ?? ''}">` : html`<fieldset><legend>${ui('form.space')}</legend><input type="text" name="space" placeholder="${ui('b.spacePlaceholder')}"></fieldset>`}
<fieldset><legend>${ui('b.messageLegend')}</legend>
<label>English<br><textarea name="text_en" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label>Italiano<br><textarea name="text_it" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label for="other-lang">${ui('b.another')}</label> <select name="other_lang" id="other-lang"><option value="">—</option>${langOptions.map((l) => html`<option value="${l}">${getLanguage(l)!.englishName} · ${getLanguage(l)!.nativeName}</option>`)}</select><br>
<textarea name="text_other" rows="3" maxlength="${MAX_TEXT}" aria-label="${ui('b.another')}"></textarea>
<p>${ui('b.nearest')}</p>
<label>${ui('b.waTitle')}<br><input type="text" name="title" maxlength="60"></label></fieldset>
<fieldset><legend>${ui('bc.audience')}</legend>
${account.role === 'staff' ? html`<label class="check"><input type="checkbox" name="followers" value="1" checked> ${ui('bc.followers')}</label>` : html`<label class="check"><input type="checkbox" name="followers" value="1"> ${ui('b.followersAbove')}</label>`}
<label class="check"><input type="checkbox" name="all_events" value="1"> ${ui('bc.allEvents')}</label>
<p>${ui('bc.topics')}: ${TOPICS.map((t) => html`<label class="check"><input type="checkbox" name="topic" value="${t}"> ${t}</label>`)}</p>
<p>${ui('b.areas')}: ${DISTRICTS.map((d) => html`<label class="check"><input type="checkbox" name="district" value="${d}"> ${d}</label>`)}</p>
<p>${ui('b.onlyLangs')}: ${languageCodes.map((l) => html`<label class="check"><input type="checkbox" name="lang" value="${l}"> ${l}</label>`)}</p></fieldset>
<button class="primary" id="preview-button">${ui('bc.preview')}</button></form>`),
      );
    });

    r.post('/new', requireRole(...allowed), async (c) => {
      const account = c.get('account')!;
      const form = await c.req.parseBody({ all: true });
      const one = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
      const many = (k: string) => ([] as unknown[]).concat(form[k] ?? []).filter((x): x is string => typeof x === 'string');
      const space = account.role === 'staff' ? account.spaceId : one('space') || null;
      if (account.role === 'staff' && !space) return c.text('Your account is not linked to a space.', 403);
      const text: Record<string, string> = {};
      if (one('text_en')) text.en = one('text_en').slice(0, MAX_TEXT);
      if (one('text_it')) text.it = one('text_it').slice(0, MAX_TEXT);
      if (one('other_lang') && getLanguage(one('other_lang')) && one('text_other')) text[one('other_lang')] = one('text_other').slice(0, MAX_TEXT);
      if (Object.keys(text).length === 0) return c.html(layout(c, uiFor(c)('nav.new'), html`<p class="error">${uiFor(c)('b.empty')}</p><p><a href="/staff/new">${uiFor(c)('b.back')}</a></p>`), 400);
      const audience: Audience = {
        spaces: one('followers') && space ? [space] : [],
        allEvents: one('all_events') === '1',
        topics: many('topic').filter((t) => TOPICS.includes(t)),
        districts: many('district').filter((d) => DISTRICTS.includes(d)),
        languages: many('lang').filter((l) => languageCodes.includes(l)),
      };
      const title = one('title') ? Object.fromEntries(Object.keys(text).map((l) => [l, one('title')])) : undefined;
      const b = await store.createBroadcast({ spaceId: space, createdBy: `staff:${account.id}`, audience, messages: { text, title } }, app.clock.now());
      return c.redirect(`/staff/b/${b.id}`, 303);
    });

    r.get('/b/:id', requireRole(...allowed), async (c) => {
      const b = await load(c);
      if (!b) return notFound(c);
      const channels = engine.availableChannels();
      const ui = uiFor(c);
      let body: Html;
      if (b.status === 'draft' || b.status === 'scheduled') {
        const counts = await store.audienceCounts(b.audience, channels);
        const total = counts.reduce((n, x) => n + x.people, 0);
        const langs = [...new Set([...Object.keys(b.messages.text), ...counts.map((x) => x.lang)])];
        body = html`<h1>${ui('b.previewTitle', { id: b.id })}</h1><p>${ui('b.audience')}: ${audienceText(ui, b.audience)}</p>
<h2>${ui('b.reach')} <span id="reach">${total}</span> ${ui(total === 1 ? 'b.person' : 'b.people')}</h2>
${channels.length === 0 ? html`<p class="error">${ui('b.noChannel')}</p>` : ''}
<table id="counts"><thead><tr><th>${ui('b.channel')}</th><th>${ui('b.language')}</th><th>${ui('b.peopleCol')}</th></tr></thead><tbody>${counts.map((x) => html`<tr><td>${x.channel}</td><td>${getLanguage(x.lang)?.englishName ?? x.lang}</td><td>${x.people}</td></tr>`)}</tbody></table>
<h2>${ui('b.exactly')}</h2>${previewOf(ui, b, langs)}
${b.status === 'scheduled' ? html`<p class="status">${ui('b.scheduledFor', { at: b.scheduledAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '' })}</p>` : ''}
<div class="actions"><form method="post" action="/staff/b/${b.id}/send">${csrfField(c)}<button class="primary" id="send-now">${ui('b.sendNow')}</button></form>
${b.status === 'draft' ? html`<form method="post" action="/staff/b/${b.id}/schedule">${csrfField(c)}<label>${ui('b.sendAt')}<br><input type="datetime-local" name="at" required></label> <button>${ui('b.schedule')}</button></form>` : ''}
<form method="post" action="/staff/b/${b.id}/cancel">${csrfField(c)}<button>${ui('b.cancel')}</button></form></div>`;
      } else {
        const rep = await store.report(b.id);
        const done = rep.total - (rep.byStatus.pending ?? 0) - (rep.byStatus.sending ?? 0);
        body = html`<h1>${ui('b.reportTitle', { id: b.id })}: ${b.status}</h1><p>${ui('b.audience')}: ${audienceText(ui, b.audience)}</p>
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
<h2>${ui('bc.message')}</h2>${previewOf(ui, b, Object.keys(b.messages.text))}`;
      }
      return c.html(layout(c, ui('b.reportTitle', { id: b.id }), body));
    });

    r.get('/b/:id/status', requireRole(...allowed), async (c) => {
      const b = await load(c);
      if (!b) return c.json({ error: 'not found' }, 404);
      const rep = await store.report(b.id);
      return c.json({ id: b.id, status: b.status, total: rep.total, byStatus: rep.byStatus });
    });

    r.post('/b/:id/send', requireRole(...allowed), async (c) => {
      const b = await load(c);
      if (!b) return notFound(c);
      await engine.start(b.id);
      return c.redirect(`/staff/b/${b.id}`, 303);
    });

    r.post('/b/:id/schedule', requireRole(...allowed), async (c) => {
      const b = await load(c);
      if (!b) return notFound(c);
      const at = new Date(`${String((await c.req.parseBody()).at ?? '')}Z`);
      if (Number.isNaN(at.getTime()) || at.getTime() < app.clock.now().getTime()) {
        return c.html(layout(c, uiFor(c)('b.schedule'), html`<p class="error">${uiFor(c)('b.future')}</p><p><a href="/staff/b/${b.id}">${uiFor(c)('b.back')}</a></p>`), 400);
      }
      await store.schedule(b.id, at);
      return c.redirect(`/staff/b/${b.id}`, 303);
    });

    r.post('/b/:id/cancel', requireRole(...allowed), async (c) => {
      const b = await load(c);
      if (!b) return notFound(c);
      await store.cancel(b.id);
      return c.redirect('/staff', 303);
    });

    posterRoutes(app)(web);
    linkRoutes(app)(web);
    web.route('/staff', r);
  };
}
