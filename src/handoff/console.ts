/**
 * The facilitator console at `/console`: the queue, a live conversation view (server-sent events),
 * replies, canned replies, private notes, claim / reassign / release / close, and admin pages for
 * canned replies and accounts. Server-rendered HTML (hono/html escapes every value), one small
 * script file for the live parts, no inline scripts (strict CSP).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { streamSSE } from 'hono/streaming';
import type { Config } from '../config.js';
import type { Bot } from '../core/pipeline.js';
import type { InboundContent } from '../core/types.js';
import type { Translator } from '../i18n/i18n.js';
import { getLanguage, isRtl, languageCodes } from '../i18n/languages.js';
import { DuplicateAccountError, roles, type Account, type Role } from '../storage/account-store.js';
import { outcomes, PRIORITY, type HandoffCase, type Outcome } from '../storage/handoff-store.js';
import type { StoredMessage } from '../storage/store.js';
import type { Logger } from '../logger.js';
import type { RouteMounter } from '../web/server.js';
import { generatePassword, hashPassword, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import { positiveId } from '../web/input.js';
import { AccountAdmin } from '../web/account-admin.js';
import { consoleStrings, type ConsoleStrings } from './console-strings.js';
import { ago, authorLabel, messageText, priorityName } from './message-text.js';
import { mountInbox, type InboxPorts } from './inbox.js';
import { staffLangOf, staffShell, type SubnavItem } from '../web/staff-shell.js';
import { configuredTranslator, type MessageTranslator } from './translate.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
type C = Context<AuthEnv>;

const publicDir = join(import.meta.dirname, 'public');
const WINDOW_MS = 24 * 3600_000;

export { messageText } from './message-text.js';

/** The console's words for this request: the staff language (the shell's switch, else the browser). */
function stringsOf(c: C): { lang: 'en' | 'it'; s: ConsoleStrings } {
  return consoleStrings(staffLangOf(c));
}

/** The console's own pages, as the inbox section's navigation (admin pages for admins). */
function consoleNav(role: Role, s: ConsoleStrings): SubnavItem[] {
  const items: SubnavItem[] = [{ href: '/console/inbox', label: s.inbox }, { href: '/console', label: s.queue }];
  if (role === 'admin') items.push({ href: '/console/canned', label: s.canned }, { href: '/console/users', label: s.users }, { href: '/console/audit', label: s.audit });
  return items;
}

function layout(c: C, title: string, body: Html, opts: { bodyClass?: string; scripts?: string[] } = {}): Html {
  const { lang, s } = stringsOf(c);
  const account = c.get('account')!;
  const url = new URL(c.req.url);
  return staffShell({
    lang,
    title,
    section: 'inbox',
    account: { email: account.email, role: account.role, spaceName: c.get('spaceName') },
    csrf: c.get('csrf'),
    here: url.pathname + url.search,
    subnav: consoleNav(account.role, s),
    stylesheets: ['/console/console.css'],
    scripts: opts.scripts ?? ['/console/translate-preview.js', '/console/console.js'],
    bodyClass: opts.bodyClass,
    body,
  });
}

const csrfField = (c: C) => html`<input type="hidden" name="_csrf" value="${c.get('csrf')!}">`;

async function userMap(app: ConsolePorts): Promise<Map<number, string>> {
  return new Map((await app.handoff.accounts.list()).map((u) => [u.id, u.email]));
}

export { authRoutes } from '../web/auth.js';

/**
 * What the console (and its inbox) needs of the running bot: a narrow port, never the whole App (the
 * assembled App satisfies it as it is).
 */
export interface ConsolePorts extends AuthPorts, InboxPorts {
  /** The default language, and the model that translates messages for facilitators (when configured). */
  readonly config: Config;
  /** The outbox a facilitator's reply and a case's closing message go through. */
  readonly bot: Pick<Bot, 'outbox'>;
  /** The person's language for the "translated" mark under a translated reply. */
  readonly translator: Pick<Translator, 'for'>;
  readonly log: Logger;
}

/** The facilitator console. Mount after `authRoutes(app)` (src/web/auth.ts). */
export function handoffConsole(app: ConsolePorts, opts: { translator?: MessageTranslator } = {}): RouteMounter {
  const auth = staffAuth(app);
  const { handoff, store } = app;
  const translator = opts.translator ?? configuredTranslator(app.config, app.log);

  /** The person's text in the facilitator's language, when a translator is configured and it differs. */
  async function translationFor(m: StoredMessage, personLang: string, staffLang: string): Promise<string | undefined> {
    if (!translator || m.direction !== 'in' || personLang === staffLang) return undefined;
    const b = m.body as InboundContent;
    return b.type === 'text' ? translator.translate(b.text, staffLang) : undefined;
  }
  const viewers: Role[] = ['admin', 'coordinator', 'facilitator'];
  const actors: Role[] = ['admin', 'facilitator'];
  const llmOn = translator !== undefined;

  const assets: Record<string, [string, string]> = {
    '/console/console.js': [readFileSync(join(publicDir, 'console.js'), 'utf8'), 'text/javascript; charset=utf-8'],
    '/console/console.css': [readFileSync(join(publicDir, 'console.css'), 'utf8'), 'text/css; charset=utf-8'],
    '/console/inbox.js': [readFileSync(join(publicDir, 'inbox.js'), 'utf8'), 'text/javascript; charset=utf-8'],
    '/console/translate-preview.js': [readFileSync(join(publicDir, 'translate-preview.js'), 'utf8'), 'text/javascript; charset=utf-8'],
  };

  /** Button labels the person saw, so a pressed button reads as its label, not its id. */
  async function choiceLabels(personId: string): Promise<Map<string, string>> {
    const offered = (await store.getConversation(personId)).state.offered ?? [];
    return new Map(offered.map((o) => [o.id, o.label]));
  }

  const r = new Hono<AuthEnv>();
  r.use('*', auth.middleware());
  mountInbox(r, { app, strings: stringsOf, layout, translationFor, choiceLabels, translate: llmOn, viewers, actors });

  // ── queue ──────────────────────────────────────────────────────────────────
  r.get('/', requireRole(...viewers), async (c) => {
    const { s } = stringsOf(c);
    const now = app.clock.now();
    const cases = await handoff.cases.queue();
    const rows = await Promise.all(
      cases.map(async (k) => {
        const person = await store.getPerson(k.personId);
        const last = (await store.history(k.personId, 6)).filter((m) => m.direction === 'in').slice(-2);
        const labels = await choiceLabels(k.personId);
        const card = await handoff.latestCard(k.personId);
        const late = k.status === 'waiting' && now.getTime() - k.createdAt.getTime() > handoff.alertMinutes * 60_000;
        const cls = [k.priority >= PRIORITY.safety ? 'safety' : '', late ? 'late' : '', k.status].filter(Boolean).join(' ');
        return html`<tr class="${cls}" data-case="${k.id}">
<td><a href="/console/c/${k.personId}">${k.personId}</a></td>
<td>${getLanguage(person?.language ?? '')?.englishName ?? '?'}</td><td>${k.channel}</td>
<td>${ago(k.createdAt, now)}${late ? html` <strong class="alert">⚠ ${s.late} ${handoff.alertMinutes} ${s.minutes}</strong>` : ''}</td>
<td>${priorityName(k.priority, s)}</td><td>${k.reason}${k.note ? html`<br><small>${k.note}</small>` : ''}</td>
<td>${card ? html`<b>${card.title}</b>` : ''}</td>
<td>${last.map((m) => html`<div class="snippet">${messageText(m, labels).slice(0, 120)}</div>`)}</td>
<td>${k.status === 'claimed' ? k.ownerEmail ?? '' : actors.includes(c.get('account')!.role)
          ? html`<form method="post" action="/console/c/${k.personId}/claim">${csrfField(c)}<input type="hidden" name="case" value="${k.id}"><button class="claim">${s.claim}</button></form>`
          : s.waiting}</td></tr>`;
      }),
    );
    const body = html`<h1>${s.queue}</h1><p class="inbox-link"><a href="/console/inbox">${s.tryInbox}</a></p><div id="live" data-stream="/console/events"></div>
${cases.length === 0 ? html`<p class="empty">${s.empty}</p>` : html`<table class="queue"><thead><tr><th>${s.person}</th><th>${s.language}</th><th>${s.channel}</th><th>${s.waitingTime}</th><th>${s.priority}</th><th>${s.reason}</th><th>${s.card}</th><th>${s.lastMessages}</th><th>${s.owner}</th></tr></thead><tbody>${rows}</tbody></table>`}`;
    return c.html(layout(c, s.queue, body));
  });

  r.get('/events', requireRole(...viewers), (c) =>
    streamSSE(c, async (stream) => {
      let closed = false;
      let wake: (() => void) | undefined;
      const off = handoff.onChange((ch) => {
        // `queue`: a case opened, was claimed, released or closed; `activity`: a message in a conversation.
        void stream.writeSSE({ event: ch.kind === 'case' ? 'queue' : 'activity', data: ch.personId });
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        off();
        wake?.();
      });
      while (!closed) {
        await stream.writeSSE({ event: 'ping', data: '' });
        await new Promise<void>((res) => {
          wake = res;
          setTimeout(res, 20_000);
        });
      }
    }),
  );

  // ── one conversation ───────────────────────────────────────────────────────
  r.get('/c/:personId', requireRole(...viewers), async (c) => {
    const { s, lang: staffLang } = stringsOf(c);
    const account = c.get('account')!;
    const personId = c.req.param('personId');
    const person = await store.getPerson(personId);
    if (!person) return c.text('No such person.', 404);
    const now = app.clock.now();
    await handoff.accounts.audit(account.id, 'view', personId, {}, now);
    const open = await handoff.cases.openCase(personId);
    const latest = open ?? (await handoff.cases.latestCase(personId));
    const history = await store.history(personId, 300);
    const labels = await choiceLabels(personId);
    const users = await userMap(app);
    const notes = await handoff.cases.notes(personId);
    const card = await handoff.latestCard(personId);
    const canned = await handoff.cases.cannedReplies();
    const lang = person.language ?? app.config.content.defaultLanguage;
    const channel = open?.channel ?? latest?.channel ?? history.at(-1)?.channel ?? 'web';
    const windowOpen = person.lastInboundAt !== null && now.getTime() - person.lastInboundAt.getTime() < WINDOW_MS;
    const consents = Object.entries(person.consents).filter(([, v]) => v).map(([k]) => k);
    const mine = open?.status === 'claimed' && open.ownerId === account.id;
    const canAct = actors.includes(account.role);
    const accounts = canAct && open?.status === 'claimed' ? (await handoff.accounts.list()).filter((u) => actors.includes(u.role) && !u.disabled && u.id !== open?.ownerId) : [];
    const flash = c.req.query('lost') ? html`<p class="error" role="alert">${s.lostClaim}</p>` : '';
    const lastId = history.at(-1)?.id ?? 0;
    const recentIn = new Set(history.filter((m) => m.direction === 'in').slice(-30).map((m) => m.id));
    const translations = new Map<number, string>();
    for (const m of history) {
      if (!recentIn.has(m.id)) continue;
      const tr = await translationFor(m, lang, staffLang);
      if (tr) translations.set(m.id, tr);
    }

    const body = html`${flash}<h1>${s.history}: <span class="pid">${personId}</span></h1>
<dl class="facts">
<dt>${s.language}</dt><dd>${getLanguage(lang)?.englishName ?? lang} (${lang}${person.languageSource ? `, ${person.languageSource}` : ''})</dd>
<dt>${s.channel}</dt><dd>${channel}</dd>
<dt>${s.consents}</dt><dd>${consents.length ? consents.join(', ') : s.none}</dd>
${channel === 'whatsapp' ? html`<dt>${s.window}</dt><dd class="${windowOpen ? 'ok' : 'warn'}" id="window">${windowOpen ? s.windowOpen : s.windowClosed}</dd>` : ''}
<dt>${s.status}</dt><dd id="case-status">${open ? html`${open.status === 'waiting' ? s.waiting : `${s.ownedBy} ${open.ownerEmail ?? '?'}`} · ${s.priority}: ${priorityName(open.priority, s)} · ${s.reason}: ${open.reason}${open.note ? ` · ${open.note}` : ''}` : s.closed}</dd>
</dl>
${card ? html`<section class="card"><h2>${s.card}: ${card.title}</h2><dl>${card.fields.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl></section>` : ''}
<ol id="history" class="history" data-stream="/console/c/${personId}/stream?after=${lastId}" dir="auto">
${history.map((m) => html`<li class="msg ${m.direction} ${m.author.split(':')[0]}" data-id="${m.id}"><span class="who">${authorLabel(m.author, users)}</span>
<span class="at">${m.createdAt.toISOString().slice(11, 16)}</span><div class="text" dir="auto">${messageText(m, labels)}</div>${translations.has(m.id) ? html`<div class="translation" dir="auto">⇄ ${translations.get(m.id)!}</div>` : ''}
${m.direction === 'out' ? html`<span class="delivery" data-status="${m.status}">${m.status}</span>` : ''}</li>`)}
</ol>
${!canAct ? html`<p>${s.viewOnly}</p>` : open?.status === 'waiting'
  ? html`<form method="post" action="/console/c/${personId}/claim">${csrfField(c)}<input type="hidden" name="case" value="${open.id}"><button class="claim">${s.claim}</button></form>`
  : mine || (open?.status === 'claimed' && account.role === 'admin')
    ? html`<form method="post" action="/console/c/${personId}/reply" class="reply" id="reply">${csrfField(c)}<input type="hidden" name="case" value="${open!.id}">
<p class="hint">${s.detected}: ${getLanguage(lang)?.englishName ?? lang}. ${llmOn ? '' : s.offlineNote}</p>
<label>${s.useCanned} <select id="canned">${canned.map((k) => html`<option value="${k.texts[lang] ?? k.texts.en ?? ''}">${k.title}</option>`)}</select></label> <button type="button" id="use-canned">${s.insert}</button>
<textarea name="text" id="reply-text" rows="3" required maxlength="4000" dir="auto" aria-label="${s.reply}"></textarea><input type="hidden" name="original" id="reply-original" value="">
${llmOn && lang !== staffLang ? html`<button type="button" id="translate" data-url="/console/c/${personId}/translate">${s.translate}</button> <span id="translate-note" hidden data-ok="${s.translatedNote}" data-failed="${s.translationFailed}"></span> ` : ''}<button type="submit" id="send-reply">${s.reply}</button></form>
<div class="actions">
<form method="post" action="/console/c/${personId}/release">${csrfField(c)}<input type="hidden" name="case" value="${open!.id}"><button id="release">${s.release}</button></form>
<form method="post" action="/console/c/${personId}/close">${csrfField(c)}<input type="hidden" name="case" value="${open!.id}"><label>${s.outcome} <select name="outcome">${outcomes.filter((o) => o !== 'released').map((o) => html`<option value="${o}">${s[o]}</option>`)}</select></label><button>${s.close}</button></form>
${accounts.length ? html`<form method="post" action="/console/c/${personId}/reassign">${csrfField(c)}<input type="hidden" name="case" value="${open!.id}"><label>${s.reassign} <select name="to">${accounts.map((u) => html`<option value="${u.id}">${u.email}</option>`)}</select></label><button>OK</button></form>` : ''}
</div>`
    : open ? html`<p>${s.ownedBy} ${open.ownerEmail ?? '?'}</p>` : ''}
<section class="notes"><h2>${s.notes}</h2><ul>${notes.map((n) => html`<li><b>${n.authorEmail ?? '?'}</b> <small>${n.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</small><div>${n.body}</div></li>`)}</ul>
${canAct ? html`<form method="post" action="/console/c/${personId}/note">${csrfField(c)}<textarea name="body" rows="2" required maxlength="4000" aria-label="${s.notes}"></textarea><button>${s.addNote}</button></form>` : ''}</section>`;
    return c.html(layout(c, personId, body));
  });

  r.get('/c/:personId/stream', requireRole(...viewers), (c) => {
    const personId = c.req.param('personId');
    const { lang: staffLang } = stringsOf(c);
    let after = Number(c.req.query('after') ?? 0) || 0;
    return streamSSE(c, async (stream) => {
      let closed = false;
      let wake: (() => void) | undefined;
      const off = handoff.onChange((ch) => {
        if (ch.personId === personId) wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        off();
        wake?.();
      });
      const users = await userMap(app);
      let statuses = new Map<number, string>();
      while (!closed) {
        const history = await store.history(personId, 50);
        const personLang = (await store.getPerson(personId))?.language ?? app.config.content.defaultLanguage;
        for (const m of history.filter((h) => h.id > after)) {
          const translation = await translationFor(m, personLang, staffLang);
          await stream.writeSSE({
            event: 'message',
            id: String(m.id),
            data: JSON.stringify({ id: m.id, direction: m.direction, kind: m.author.split(':')[0], author: authorLabel(m.author, users), at: m.createdAt.toISOString().slice(11, 16), text: messageText(m, await choiceLabels(personId)), status: m.direction === 'out' ? m.status : null, translation: translation ?? null }),
          });
          after = m.id;
        }
        const now = new Map((await handoff.cases.messageStatuses(personId)).map((x) => [x.id, x.status]));
        const changed = [...now].filter(([id, st]) => statuses.get(id) !== st);
        if (changed.length && statuses.size) await stream.writeSSE({ event: 'status', data: JSON.stringify(changed.map(([id, status]) => ({ id, status }))) });
        statuses = now;
        // Wake on a change in this process, or poll (another process may have written).
        await new Promise<void>((res) => {
          wake = res;
          setTimeout(res, 1000);
        });
      }
    });
  });

  /** The open case named by the form, if it belongs to this person. */
  async function formCase(c: C): Promise<{ form: Record<string, string | File>; kase?: HandoffCase }> {
    const form = await c.req.parseBody();
    const id = positiveId(form.case);
    const kase = id !== undefined ? await handoff.cases.getCase(id) : undefined;
    return { form, kase: kase && kase.personId === c.req.param('personId') && kase.status !== 'closed' ? kase : undefined };
  }
  /** The inbox's script asks for JSON; a plain form post goes back to the conversation's page. */
  const wantsJson = (c: C) => (c.req.header('accept') ?? '').includes('application/json');
  // Back to the reply box (`#reply`), not to the top of the page.
  const back = (c: C, q = '') => (wantsJson(c) ? c.json({ ok: true }) : c.redirect(`/console/c/${c.req.param('personId')}${q}#reply`, 303));
  const toQueue = (c: C) => (wantsJson(c) ? c.json({ ok: true }) : c.redirect('/console', 303));
  /** Only the owner (or an admin) acts on a claimed case. */
  const owns = (a: Account, k: HandoffCase) => k.status === 'claimed' && (k.ownerId === a.id || a.role === 'admin');

  r.post('/c/:personId/claim', requireRole(...actors), async (c) => {
    const { kase } = await formCase(c);
    if (!kase) return c.text('This conversation is not waiting.', 409);
    const ok = await handoff.claim(kase.id, c.get('account')!.id);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ ok }, ok ? 200 : 409);
    return back(c, ok ? '' : '?lost=1');
  });

  r.post('/c/:personId/reply', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    if (!kase || !owns(c.get('account')!, kase)) return c.text('Claim this conversation first.', 409);
    if (!text || text.length > 4000) return c.text('Write a reply (up to 4000 characters).', 400);
    const original = typeof form.original === 'string' ? form.original.trim() : '';
    if (original && original !== text) {
      // Machine-translated: the person is told, so a clumsy sentence is not taken for the facilitator's own words.
      const person = await store.getPerson(kase.personId);
      const t = app.translator.for(person?.language ?? app.config.content.defaultLanguage);
      await handoff.reply(app.bot.outbox, kase, c.get('account')!.id, `${text}\n${t('handoff:translatedMark')}`, { translated: true });
    } else {
      await handoff.reply(app.bot.outbox, kase, c.get('account')!.id, text);
    }
    return back(c);
  });

  r.post('/c/:personId/translate', requireRole(...actors), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'the body must be JSON' }, 400);
    }
    const text = typeof (body as { text?: unknown }).text === 'string' ? (body as { text: string }).text.trim() : '';
    if (!text || text.length > 4000) return c.json({ error: 'text is required (up to 4000 characters)' }, 400);
    const person = await store.getPerson(c.req.param('personId'));
    if (!person) return c.json({ error: 'no such person' }, 404);
    if (!translator) return c.json({ error: 'no translation service is configured' }, 503);
    const translation = await translator.translate(text, person.language ?? app.config.content.defaultLanguage);
    await handoff.accounts.audit(c.get('account')!.id, 'translate_preview', person.id, { ok: translation !== undefined }, app.clock.now());
    return translation ? c.json({ translation }) : c.json({ error: 'the translation service did not answer' }, 502);
  });

  r.post('/c/:personId/release', requireRole(...actors), async (c) => {
    const { kase } = await formCase(c);
    const account = c.get('account')!;
    if (!kase || (kase.status === 'claimed' && !owns(account, kase))) return c.text('Claim this conversation first.', 409);
    await handoff.close(app.bot.outbox, kase.id, account.id, 'released');
    return toQueue(c);
  });

  r.post('/c/:personId/close', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const account = c.get('account')!;
    const outcome = form.outcome as Outcome;
    if (!kase || (kase.status === 'claimed' && !owns(account, kase))) return c.text('Claim this conversation first.', 409);
    if (!(outcomes as readonly string[]).includes(outcome)) return c.text('Choose an outcome.', 400);
    await handoff.close(app.bot.outbox, kase.id, account.id, outcome);
    return toQueue(c);
  });

  r.post('/c/:personId/reassign', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const account = c.get('account')!;
    const toId = positiveId(form.to);
    const to = toId !== undefined ? await handoff.accounts.get(toId) : undefined;
    if (!kase || !owns(account, kase) || !to || !actors.includes(to.role)) return c.text('Cannot reassign.', 409);
    await handoff.reassign(kase.id, account.id, to.id);
    return back(c);
  });

  r.post('/c/:personId/note', requireRole(...actors), async (c) => {
    const form = await c.req.parseBody();
    const body = typeof form.body === 'string' ? form.body.trim() : '';
    const personId = c.req.param('personId');
    if (!body || body.length > 4000 || !(await store.getPerson(personId))) return c.text('Write a note (up to 4000 characters).', 400);
    const now = app.clock.now();
    await handoff.cases.addNote(personId, c.get('account')!.id, body, now);
    await handoff.accounts.audit(c.get('account')!.id, 'note', personId, {}, now);
    return back(c);
  });

  // ── admin: canned replies, accounts, audit ─────────────────────────────────
  r.get('/canned', requireRole('admin'), async (c) => {
    const { s } = stringsOf(c);
    const list = await handoff.cases.cannedReplies();
    const body = html`<h1>${s.canned}</h1>
<table class="canned"><tbody>${list.map((k) => html`<tr><td><b>${k.title}</b><br><small>${Object.keys(k.texts).length} / ${languageCodes.length}</small></td>
<td>${Object.entries(k.texts).slice(0, 3).map(([l, t]) => html`<div><code>${l}</code> ${t}</div>`)}</td>
<td><form method="post" action="/console/canned/${k.id}/delete">${csrfField(c)}<button>${s.delete}</button></form></td></tr>`)}</tbody></table>
<h2>${s.add}</h2><form method="post" action="/console/canned" class="canned-form">${csrfField(c)}
<label>${s.title} <input name="title" required maxlength="80"></label>
${languageCodes.map((l) => html`<label>${getLanguage(l)!.englishName} (${l}) <textarea name="text_${l}" rows="2" dir="${isRtl(l) ? 'rtl' : 'ltr'}" ${l === 'en' ? 'required' : ''}></textarea></label>`)}
<button>${s.add}</button></form>`;
    return c.html(layout(c, s.canned, body));
  });

  r.post('/canned', requireRole('admin'), async (c) => {
    const form = await c.req.parseBody();
    const title = typeof form.title === 'string' ? form.title.trim() : '';
    const texts: Record<string, string> = {};
    for (const l of languageCodes) {
      const v = form[`text_${l}`];
      if (typeof v === 'string' && v.trim()) texts[l] = v.trim().slice(0, 4000);
    }
    if (!title || !texts.en) return c.text('A title and at least the English text are needed.', 400);
    const id = await handoff.cases.addCanned(title.slice(0, 80), texts);
    await handoff.accounts.audit(c.get('account')!.id, 'canned_add', null, { id }, app.clock.now());
    return c.redirect('/console/canned', 303);
  });

  r.post('/canned/:id/delete', requireRole('admin'), async (c) => {
    const id = positiveId(c.req.param('id'));
    if (id === undefined) return c.text('No such canned reply.', 404);
    await handoff.cases.deleteCanned(id);
    await handoff.accounts.audit(c.get('account')!.id, 'canned_delete', null, { id }, app.clock.now());
    return c.redirect('/console/canned', 303);
  });

  const usersPage = async (c: C, created?: { email: string; password: string; reset?: boolean }, error?: string) => {
    const { s } = stringsOf(c);
    const list = await handoff.accounts.list();
    const me = c.get('account')!.id;
    const action = (u: Account, what: 'disable' | 'enable' | 'reset', label: string) =>
      html`<form method="post" action="/console/users/${u.id}/${what}">${csrfField(c)}<button data-action="${what}">${label}</button></form>`;
    const body = html`<h1>${s.users}</h1>
${created ? html`<p class="ok" role="status">${created.reset ? s.passwordReset : s.created} <b>${created.email}</b>: <code id="new-password">${created.password}</code></p>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<table id="accounts"><thead><tr><th>${s.email}</th><th>${s.role}</th><th>${s.space}</th><th>${s.accountState}</th><th></th></tr></thead><tbody>${list.map(
      (u) => html`<tr data-email="${u.email}"><td>${u.email}</td><td>${u.role}</td><td>${u.spaceId ? html`${app.knowledge.space(u.spaceId)?.name ?? u.spaceId} <small><code>${u.spaceId}</code></small>` : ''}</td><td class="state">${u.disabled ? s.disabledState : s.active}</td>
<td class="actions">${u.id === me ? '' : u.disabled ? action(u, 'enable', s.enable) : action(u, 'disable', s.disable)}${action(u, 'reset', s.resetPassword)}</td></tr>`,
    )}</tbody></table>
<h2>${s.add}</h2><form method="post" action="/console/users">${csrfField(c)}
<label>${s.email} <input name="email" type="email" required></label>
<label>${s.role} <select name="role">${roles.map((r) => html`<option>${r}</option>`)}</select></label>
<label>${s.space} <input name="space"></label><button>${s.add}</button></form>`;
    return c.html(layout(c, s.users, body), error ? 400 : 200);
  };
  r.get('/users', requireRole('admin'), (c) => usersPage(c));
  r.post('/users', requireRole('admin'), async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim() : '';
    const role = form.role as Role;
    const space = typeof form.space === 'string' && form.space.trim() ? form.space.trim() : null;
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || !roles.includes(role)) return usersPage(c, undefined, 'A valid email and role are needed.');
    if (role === 'staff' && !space) return usersPage(c, undefined, 'A staff account needs a space id.');
    const password = generatePassword();
    try {
      const created = await handoff.accounts.create(email, role, await hashPassword(password), space, app.clock.now());
      await handoff.accounts.audit(c.get('account')!.id, 'user_add', null, { userId: created.id, role }, app.clock.now());
    } catch (err) {
      if (err instanceof DuplicateAccountError) return usersPage(c, undefined, err.message);
      throw err;
    }
    return usersPage(c, { email, password });
  });

  const admin = new AccountAdmin(handoff.accounts, app.clock);
  /** The account named in the path, for the account actions below. */
  const target = async (c: C): Promise<Account | undefined> => {
    const id = positiveId(c.req.param('id'));
    return id === undefined ? undefined : handoff.accounts.get(id);
  };
  r.post('/users/:id/disable', requireRole('admin'), async (c) => {
    const u = await target(c);
    if (!u) return c.text('No such account.', 404);
    const done = await admin.disable(u, c.get('account')!.id);
    return done.ok ? c.redirect('/console/users', 303) : usersPage(c, undefined, done.error);
  });
  r.post('/users/:id/enable', requireRole('admin'), async (c) => {
    const u = await target(c);
    if (!u) return c.text('No such account.', 404);
    await admin.enable(u, c.get('account')!.id);
    return c.redirect('/console/users', 303);
  });
  r.post('/users/:id/reset', requireRole('admin'), async (c) => {
    const u = await target(c);
    if (!u) return c.text('No such account.', 404);
    const done = await admin.resetPassword(u, c.get('account')!.id);
    return done.ok ? usersPage(c, { email: u.email, password: done.password, reset: true }) : usersPage(c, undefined, done.error);
  });

  r.get('/audit', requireRole('admin'), async (c) => {
    const { s } = stringsOf(c);
    const entries = await handoff.accounts.auditEntries({ personId: c.req.query('person') || undefined });
    const users = await userMap(app);
    const body = html`<h1>${s.audit}</h1><table><tbody>${entries.map((e) => html`<tr><td>${e.at.toISOString().slice(0, 19).replace('T', ' ')}</td><td>${e.userId ? users.get(e.userId) ?? e.userId : ''}</td><td>${e.action}</td><td>${e.personId ?? ''}</td><td><code>${JSON.stringify(e.detail)}</code></td></tr>`)}</tbody></table>`;
    return c.html(layout(c, s.audit, body));
  });

  return (web) => {
    for (const [path, [body, type]] of Object.entries(assets)) web.get(path, (c) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }));
    web.route('/console', r);
  };
}


