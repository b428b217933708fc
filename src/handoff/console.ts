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
import type { HtmlEscapedString } from 'hono/utils/html';
import { streamSSE } from 'hono/streaming';
import type { Config } from '../config.js';
import type { Bot } from '../core/pipeline.js';
import type { InboundContent } from '../core/types.js';
import type { Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import { DuplicateAccountError, roles, type Account, type Role } from '../storage/account-store.js';
import { outcomes, type HandoffCase, type Outcome } from '../storage/handoff-store.js';
import type { StoredMessage } from '../storage/store.js';
import type { Logger } from '../logger.js';
import type { RouteMounter } from '../web/server.js';
import { signedIn, generatePassword, hashPassword, requireRole, staffAuth, type AuthEnv, type AuthPorts } from '../web/auth.js';
import { positiveId } from '../web/input.js';
import { AccountAdmin } from '../web/account-admin.js';
import { consoleStrings, type ConsoleStrings } from '../i18n/staff-strings.js';
import { authorLabel, messageText } from './message-text.js';
import { mountInbox, type InboxPorts } from './inbox.js';
import { staffLangOf } from '../web/staff-shell.js';
import { auditBody, cannedBody, consoleLayout, conversationBody, queueBody, usersBody, type ConsoleFrame, type QueueEntry } from './console-views.js';
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

/** The staff shell around a console page, for this request. */
function layout(c: C, title: string, body: Html, opts: { bodyClass?: string; scripts?: string[] } = {}): Html {
  const { lang, s } = stringsOf(c);
  const account = signedIn(c);
  const url = new URL(c.req.url);
  const frame: ConsoleFrame = {
    lang,
    account: { email: account.email, role: account.role, spaceName: c.get('spaceName') },
    csrf: c.get('csrf'),
    here: url.pathname + url.search,
  };
  return consoleLayout(frame, s, title, body, opts);
}

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
    const entries = await Promise.all(
      cases.map(
        async (kase): Promise<QueueEntry> => ({
          kase,
          language: (await store.getPerson(kase.personId))?.language,
          last: (await store.history(kase.personId, 6)).filter((m) => m.direction === 'in').slice(-2),
          labels: await choiceLabels(kase.personId),
          card: await handoff.latestCard(kase.personId),
        }),
      ),
    );
    const body = queueBody({ entries, now, alertMinutes: handoff.alertMinutes, canClaim: actors.includes(signedIn(c).role), csrf: c.get('csrf') }, s);
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
    const account = signedIn(c);
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
    const mine = open?.status === 'claimed' && open.ownerId === account.id;
    const canAct = actors.includes(account.role);
    const accounts = canAct && open?.status === 'claimed' ? (await handoff.accounts.list()).filter((u) => actors.includes(u.role) && !u.disabled && u.id !== open?.ownerId) : [];
    const recentIn = new Set(
      history
        .filter((m) => m.direction === 'in')
        .slice(-30)
        .map((m) => m.id),
    );
    const translations = new Map<number, string>();
    for (const m of history) {
      if (!recentIn.has(m.id)) continue;
      const tr = await translationFor(m, lang, staffLang);
      if (tr) translations.set(m.id, tr);
    }

    const body = conversationBody(
      {
        person,
        lang,
        staffLang,
        channel,
        windowOpen,
        open,
        card,
        history,
        labels,
        users,
        translations,
        notes,
        canned,
        reassignTo: accounts,
        canAct,
        canReply: mine || (open?.status === 'claimed' && account.role === 'admin'),
        llmOn,
        lostClaim: Boolean(c.req.query('lost')),
        csrf: c.get('csrf'),
      },
      s,
    );
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
            data: JSON.stringify({
              id: m.id,
              direction: m.direction,
              kind: m.author.split(':')[0],
              author: authorLabel(m.author, users),
              at: m.createdAt.toISOString().slice(11, 16),
              text: messageText(m, await choiceLabels(personId)),
              status: m.direction === 'out' ? m.status : null,
              translation: translation ?? null,
            }),
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
    const ok = await handoff.claim(kase.id, signedIn(c).id);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ ok }, ok ? 200 : 409);
    return back(c, ok ? '' : '?lost=1');
  });

  r.post('/c/:personId/reply', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    if (!kase || !owns(signedIn(c), kase)) return c.text('Claim this conversation first.', 409);
    if (!text || text.length > 4000) return c.text('Write a reply (up to 4000 characters).', 400);
    const original = typeof form.original === 'string' ? form.original.trim() : '';
    if (original && original !== text) {
      // Machine-translated: the person is told, so a clumsy sentence is not taken for the facilitator's own words.
      const person = await store.getPerson(kase.personId);
      const t = app.translator.for(person?.language ?? app.config.content.defaultLanguage);
      await handoff.reply(app.bot.outbox, kase, signedIn(c).id, `${text}\n${t('handoff:translatedMark')}`, { translated: true });
    } else {
      await handoff.reply(app.bot.outbox, kase, signedIn(c).id, text);
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
    await handoff.accounts.audit(signedIn(c).id, 'translate_preview', person.id, { ok: translation !== undefined }, app.clock.now());
    return translation ? c.json({ translation }) : c.json({ error: 'the translation service did not answer' }, 502);
  });

  r.post('/c/:personId/release', requireRole(...actors), async (c) => {
    const { kase } = await formCase(c);
    const account = signedIn(c);
    if (!kase || (kase.status === 'claimed' && !owns(account, kase))) return c.text('Claim this conversation first.', 409);
    await handoff.close(app.bot.outbox, kase.id, account.id, 'released');
    return toQueue(c);
  });

  r.post('/c/:personId/close', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const account = signedIn(c);
    const outcome = form.outcome as Outcome;
    if (!kase || (kase.status === 'claimed' && !owns(account, kase))) return c.text('Claim this conversation first.', 409);
    if (!(outcomes as readonly string[]).includes(outcome)) return c.text('Choose an outcome.', 400);
    await handoff.close(app.bot.outbox, kase.id, account.id, outcome);
    return toQueue(c);
  });

  r.post('/c/:personId/reassign', requireRole(...actors), async (c) => {
    const { form, kase } = await formCase(c);
    const account = signedIn(c);
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
    await handoff.cases.addNote(personId, signedIn(c).id, body, now);
    await handoff.accounts.audit(signedIn(c).id, 'note', personId, {}, now);
    return back(c);
  });

  // ── admin: canned replies, accounts, audit ─────────────────────────────────
  r.get('/canned', requireRole('admin'), async (c) => {
    const { s } = stringsOf(c);
    const list = await handoff.cases.cannedReplies();
    const body = cannedBody(list, s, c.get('csrf'));
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
    await handoff.accounts.audit(signedIn(c).id, 'canned_add', null, { id }, app.clock.now());
    return c.redirect('/console/canned', 303);
  });

  r.post('/canned/:id/delete', requireRole('admin'), async (c) => {
    const id = positiveId(c.req.param('id'));
    if (id === undefined) return c.text('No such canned reply.', 404);
    await handoff.cases.deleteCanned(id);
    await handoff.accounts.audit(signedIn(c).id, 'canned_delete', null, { id }, app.clock.now());
    return c.redirect('/console/canned', 303);
  });

  const usersPage = async (c: C, created?: { email: string; password: string; reset?: boolean }, error?: string) => {
    const { s } = stringsOf(c);
    const list = await handoff.accounts.list();
    const spaceNames = new Map<string, string>();
    for (const u of list) {
      const name = u.spaceId ? app.knowledge.space(u.spaceId)?.name : undefined;
      if (u.spaceId && name !== undefined) spaceNames.set(u.spaceId, name);
    }
    const body = usersBody({ list, spaceNames, me: signedIn(c).id, created, error, csrf: c.get('csrf') }, s);
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
      await handoff.accounts.audit(signedIn(c).id, 'user_add', null, { userId: created.id, role }, app.clock.now());
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
    const done = await admin.disable(u, signedIn(c).id);
    return done.ok ? c.redirect('/console/users', 303) : usersPage(c, undefined, done.error);
  });
  r.post('/users/:id/enable', requireRole('admin'), async (c) => {
    const u = await target(c);
    if (!u) return c.text('No such account.', 404);
    await admin.enable(u, signedIn(c).id);
    return c.redirect('/console/users', 303);
  });
  r.post('/users/:id/reset', requireRole('admin'), async (c) => {
    const u = await target(c);
    if (!u) return c.text('No such account.', 404);
    const done = await admin.resetPassword(u, signedIn(c).id);
    return done.ok ? usersPage(c, { email: u.email, password: done.password, reset: true }) : usersPage(c, undefined, done.error);
  });

  r.get('/audit', requireRole('admin'), async (c) => {
    const { s } = stringsOf(c);
    const entries = await handoff.accounts.auditEntries({ personId: c.req.query('person') || undefined });
    const users = await userMap(app);
    const body = auditBody(entries, users, s);
    return c.html(layout(c, s.audit, body));
  });

  return (web) => {
    for (const [path, [body, type]] of Object.entries(assets)) web.get(path, (c) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }));
    web.route('/console', r);
  };
}
