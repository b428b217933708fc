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
import type { Config } from '../config.js';
import { render } from '../core/render.js';
import { capabilitiesOf } from '../channels/channel.js';
import { getLanguage, isRtl, languageCodes } from '../i18n/languages.js';
import type { Account, Role } from '../storage/account-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Audience, Broadcast, BroadcastStore } from '../storage/broadcast-store.js';
import type { StaffContentStore } from '../storage/staff-content-store.js';
import { signedIn, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import type { RouteMounter } from '../web/server.js';
import { pickText, type BroadcastEngine } from './engine.js';
import { linkRoutes, type LinkPorts } from './link.js';
import { posterRoutes, type PosterPorts } from './poster.js';
import { layout, uiFor, SUBSCRIPTION_DISTRICTS, SUBSCRIPTION_TOPICS, type C, type Html } from './portal-layout.js';
import { mountEventPages, type EventPagesPorts } from './portal-events.js';
import { mountSpacePages, type SpacePagesPorts } from './portal-space.js';
import { broadcastListBody, draftBody, errorBody, newBroadcastBody, previewBody, reportBody, type NewBroadcastView, type PreviewBubble } from './portal-views.js';
import type { PortalText as Ui } from '../i18n/staff-strings.js';
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
    return b && canAccess(signedIn(c), b) ? b : undefined;
  }
  const notFound = (c: C) => c.html(layout(c, 'Not found', errorBody(uiFor(c)('notFound'))), 404);

  /** The preview of a broadcast in these languages, as the engine renders it. */
  function previewOf(ui: Ui, b: Broadcast, langs: string[]): Html {
    const waTemplate = app.config.whatsapp.templateName;
    const bubbles = langs.map((lang): PreviewBubble => {
      const picked = pickText(b.messages.text, lang);
      const tg = render(engine.message(b, lang), capabilitiesOf.telegram, lang)[0]!;
      return {
        lang,
        dir: isRtl(lang) ? 'rtl' : 'ltr',
        text: tg.text,
        choices: (tg.choices ?? []).map((ch) => ch.label),
        shownIn: picked && picked.lang !== lang ? picked.lang : undefined,
        templateParam: waTemplate ? engine.templateParams(b, lang)[0] : undefined,
      };
    });
    return previewBody(ui, bubbles, { name: waTemplate, language: app.config.whatsapp.templateLanguage });
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
      const account = signedIn(c);
      const ui = uiFor(c);
      if (account.role === 'staff' && !account.spaceId) return c.html(layout(c, ui('nav.broadcasts'), errorBody(ui('unlinked'))), 403);
      const list = await store.listBroadcasts(account.role === 'staff' ? account.spaceId : null);
      const spaceNames = new Map<string, string>();
      for (const b of list) {
        const name = b.spaceId ? app.knowledge.space(b.spaceId)?.name : undefined;
        if (b.spaceId && name !== undefined) spaceNames.set(b.spaceId, name);
      }
      return c.html(layout(c, ui('nav.broadcasts'), broadcastListBody(ui, list, spaceNames)));
    });

    r.get('/new', requireRole(...allowed), async (c) => {
      const account = signedIn(c);
      const ui = uiFor(c);
      const view: NewBroadcastView = { role: account.role, spaceId: account.spaceId, csrf: c.get('csrf'), maxText: MAX_TEXT, topics: TOPICS, districts: DISTRICTS };
      return c.html(layout(c, ui('nav.new'), newBroadcastBody(ui, view)));
    });

    r.post('/new', requireRole(...allowed), async (c) => {
      const account = signedIn(c);
      const form = await c.req.parseBody({ all: true });
      const one = (k: string) => {
        const v = form[k];
        return typeof v === 'string' ? v.trim() : '';
      };
      const many = (k: string) => [form[k] ?? []].flat().filter((x): x is string => typeof x === 'string');
      const space = account.role === 'staff' ? account.spaceId : one('space') || null;
      if (account.role === 'staff' && !space) return c.text('Your account is not linked to a space.', 403);
      const text: Record<string, string> = {};
      if (one('text_en')) text.en = one('text_en').slice(0, MAX_TEXT);
      if (one('text_it')) text.it = one('text_it').slice(0, MAX_TEXT);
      if (one('other_lang') && getLanguage(one('other_lang')) && one('text_other')) text[one('other_lang')] = one('text_other').slice(0, MAX_TEXT);
      if (Object.keys(text).length === 0) return c.html(layout(c, uiFor(c)('nav.new'), errorBody(uiFor(c)('b.empty'), { href: '/staff/new', label: uiFor(c)('b.back') })), 400);
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
        const langs = [...new Set([...Object.keys(b.messages.text), ...counts.map((x) => x.lang)])];
        body = draftBody(ui, { b, audience: audienceText(ui, b.audience), counts, noChannel: channels.length === 0, preview: previewOf(ui, b, langs), csrf: c.get('csrf') });
      } else {
        const rep = await store.report(b.id);
        body = reportBody(ui, b, audienceText(ui, b.audience), rep, previewOf(ui, b, Object.keys(b.messages.text)));
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
        return c.html(layout(c, uiFor(c)('b.schedule'), errorBody(uiFor(c)('b.future'), { href: `/staff/b/${b.id}`, label: uiFor(c)('b.back') })), 400);
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
