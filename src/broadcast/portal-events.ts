/**
 * The staff portal's events (`/staff/events`): upcoming events of a space (imported from the
 * spreadsheet, read-only here, and those staff created), create / edit / cancel, machine-drafted
 * translations for review when a model is configured, and "Broadcast this event": the broadcast
 * flow with the message built from the event in each of its languages and the audience pre-filled
 * (followers of the space, people who asked for all events, the event's topics).
 */
import type { Hono } from 'hono';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import { formatterFor } from '../i18n/format.js';
import { languageCodes } from '../i18n/languages.js';
import type { KnowledgeEvent, TopicTag } from '../knowledge/content.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { fromWallTime, wallTime } from '../knowledge/time.js';
import { configuredLlm } from '../llm/client.js';
import type { Logger } from '../logger.js';
import { numbersDiffer, translateFields } from '../llm/translate.js';
import type { Audience, BroadcastMessages, BroadcastStore } from '../storage/broadcast-store.js';
import { validateEvent } from '../knowledge/staff-checks.js';
import { isStaffEventId, StaffContentError, type FieldErrors, type StaffContentStore, type StaffEventInput } from '../storage/staff-content-store.js';
import { signedIn, requireRole, type AuthEnv } from '../web/auth.js';
import { canEditSpace, layout, SUBSCRIPTION_TOPICS, uiFor, type C, type Html } from './portal-layout.js';
import { draftNote, errorBody, eventBroadcastBody, headed, savedNote, eventFormBody, eventListBody, type EventFormValues, type EventListView } from './portal-views.js';
import type { PortalText as Ui } from '../i18n/staff-strings.js';
import { staffLangOf } from '../web/staff-shell.js';

const roles = ['staff', 'coordinator', 'admin'] as const;
/** How many translations are drafted at once (each is one model call). */
const DRAFT_CONCURRENCY = 4;

/** An event topic → the subscriptions flow's topic people chose (see flows/subscriptions.yaml). */
const topicToSubscription: Partial<Record<TopicTag, string>> = {
  networking: 'networking',
  italian: 'italian',
  language_exchange: 'italian',
  digital_skills: 'digital',
  jobs: 'jobs',
  culture: 'culture',
  training: 'courses',
  entrepreneurship: 'jobs',
  mentoring: 'jobs',
};

/** What the event pages need of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface EventPagesPorts {
  /** The timezone of event times, and the model that drafts translations (when configured). */
  readonly config: Config;
  readonly clock: Clock;
  /** The spaces and events the bot answers with (imported and staff-created). */
  readonly knowledge: Pick<KnowledgeBase, 'content' | 'space' | 'event'>;
  /** The event's broadcast message in each of its languages. */
  readonly translator: Pick<Translator, 'for'>;
  /** Staff events: created, edited and cancelled here, answered by the bot at once. */
  readonly staffContent: Pick<StaffContentStore, 'getEvent' | 'createEvent' | 'updateEvent' | 'cancelEvent'>;
  /** "Broadcast this event" makes a draft broadcast. */
  readonly broadcastStore: Pick<BroadcastStore, 'createBroadcast'>;
  readonly log: Logger;
}

/**
 * The broadcast messages of an event: one text per language the event has a title in (the
 * `broadcast:eventMessage` frame in that language, date and time formatted for it), and the title
 * per language as the WhatsApp template's parameter.
 */
export function eventMessages(app: Pick<EventPagesPorts, 'config' | 'clock' | 'knowledge' | 'translator'>, e: KnowledgeEvent): BroadcastMessages {
  const space = app.knowledge.space(e.spaceId);
  const tz = app.config.server.timezone;
  const now = app.clock.now();
  const text: Record<string, string> = {};
  const title: Record<string, string> = {};
  const titles = Object.keys(e.titles).length ? e.titles : { en: e.title };
  for (const [lang, ttl] of Object.entries(titles)) {
    if (!languageCodes.includes(lang) || !ttl) continue;
    const t = app.translator.for(lang);
    const f = formatterFor(lang, tz);
    const when = e.end && wallTime(e.end, tz).day === wallTime(e.start, tz).day ? `${f.date(e.start, now)}, ${f.timeRange(e.start, e.end)}` : f.dateTime(e.start, now);
    text[lang] = t('broadcast:eventMessage', { space: space?.name ?? '', title: ttl, when, address: space?.address ?? '', price: t(`knowledge:card.price.${e.price}`) });
    title[lang] = ttl.slice(0, 60);
  }
  return { text, title };
}

function valuesOf(e: StaffEventInput, tz: string): EventFormValues {
  const s = wallTime(e.start, tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = (d: Date) => {
    const w = wallTime(d, tz);
    return `${pad(w.hour)}:${pad(w.minute)}`;
  };
  return {
    spaceId: e.spaceId,
    sourceLang: e.sourceLang,
    title: { ...e.title },
    description: { ...e.description },
    date: `${s.year}-${pad(s.month)}-${pad(s.day)}`,
    start: hm(e.start),
    end: e.end ? hm(e.end) : '',
    price: e.price,
    topics: [...e.topics],
    languages: [...e.languages],
    machine: [...(e.machineDrafted ?? [])],
  };
}

/** Reads the form into an event input; date and time problems come back as field errors. */
function inputOf(v: EventFormValues, tz: string, ui: Ui): { input: StaffEventInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.date);
  const st = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v.start);
  const en = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v.end);
  let start = new Date(NaN);
  let end: Date | undefined;
  if (!d || !st) errors.start = ui('form.badDate');
  else {
    start = fromWallTime(tz, Number(d[1]), Number(d[2]), Number(d[3]), Number(st[1]), Number(st[2]));
    if (v.end && !en) errors.end = ui('form.badTime');
    else if (en) end = fromWallTime(tz, Number(d[1]), Number(d[2]), Number(d[3]), Number(en[1]), Number(en[2]));
  }
  return {
    input: {
      spaceId: v.spaceId,
      sourceLang: v.sourceLang,
      title: v.title,
      description: v.description,
      start,
      end,
      price: v.price as StaffEventInput['price'],
      topics: v.topics as TopicTag[],
      languages: v.languages,
      machineDrafted: v.machine,
    },
    errors,
  };
}

export function mountEventPages(r: Hono<AuthEnv>, app: EventPagesPorts): void {
  const tz = app.config.server.timezone;
  const llm = configuredLlm(app.config);
  const notFound = (c: C) => c.html(layout(c, 'Not found', errorBody(uiFor(c)('notFound'))), 404);
  const by = (c: C) => `staff:${signedIn(c).id}`;

  /** Which space a list or a new event is for: staff their own; coordinators the `space` asked for. */
  const spaceParam = (c: C, asked: string | undefined): string | undefined => {
    const account = signedIn(c);
    const id = account.role === 'staff' ? (account.spaceId ?? undefined) : asked || app.knowledge.content.spaces[0]?.id;
    return id && app.knowledge.space(id) && canEditSpace(account, id) ? id : undefined;
  };
  /** An event in the bot's content this account may act on (imported or staff), else undefined. */
  const eventFor = (c: C): KnowledgeEvent | undefined => {
    const e = app.knowledge.event(c.req.param('id') ?? '');
    return e && canEditSpace(signedIn(c), e.spaceId) ? e : undefined;
  };

  async function parseForm(c: C, spaceId: string): Promise<{ values: EventFormValues; action: string }> {
    const form = await c.req.parseBody({ all: true });
    const one = (k: string) => {
      const v = form[k];
      return typeof v === 'string' ? v : '';
    };
    const many = (k: string) => [form[k] ?? []].flat().filter((x): x is string => typeof x === 'string');
    const perLang = (prefix: string) => Object.fromEntries(languageCodes.map((l) => [l, one(`${prefix}_${l}`).trim()]).filter(([, v]) => v));
    const values: EventFormValues = {
      spaceId,
      sourceLang: one('source_lang'),
      title: perLang('title'),
      description: perLang('description'),
      date: one('date').trim(),
      start: one('start').trim(),
      end: one('end').trim(),
      price: one('price'),
      topics: many('topics'),
      languages: many('languages'),
      machine: one('machine')
        .split(',')
        .filter((l) => languageCodes.includes(l)),
    };
    return { values, action: one('action') || 'save' };
  }

  /** Fills the empty languages with machine drafts (not saved: shown for review). */
  async function draft(v: EventFormValues): Promise<{ drafted: string[]; failed: string[] }> {
    if (!llm) return { drafted: [], failed: [] };
    const fields: Record<string, string> = {};
    if (v.title[v.sourceLang]) fields.title = v.title[v.sourceLang]!;
    if (v.description[v.sourceLang]) fields.description = v.description[v.sourceLang]!;
    if (!fields.title) return { drafted: [], failed: [] };
    const targets = languageCodes.filter((l) => l !== v.sourceLang && !v.title[l] && !v.description[l]);
    const drafted: string[] = [];
    const failed: string[] = [];
    for (let i = 0; i < targets.length; i += DRAFT_CONCURRENCY) {
      await Promise.all(
        targets.slice(i, i + DRAFT_CONCURRENCY).map(async (to) => {
          const res = await translateFields(llm, fields, v.sourceLang, to);
          if (!res.ok) {
            app.log.warn({ to, reason: res.reason }, 'staff portal: no translation draft');
            failed.push(to);
            return;
          }
          if (res.value.title) v.title[to] = res.value.title;
          if (res.value.description) v.description[to] = res.value.description;
          drafted.push(to);
        }),
      );
    }
    v.machine = [...new Set([...v.machine, ...drafted])];
    return { drafted, failed };
  }

  /** The event form for this request, with the translations' warnings worked out. */
  function eventForm(c: C, ui: Ui, action: string, v: EventFormValues, errors: FieldErrors, note?: Html | string, sourceSwitch?: string): Html {
    const differ = (field: 'title' | 'description') => Object.fromEntries(languageCodes.map((l) => [l, numbersDiffer(v[field][v.sourceLang] ?? '', v[field][l] ?? '')]));
    return eventFormBody(ui, {
      action,
      values: v,
      errors,
      note,
      sourceSwitch,
      csrf: c.get('csrf'),
      canDraft: llm !== undefined,
      spaceName: signedIn(c).role !== 'staff' ? (app.knowledge.space(v.spaceId)?.name ?? v.spaceId) : undefined,
      differ: { title: differ('title'), description: differ('description') },
    });
  }

  /** Handles a submitted form: drafts translations, or validates and saves. */
  async function submit(c: C, formAction: string, heading: string, spaceId: string, save: (input: StaffEventInput) => Promise<string | undefined>) {
    const ui = uiFor(c);
    const { values, action } = await parseForm(c, spaceId);
    const isNew = formAction.startsWith('/staff/events/new');
    const page = (body: Html, status: 200 | 400 = 200) => c.html(layout(c, heading, headed(heading, body)), status);
    if (action === 'draft') {
      if (!values.title[values.sourceLang]) {
        return page(eventForm(c, ui, formAction, values, { [`title_${values.sourceLang}`]: ui('form.draftNeedsTitle') }, undefined, isNew ? '/staff/events/new' : undefined), 400);
      }
      const { drafted, failed } = await draft(values);
      const note = draftNote(ui, drafted, failed);
      return page(eventForm(c, ui, formAction, values, {}, note, isNew ? '/staff/events/new' : undefined));
    }
    const { input, errors } = inputOf(values, tz, ui);
    if (Object.keys(errors).length > 0) {
      // Show every field's problem at once, not the date first and the rest after the next try.
      const other = validateEvent(
        input,
        app.knowledge.content.spaces.map((s) => s.id),
      );
      if (!other.ok) for (const [k, m] of Object.entries(other.errors)) errors[k] ??= m;
    } else {
      try {
        const id = await save(input);
        if (!id) return notFound(c);
        // Saved; with a translation whose numbers or links differ, the form again with the warnings.
        const differs = languageCodes.some((l) => l !== input.sourceLang && (['title', 'description'] as const).some((f) => numbersDiffer(input[f][input.sourceLang] ?? '', input[f][l] ?? '')));
        if (differs) return c.redirect(`/staff/events/${encodeURIComponent(id)}/edit?saved=1`, 303);
        return c.redirect(`/staff/events?space=${encodeURIComponent(spaceId)}&saved=${encodeURIComponent(id)}`, 303);
      } catch (err) {
        if (!(err instanceof StaffContentError)) throw err;
        Object.assign(errors, err.fields);
      }
    }
    return page(eventForm(c, ui, formAction, values, errors, undefined, isNew ? '/staff/events/new' : undefined), 400);
  }

  r.get('/events', requireRole(...roles), (c) => {
    const ui = uiFor(c);
    const spaceId = spaceParam(c, c.req.query('space'));
    if (!spaceId) return signedIn(c).role === 'staff' && !signedIn(c).spaceId ? c.html(layout(c, ui('nav.events'), errorBody(ui('unlinked'))), 403) : notFound(c);
    const space = app.knowledge.space(spaceId)!;
    const now = app.clock.now();
    const f = formatterFor(staffLangOf(c), tz);
    const events = app.knowledge.content.events.filter((e) => e.spaceId === spaceId && (e.end ?? e.start) > now);
    const account = signedIn(c);
    const list = events.map((e) => ({ id: e.id, title: e.title, when: f.dateTime(e.start, now) }));
    const view: EventListView = {
      space,
      events: list,
      saved: Boolean(c.req.query('saved')),
      cancelled: Boolean(c.req.query('cancelled')),
      spaces: account.role !== 'staff' ? app.knowledge.content.spaces : undefined,
      csrf: c.get('csrf'),
    };
    return c.html(layout(c, ui('events.title', { name: space.name }), eventListBody(ui, view)));
  });

  r.get('/events/new', requireRole(...roles), (c) => {
    const ui = uiFor(c);
    const spaceId = spaceParam(c, c.req.query('space'));
    if (!spaceId) return notFound(c);
    const asked = c.req.query('lang') ?? '';
    const lang = languageCodes.includes(asked) ? asked : staffLangOf(c);
    const v: EventFormValues = { spaceId, sourceLang: lang, title: {}, description: {}, date: '', start: '', end: '', price: 'free', topics: [], languages: [lang], machine: [] };
    return c.html(layout(c, ui('form.newTitle'), headed(ui('form.newTitle'), eventForm(c, ui, `/staff/events/new?space=${spaceId}`, v, {}, undefined, '/staff/events/new'))));
  });

  r.post('/events/new', requireRole(...roles), async (c) => {
    const spaceId = spaceParam(c, c.req.query('space'));
    if (!spaceId) return notFound(c);
    return submit(c, `/staff/events/new?space=${spaceId}`, uiFor(c)('form.newTitle'), spaceId, (input) => app.staffContent.createEvent(input, by(c)));
  });

  /** A staff event this account may change (active), else undefined. */
  const staffEventFor = async (c: C) => {
    const id = c.req.param('id') ?? '';
    const e = isStaffEventId(id) ? await app.staffContent.getEvent(id) : undefined;
    return e && e.status === 'active' && canEditSpace(signedIn(c), e.spaceId) ? e : undefined;
  };

  r.get('/events/:id/edit', requireRole(...roles), async (c) => {
    const e = await staffEventFor(c);
    if (!e) return notFound(c);
    const ui = uiFor(c);
    const saved = c.req.query('saved') === '1' ? savedNote(ui) : undefined;
    return c.html(layout(c, ui('form.editTitle'), headed(ui('form.editTitle'), eventForm(c, ui, `/staff/events/${e.id}/edit`, valuesOf(e, tz), {}, saved))));
  });

  r.post('/events/:id/edit', requireRole(...roles), async (c) => {
    const e = await staffEventFor(c);
    if (!e) return notFound(c);
    return submit(c, `/staff/events/${e.id}/edit`, uiFor(c)('form.editTitle'), e.spaceId, async (input) => ((await app.staffContent.updateEvent(e.id, input, by(c))) ? e.id : undefined));
  });

  r.post('/events/:id/cancel', requireRole(...roles), async (c) => {
    const e = await staffEventFor(c);
    if (!e) return notFound(c);
    await app.staffContent.cancelEvent(e.id, by(c));
    return c.redirect(`/staff/events?space=${encodeURIComponent(e.spaceId)}&cancelled=1`, 303);
  });

  function broadcastForm(c: C, ui: Ui, e: KnowledgeEvent): Html {
    const topics = [...new Set(e.topics.map((t) => topicToSubscription[t]).filter((t): t is string => !!t))];
    return eventBroadcastBody(ui, { event: e, text: eventMessages(app, e).text, topics, csrf: c.get('csrf') });
  }

  r.get('/events/:id/broadcast', requireRole(...roles), (c) => {
    const e = eventFor(c);
    if (!e) return notFound(c);
    const ui = uiFor(c);
    return c.html(layout(c, ui('bc.title', { title: e.title }), broadcastForm(c, ui, e)));
  });

  r.post('/events/:id/broadcast', requireRole(...roles), async (c) => {
    const e = eventFor(c);
    if (!e) return notFound(c);
    const form = await c.req.parseBody({ all: true });
    const many = (k: string) => [form[k] ?? []].flat().filter((x): x is string => typeof x === 'string');
    const audience: Audience = {
      spaces: form.followers === '1' ? [e.spaceId] : [],
      allEvents: form.all_events === '1',
      topics: many('topic').filter((t) => SUBSCRIPTION_TOPICS.includes(t)),
      districts: [],
      languages: [],
    };
    const b = await app.broadcastStore.createBroadcast(
      { spaceId: e.spaceId, createdBy: `staff:${signedIn(c).id}`, kind: 'event', eventId: e.id, audience, messages: eventMessages(app, e) },
      app.clock.now(),
    );
    return c.redirect(`/staff/b/${b.id}`, 303);
  });
}
