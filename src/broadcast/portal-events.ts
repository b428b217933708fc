/**
 * The staff portal's events (`/staff/events`): upcoming events of a space (imported from the
 * spreadsheet, read-only here, and those staff created), create / edit / cancel, machine-drafted
 * translations for review when a model is configured, and "Broadcast this event": the broadcast
 * flow with the message built from the event in each of its languages and the audience pre-filled
 * (followers of the space, people who asked for all events, the event's topics).
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import { formatterFor } from '../i18n/format.js';
import { languageCodes } from '../i18n/languages.js';
import { topicTags, type KnowledgeEvent, type TopicTag } from '../knowledge/content.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { fromWallTime, wallTime } from '../knowledge/time.js';
import { configuredLlm } from '../llm/client.js';
import type { Logger } from '../logger.js';
import { numbersDiffer, translateFields } from '../llm/translate.js';
import type { Audience, BroadcastMessages, BroadcastStore } from '../storage/broadcast-store.js';
import { validateEvent } from '../knowledge/staff-checks.js';
import { isStaffEventId, StaffContentError, type FieldErrors, type StaffContentStore, type StaffEventInput } from '../storage/staff-content-store.js';
import { requireRole, type AuthEnv } from '../web/auth.js';
import { canEditSpace, csrfField, layout, SUBSCRIPTION_TOPICS, uiFor, type C, type Html } from './portal-layout.js';
import { defaultSave, fieldError, langName } from './portal-views.js';
import { uiLangOf, type Ui } from './portal-strings.js';

const roles = ['staff', 'coordinator', 'admin'] as const;
/** How many translations are drafted at once (each is one model call). */
const DRAFT_CONCURRENCY = 4;

/** An event topic → the subscriptions flow's topic people chose (see flows/subscriptions.yaml). */
const topicToSubscription: Partial<Record<TopicTag, string>> = {
  networking: 'networking', italian: 'italian', language_exchange: 'italian', digital_skills: 'digital', jobs: 'jobs',
  culture: 'culture', training: 'courses', entrepreneurship: 'jobs', mentoring: 'jobs',
};

/** The form's fields as strings (what was submitted, or the stored event). */
interface EventFormValues {
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
    spaceId: e.spaceId, sourceLang: e.sourceLang, title: { ...e.title }, description: { ...e.description },
    date: `${s.year}-${pad(s.month)}-${pad(s.day)}`, start: hm(e.start), end: e.end ? hm(e.end) : '',
    price: e.price, topics: [...e.topics], languages: [...e.languages], machine: [...(e.machineDrafted ?? [])],
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
      spaceId: v.spaceId, sourceLang: v.sourceLang, title: v.title, description: v.description, start, end,
      price: v.price as StaffEventInput['price'], topics: v.topics as TopicTag[], languages: v.languages, machineDrafted: v.machine,
    },
    errors,
  };
}

export function mountEventPages(r: Hono<AuthEnv>, app: EventPagesPorts): void {
  const tz = app.config.server.timezone;
  const llm = configuredLlm(app.config);
  const notFound = (c: C) => c.html(layout(c, 'Not found', html`<p class="error">${uiFor(c)('notFound')}</p>`), 404);
  const by = (c: C) => `staff:${c.get('account')!.id}`;

  /** Which space a list or a new event is for: staff their own; coordinators the `space` asked for. */
  const spaceParam = (c: C, asked: string | undefined): string | undefined => {
    const account = c.get('account')!;
    const id = account.role === 'staff' ? (account.spaceId ?? undefined) : asked || app.knowledge.content.spaces[0]?.id;
    return id && app.knowledge.space(id) && canEditSpace(account, id) ? id : undefined;
  };
  /** An event in the bot's content this account may act on (imported or staff), else undefined. */
  const eventFor = (c: C): KnowledgeEvent | undefined => {
    const e = app.knowledge.event(c.req.param('id') ?? '');
    return e && canEditSpace(c.get('account')!, e.spaceId) ? e : undefined;
  };

  async function parseForm(c: C, spaceId: string): Promise<{ values: EventFormValues; action: string }> {
    const form = await c.req.parseBody({ all: true });
    const one = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const many = (k: string) => ([] as unknown[]).concat(form[k] ?? []).filter((x): x is string => typeof x === 'string');
    const perLang = (prefix: string) => Object.fromEntries(languageCodes.map((l) => [l, one(`${prefix}_${l}`).trim()]).filter(([, v]) => v));
    const values: EventFormValues = {
      spaceId, sourceLang: one('source_lang'), title: perLang('title'), description: perLang('description'),
      date: one('date').trim(), start: one('start').trim(), end: one('end').trim(), price: one('price'),
      topics: many('topics'), languages: many('languages'), machine: one('machine').split(',').filter((l) => languageCodes.includes(l)),
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
      await Promise.all(targets.slice(i, i + DRAFT_CONCURRENCY).map(async (to) => {
        const res = await translateFields(llm, fields, v.sourceLang, to);
        if (!res.ok) {
          app.log.warn({ to, reason: res.reason }, 'staff portal: no translation draft');
          failed.push(to);
          return;
        }
        if (res.value.title) v.title[to] = res.value.title;
        if (res.value.description) v.description[to] = res.value.description;
        drafted.push(to);
      }));
    }
    v.machine = [...new Set([...v.machine, ...drafted])];
    return { drafted, failed };
  }

  /**
   * The event form. `sourceSwitch` (new events): the language choice is a small GET form above, so
   * the page shows that language's fields first without any script; editing keeps it in the form.
   */
  function eventForm(c: C, ui: Ui, action: string, v: EventFormValues, errors: FieldErrors, note?: Html | string, sourceSwitch?: string): Html {
    const account = c.get('account')!;
    const others = languageCodes.filter((l) => l !== v.sourceLang);
    const anyOther = others.some((l) => v.title[l] || v.description[l]);
    // A translation whose numbers or links differ from the source is saved, with a warning beside it.
    const warn = (field: 'title' | 'description', l: string) => {
      const diff = numbersDiffer(v[field][v.sourceLang] ?? '', v[field][l] ?? '');
      return diff ? html`<span class="warn" data-warn="${field}_${l}" role="alert">⚠️ ${ui('form.numbersDiffer', { list: diff })}</span>` : '';
    };
    const draftMark = (l: string) => (v.machine.includes(l) ? html` <mark class="draft">${ui('form.draftNote')}</mark>` : '');
    const langSelect = html`<select name="${sourceSwitch ? 'lang' : 'source_lang'}">${languageCodes.map((l) => html`<option value="${l}"${l === v.sourceLang ? ' selected' : ''}>${langName(l)}</option>`)}</select>`;
    return html`${note ?? ''}${Object.keys(errors).length ? html`<p class="error" role="alert">${ui('form.errors')}</p>` : ''}
${sourceSwitch ? html`<form method="get" action="/staff/events/new" id="source-switch"><input type="hidden" name="space" value="${v.spaceId}"><label>${ui('form.sourceLang')} ${langSelect}</label> <button>${ui('form.change')}</button></form>` : ''}
<form method="post" action="${action}" id="event-form">${csrfField(c)}${defaultSave}<input type="hidden" name="machine" value="${v.machine.join(',')}">
${account.role !== 'staff' ? html`<p>${ui('form.space')}: <b>${app.knowledge.space(v.spaceId)?.name ?? v.spaceId}</b></p>` : ''}
<fieldset><legend>${ui('form.title')} · ${ui('form.description')}</legend>
${sourceSwitch ? html`<input type="hidden" name="source_lang" value="${v.sourceLang}">` : html`<label>${ui('form.sourceLang')} ${langSelect}</label>`} ${fieldError(errors, 'sourceLang')}<br>
<label>${ui('form.title')}<br><input type="text" name="title_${v.sourceLang}" value="${v.title[v.sourceLang] ?? ''}" maxlength="120" dir="auto"></label> ${fieldError(errors, `title_${v.sourceLang}`)}<br>
<label>${ui('form.description')}<br><textarea name="description_${v.sourceLang}" rows="3" dir="auto">${v.description[v.sourceLang] ?? ''}</textarea></label> ${fieldError(errors, `description_${v.sourceLang}`)}
<details${anyOther ? ' open' : ''} id="other-langs"><summary>${ui('form.otherLangs')}</summary><p><small>${ui('form.otherLangsHelp')}</small></p>
${others.map((l) => html`<div class="lang-block${v.machine.includes(l) ? ' drafted' : ''}" data-lang="${l}"><b>${langName(l)}</b>${draftMark(l)}<br>
<input type="text" name="title_${l}" value="${v.title[l] ?? ''}" maxlength="120" lang="${l}" dir="auto" aria-label="${ui('form.title')} (${l})"> ${fieldError(errors, `title_${l}`)}${warn('title', l)}
<textarea name="description_${l}" rows="2" lang="${l}" dir="auto" aria-label="${ui('form.description')} (${l})">${v.description[l] ?? ''}</textarea> ${fieldError(errors, `description_${l}`)}${warn('description', l)}</div>`)}
</details>
${llm ? html`<p><button name="action" value="draft" id="draft-button">${ui('form.draft')}</button></p>` : html`<p class="muted" id="offline-note">${ui('form.offline')}</p>`}</fieldset>
<fieldset><legend>${ui('events.when')}</legend>
<label>${ui('form.date')} <input type="date" name="date" value="${v.date}"></label>
<label>${ui('form.start')} <input type="time" name="start" value="${v.start}"></label> ${fieldError(errors, 'start')}
<label>${ui('form.end')} <input type="time" name="end" value="${v.end}"></label> ${fieldError(errors, 'end')}</fieldset>
<fieldset><legend>${ui('form.price')}</legend>${(['free', 'paid'] as const).map((p) => html`<label class="check"><input type="radio" name="price" value="${p}"${v.price === p ? ' checked' : ''}> ${ui(p === 'free' ? 'form.free' : 'form.paid')}</label>`)} ${fieldError(errors, 'price')}</fieldset>
<fieldset><legend>${ui('form.topics')}</legend>${topicTags.map((t) => html`<label class="check"><input type="checkbox" name="topics" value="${t}"${v.topics.includes(t) ? ' checked' : ''}> ${t.replace(/_/g, ' ')}</label>`)} ${fieldError(errors, 'topics')}</fieldset>
<fieldset><legend>${ui('form.languages')}</legend>${languageCodes.map((l) => html`<label class="check"><input type="checkbox" name="languages" value="${l}"${v.languages.includes(l) ? ' checked' : ''}> ${l}</label>`)} ${fieldError(errors, 'languages')}</fieldset>
<button class="primary" name="action" value="save" id="save-event">${ui('form.save')}</button></form>`;
  }

  /** Handles a submitted form: drafts translations, or validates and saves. */
  async function submit(c: C, formAction: string, heading: string, spaceId: string, save: (input: StaffEventInput) => Promise<string | undefined>) {
    const ui = uiFor(c);
    const { values, action } = await parseForm(c, spaceId);
    const isNew = formAction.startsWith('/staff/events/new');
    const page = (body: Html, status: 200 | 400 = 200) => c.html(layout(c, heading, html`<h1>${heading}</h1>${body}`), status);
    if (action === 'draft') {
      if (!values.title[values.sourceLang]) {
        return page(eventForm(c, ui, formAction, values, { [`title_${values.sourceLang}`]: ui('form.draftNeedsTitle') }, undefined, isNew ? '/staff/events/new' : undefined), 400);
      }
      const { drafted, failed } = await draft(values);
      const note = html`<p class="ok" role="status" id="draft-note">${ui('form.drafted', { n: drafted.length })}</p>${failed.length ? html`<p class="error">${ui('form.draftFailed', { langs: failed.join(', ') })}</p>` : ''}`;
      return page(eventForm(c, ui, formAction, values, {}, note, isNew ? '/staff/events/new' : undefined));
    }
    const { input, errors } = inputOf(values, tz, ui);
    if (Object.keys(errors).length > 0) {
      // Show every field's problem at once, not the date first and the rest after the next try.
      const other = validateEvent(input, app.knowledge.content.spaces.map((s) => s.id));
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
    if (!spaceId) return c.get('account')!.role === 'staff' && !c.get('account')!.spaceId ? c.html(layout(c, ui('nav.events'), html`<p class="error">${ui('unlinked')}</p>`), 403) : notFound(c);
    const space = app.knowledge.space(spaceId)!;
    const now = app.clock.now();
    const f = formatterFor(uiLangOf(c), tz);
    const events = app.knowledge.content.events.filter((e) => e.spaceId === spaceId && (e.end ?? e.start) > now);
    const saved = c.req.query('saved');
    const account = c.get('account')!;
    return c.html(layout(c, ui('events.title', { name: space.name }), html`<h1>${ui('events.title', { name: space.name })}</h1>
${saved ? html`<p class="ok" role="status">${ui('events.saved')}</p>` : ''}${c.req.query('cancelled') ? html`<p class="ok" role="status">${ui('events.cancelled')}</p>` : ''}
${account.role !== 'staff' ? html`<form method="get" action="/staff/events"><select name="space" aria-label="${ui('form.space')}">${app.knowledge.content.spaces.map((s) => html`<option value="${s.id}"${s.id === spaceId ? ' selected' : ''}>${s.name}</option>`)}</select> <button>${ui('nav.events')}</button></form>` : ''}
<p><a href="/staff/events/new?space=${spaceId}" id="new-event">${ui('events.new')}</a></p>
${events.length === 0 ? html`<p>${ui('events.none')}</p>` : html`<table id="events"><thead><tr><th>${ui('events.when')}</th><th>${ui('events.event')}</th><th>${ui('events.source')}</th><th>${ui('events.actions')}</th></tr></thead><tbody>
${events.map((e) => html`<tr data-event="${e.id}"><td>${f.dateTime(e.start, now)}</td><td>${e.title}</td><td>${isStaffEventId(e.id) ? ui('events.fromStaff') : ui('events.fromSheet')}</td>
<td class="row-actions">${isStaffEventId(e.id) ? html`<a href="/staff/events/${e.id}/edit">${ui('events.edit')}</a>
<form method="post" action="/staff/events/${e.id}/cancel">${csrfField(c)}<button class="cancel-event">${ui('events.cancel')}</button></form>` : ''}
<a href="/staff/events/${e.id}/broadcast" class="broadcast-event">${ui('events.broadcast')}</a></td></tr>`)}</tbody></table>`}`));
  });

  r.get('/events/new', requireRole(...roles), (c) => {
    const ui = uiFor(c);
    const spaceId = spaceParam(c, c.req.query('space'));
    if (!spaceId) return notFound(c);
    const asked = c.req.query('lang') ?? '';
    const lang = languageCodes.includes(asked) ? asked : uiLangOf(c);
    const v: EventFormValues = { spaceId, sourceLang: lang, title: {}, description: {}, date: '', start: '', end: '', price: 'free', topics: [], languages: [lang], machine: [] };
    return c.html(layout(c, ui('form.newTitle'), html`<h1>${ui('form.newTitle')}</h1>${eventForm(c, ui, `/staff/events/new?space=${spaceId}`, v, {}, undefined, '/staff/events/new')}`));
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
    return e && e.status === 'active' && canEditSpace(c.get('account')!, e.spaceId) ? e : undefined;
  };

  r.get('/events/:id/edit', requireRole(...roles), async (c) => {
    const e = await staffEventFor(c);
    if (!e) return notFound(c);
    const ui = uiFor(c);
    const saved = c.req.query('saved') === '1' ? html`<p class="ok" role="status" id="saved-note">${ui('events.saved')} ${ui('form.checkWarnings')}</p>` : undefined;
    return c.html(layout(c, ui('form.editTitle'), html`<h1>${ui('form.editTitle')}</h1>${eventForm(c, ui, `/staff/events/${e.id}/edit`, valuesOf(e, tz), {}, saved)}`));
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
    const msgs = eventMessages(app, e);
    const topics = [...new Set(e.topics.map((t) => topicToSubscription[t]).filter((t): t is string => !!t))];
    return html`<h1>${ui('bc.title', { title: e.title })}</h1><p>${ui('bc.intro')}</p>
<h2>${ui('bc.message')}</h2><div class="preview">${Object.entries(msgs.text).map(([l, t]) => html`<div class="bubble" dir="auto" data-lang="${l}"><h3 dir="ltr">${langName(l)}</h3>${t}</div>`)}</div>
<form method="post" action="/staff/events/${e.id}/broadcast" id="event-broadcast">${csrfField(c)}
<fieldset><legend>${ui('bc.audience')}</legend>
<label class="check"><input type="checkbox" name="followers" value="1" checked> ${ui('bc.followers')}</label>
<label class="check"><input type="checkbox" name="all_events" value="1" checked> ${ui('bc.allEvents')}</label>
<p>${ui('bc.topics')}: ${SUBSCRIPTION_TOPICS.map((t) => html`<label class="check"><input type="checkbox" name="topic" value="${t}"${topics.includes(t) ? ' checked' : ''}> ${t}</label>`)}</p></fieldset>
<button class="primary" id="preview-button">${ui('bc.preview')}</button></form>`;
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
    const many = (k: string) => ([] as unknown[]).concat(form[k] ?? []).filter((x): x is string => typeof x === 'string');
    const audience: Audience = {
      spaces: form.followers === '1' ? [e.spaceId] : [],
      allEvents: form.all_events === '1',
      topics: many('topic').filter((t) => SUBSCRIPTION_TOPICS.includes(t)),
      districts: [],
      languages: [],
    };
    const b = await app.broadcastStore.createBroadcast(
      { spaceId: e.spaceId, createdBy: `staff:${c.get('account')!.id}`, kind: 'event', eventId: e.id, audience, messages: eventMessages(app, e) },
      app.clock.now(),
    );
    return c.redirect(`/staff/b/${b.id}`, 303);
  });
}
