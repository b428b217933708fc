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
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { App } from '../app.js';
import { render } from '../core/render.js';
import { capabilitiesOf } from '../channels/channel.js';
import { getLanguage, isRtl, languageCodes } from '../i18n/languages.js';
import type { Account, Role } from '../storage/account-store.js';
import type { Audience, Broadcast } from '../storage/broadcast-store.js';
import { requireRole, staffAuth, type AuthEnv } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { pickText } from './engine.js';
import { posterRoutes } from './poster.js';
import { reportTable } from './report.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
type C = Context<AuthEnv>;

const publicDir = join(import.meta.dirname, 'public');
const allowed: Role[] = ['staff', 'coordinator', 'admin'];
/** Topic and area values of the subscriptions flow (flows/subscriptions.yaml). */
const TOPICS = ['networking', 'courses', 'italian', 'digital', 'culture', 'jobs'];
const DISTRICTS = ['centre', 'north', 'east', 'south', 'west', 'coast'];
const MAX_TEXT = 1000;

/** Whether an account may see and act on a broadcast: its own space, or every space for coordinators and admins. */
export function canAccess(account: Account, b: Pick<Broadcast, 'spaceId'>): boolean {
  if (account.role === 'admin' || account.role === 'coordinator') return true;
  return account.role === 'staff' && !!account.spaceId && account.spaceId === b.spaceId;
}

export function staffPortal(app: App): RouteMounter {
  const auth = staffAuth(app);
  const { broadcastStore: store, broadcasts: engine } = app;
  const assets: Record<string, [string, string]> = {
    '/staff/staff.js': [readFileSync(join(publicDir, 'staff.js'), 'utf8'), 'text/javascript; charset=utf-8'],
    '/staff/staff.css': [readFileSync(join(publicDir, 'staff.css'), 'utf8'), 'text/css; charset=utf-8'],
  };

  function layout(c: C, title: string, body: Html): Html {
    const account = c.get('account')!;
    const csrf = c.get('csrf')!;
    return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf" content="${csrf}"><title>${title} · coworkbot staff</title><link rel="stylesheet" href="/staff/staff.css"><script src="/staff/staff.js" defer></script></head>
<body><header><nav><a href="/staff">Broadcasts</a><a href="/staff/new">New announcement</a>${account.spaceId ? html`<a href="/staff/poster/${account.spaceId}">Poster</a>` : ''}<a href="/staff/link">Telegram</a></nav>
<div>${account.email}${account.spaceId ? ` · ${account.spaceId}` : ''} <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf}"><button>Log out</button></form></div></header>
<main>${body}</main></body></html>`;
  }
  const csrfField = (c: C) => html`<input type="hidden" name="_csrf" value="${c.get('csrf')!}">`;

  /** The broadcast when this account may touch it; otherwise undefined (answered as 404: no hint it exists). */
  async function load(c: C): Promise<Broadcast | undefined> {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id)) return undefined;
    const b = await store.getBroadcast(id);
    return b && canAccess(c.get('account')!, b) ? b : undefined;
  }
  const notFound = (c: C) => c.html(layout(c, 'Not found', html`<p class="error">This broadcast does not exist or belongs to another space.</p>`), 404);

  function previewOf(b: Broadcast, langs: string[]): Html {
    const waTemplate = app.config.whatsapp.templateName;
    return html`<div class="preview">${langs.map((lang) => {
      const msg = engine.message(b, lang);
      const picked = pickText(b.messages.text, lang);
      const dir = isRtl(lang) ? 'rtl' : 'ltr';
      const tg = render(msg, capabilitiesOf.telegram)[0]!;
      return html`<div class="bubble" dir="${dir}" data-lang="${lang}"><h3 dir="ltr">${getLanguage(lang)?.englishName ?? lang} · Telegram / WhatsApp (within 24 h)${picked && picked.lang !== lang ? ` · shown in ${getLanguage(picked.lang)?.englishName}` : ''}</h3><div dir="auto">${tg.text}</div>${(tg.choices ?? []).map((ch) => html`<span class="btn">${ch.label}</span>`)}</div>
<div class="bubble template" dir="ltr" data-lang="${lang}"><h3>${getLanguage(lang)?.englishName ?? lang} · WhatsApp outside 24 h: template</h3>${waTemplate ? html`Template <b>${waTemplate}</b> (${app.config.whatsapp.templateLanguage ?? lang}), parameter {{1}} = “${engine.templateParams(b, lang)[0]}”` : html`<span class="error">No WHATSAPP_TEMPLATE_NAME configured: people outside the 24-hour window will not get it.</span>`}</div>`;
    })}</div>`;
  }

  function audienceText(a: Audience): string {
    if (a.reminder) return `people who asked for a reminder (${a.reminder === 'day' ? 'the day before' : 'an hour before'})`;
    const parts: string[] = [];
    if (a.spaces?.length) parts.push(`followers of ${a.spaces.join(', ')}`);
    if (a.allEvents ?? true) parts.push('people who asked for all events');
    if (a.topics?.length) parts.push(`topics: ${a.topics.join(', ')}`);
    if (a.districts?.length) parts.push(`areas: ${a.districts.join(', ')}`);
    const who = parts.join(' + ') || 'nobody';
    return a.languages?.length ? `${who} · languages: ${a.languages.join(', ')}` : who;
  }

  return (web) => {
    const r = new Hono<AuthEnv>();
    for (const [path, [body, type]] of Object.entries(assets)) web.get(path, (c) => c.body(body, 200, { 'content-type': type, 'cache-control': 'no-cache' }));
    r.use('*', auth.middleware());

    r.get('/', requireRole(...allowed), async (c) => {
      const account = c.get('account')!;
      if (account.role === 'staff' && !account.spaceId) return c.html(layout(c, 'Broadcasts', html`<p class="error">Your account is not linked to a space. Ask an admin.</p>`), 403);
      const list = await store.listBroadcasts(account.role === 'staff' ? account.spaceId : null);
      return c.html(
        layout(c, 'Broadcasts', html`<h1>Broadcasts</h1><p><a href="/staff/new">New announcement</a></p>
${list.length === 0 ? html`<p>No broadcasts yet.</p>` : html`<table><thead><tr><th>#</th><th>Space</th><th>Message</th><th>Status</th><th>Created</th></tr></thead><tbody>
${list.map((b) => html`<tr><td><a href="/staff/b/${b.id}">${b.id}</a></td><td>${b.spaceId ?? '—'}</td><td>${(Object.values(b.messages.text)[0] ?? '').slice(0, 80)}</td><td class="status">${b.status}</td><td>${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`}`),
      );
    });

    r.get('/new', requireRole(...allowed), async (c) => {
      const account = c.get('account')!;
      const langOptions = languageCodes.filter((l) => l !== 'en' && l !== 'it');
      return c.html(
        layout(c, 'New announcement', html`<h1>New announcement</h1>
<form method="post" action="/staff/new" id="new-broadcast">${csrfField(c)}
${account.role === 'staff' ? html`<input type="hidden" name="space" value="${account.spaceId ?? ''}">` : html`<fieldset><legend>Space</legend><input type="text" name="space" placeholder="space id (empty: the whole network)"></fieldset>`}
<fieldset><legend>Message (short: one idea, plain words)</legend>
<label>English<br><textarea name="text_en" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label>Italiano<br><textarea name="text_it" rows="3" maxlength="${MAX_TEXT}"></textarea></label><br>
<label>Another language <select name="other_lang"><option value="">—</option>${langOptions.map((l) => html`<option value="${l}">${getLanguage(l)!.englishName} · ${getLanguage(l)!.nativeName}</option>`)}</select></label><br>
<textarea name="text_other" rows="3" maxlength="${MAX_TEXT}"></textarea>
<p>People whose language is missing get the nearest one, with a note.</p>
<label>Title for the WhatsApp template (optional)<br><input type="text" name="title" maxlength="60"></label></fieldset>
<fieldset><legend>Who gets it (only people who asked for it)</legend>
${account.role === 'staff' ? html`<label class="check"><input type="checkbox" name="followers" value="1" checked> Followers of this space</label>` : html`<label class="check"><input type="checkbox" name="followers" value="1"> Followers of the space above</label>`}
<label class="check"><input type="checkbox" name="all_events" value="1"> People who asked for all events</label>
<p>Topics: ${TOPICS.map((t) => html`<label class="check"><input type="checkbox" name="topic" value="${t}"> ${t}</label>`)}</p>
<p>Areas: ${DISTRICTS.map((d) => html`<label class="check"><input type="checkbox" name="district" value="${d}"> ${d}</label>`)}</p>
<p>Only these languages (none checked: all): ${languageCodes.map((l) => html`<label class="check"><input type="checkbox" name="lang" value="${l}"> ${l}</label>`)}</p></fieldset>
<button class="primary" id="preview-button">Preview</button></form>`),
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
      if (Object.keys(text).length === 0) return c.html(layout(c, 'New announcement', html`<p class="error">Write the message in at least one language.</p><p><a href="/staff/new">Back</a></p>`), 400);
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
      let body: Html;
      if (b.status === 'draft' || b.status === 'scheduled') {
        const counts = await store.audienceCounts(b.audience, channels);
        const total = counts.reduce((n, x) => n + x.people, 0);
        const langs = [...new Set([...Object.keys(b.messages.text), ...counts.map((x) => x.lang)])];
        body = html`<h1>Broadcast #${b.id}: preview</h1><p>Audience: ${audienceText(b.audience)}</p>
<h2>It will reach <span id="reach">${total}</span> ${total === 1 ? 'person' : 'people'}</h2>
${channels.length === 0 ? html`<p class="error">No channel is configured (Telegram or WhatsApp): nobody can be reached.</p>` : ''}
<table id="counts"><thead><tr><th>Channel</th><th>Language</th><th>People</th></tr></thead><tbody>${counts.map((x) => html`<tr><td>${x.channel}</td><td>${getLanguage(x.lang)?.englishName ?? x.lang}</td><td>${x.people}</td></tr>`)}</tbody></table>
<h2>Exactly what they will see</h2>${previewOf(b, langs)}
${b.status === 'scheduled' ? html`<p class="status">Scheduled for ${b.scheduledAt?.toISOString().slice(0, 16).replace('T', ' ')} UTC</p>` : ''}
<div class="actions"><form method="post" action="/staff/b/${b.id}/send">${csrfField(c)}<button class="primary" id="send-now">Send now</button></form>
${b.status === 'draft' ? html`<form method="post" action="/staff/b/${b.id}/schedule">${csrfField(c)}<label>Send at (UTC)<br><input type="datetime-local" name="at" required></label> <button>Schedule</button></form>` : ''}
<form method="post" action="/staff/b/${b.id}/cancel">${csrfField(c)}<button>Cancel</button></form></div>`;
      } else {
        const rep = await store.report(b.id);
        const done = rep.total - (rep.byStatus.pending ?? 0) - (rep.byStatus.sending ?? 0);
        body = html`<h1>Broadcast #${b.id}: ${b.status}</h1><p>Audience: ${audienceText(b.audience)}</p>
${b.status === 'sending' ? html`<p><progress id="progress" max="${Math.max(1, rep.total)}" value="${done}" data-url="/staff/b/${b.id}/status"></progress> <span id="progress-label">${done} / ${rep.total}</span></p>` : ''}
<h2>Delivery report</h2>${reportTable(rep)}
<h2>The message</h2>${previewOf(b, Object.keys(b.messages.text))}`;
      }
      return c.html(layout(c, `Broadcast #${b.id}`, body));
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
        return c.html(layout(c, 'Schedule', html`<p class="error">Choose a time in the future.</p><p><a href="/staff/b/${b.id}">Back</a></p>`), 400);
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
    web.route('/staff', r);
  };
}
