/**
 * The facilitators' inbox at `/console/inbox`: one live page with the queue (safety first, waiting
 * time, language, channel, unread counts) beside the open conversation and its context (language,
 * consents, project card, spaces the bot showed, earlier requests, notes). The fragments are
 * re-fetched in place (`/console/inbox/queue`, `/console/inbox/c/:personId`) when the console's
 * events say something changed, and the actions are the console's own POST routes (answered as
 * JSON for the page's script). Views are in `inbox-views.ts`.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { getLanguage, isRtl } from '../i18n/languages.js';
import type { Account, Role } from '../storage/account-store.js';
import { outcomes, PRIORITY } from '../storage/handoff-store.js';
import { InboxStore } from '../storage/inbox-store.js';
import type { Db } from '../storage/db.js';
import type { Store, StoredMessage } from '../storage/store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { signedIn, sessionCsrf, requireRole, type AuthEnv } from '../web/auth.js';
import type { ConsoleStrings } from '../i18n/staff-strings.js';
import type { Handoff } from './handoff.js';
import { conversationPane, contextPanel, inboxBody, queueList, type ConversationView, type Html, type MessageView, type QueueItemView } from './inbox-views.js';
import { ago, authorLabel, messageText, priorityName } from './message-text.js';

type C = Context<AuthEnv>;

/** What the inbox needs of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface InboxPorts {
  /** For the inbox's own read marks and past cases. */
  readonly db: Db;
  /** The queue, cases, notes, canned replies, accounts and project cards. */
  readonly handoff: Handoff;
  /** People, their messages and conversations. */
  readonly store: Pick<Store, 'getPerson' | 'history' | 'getConversation'>;
  readonly clock: Clock;
  /** The default language, for a person who has none yet. */
  readonly config: Pick<Config, 'content'>;
  /** Space names. */
  readonly knowledge: Pick<KnowledgeBase, 'space'>;
}

/** What the inbox borrows from the console. */
export interface InboxDeps {
  app: InboxPorts;
  strings(c: C): { lang: 'en' | 'it'; s: ConsoleStrings };
  layout(c: C, title: string, body: Html, opts: { bodyClass?: string; scripts?: string[] }): Html;
  translationFor(m: StoredMessage, personLang: string, staffLang: string): Promise<string | undefined>;
  choiceLabels(personId: string): Promise<Map<string, string>>;
  translate: boolean;
  viewers: Role[];
  actors: Role[];
}

const WINDOW_MS = 24 * 3600_000;
const languageLabel = (code: string) => {
  const l = getLanguage(code);
  return l ? (l.nativeName === l.englishName ? l.englishName : `${l.englishName} · ${l.nativeName}`) : code;
};

export function mountInbox(r: Hono<AuthEnv>, d: InboxDeps): void {
  const { app } = d;
  const { handoff, store } = app;
  const reads = new InboxStore(app.db);

  async function queueItems(account: Account): Promise<QueueItemView[]> {
    const now = app.clock.now();
    const [cases, unread] = await Promise.all([handoff.cases.queue(), reads.unread(account.id)]);
    // Safety first, then the rest in the queue's order (waiting before claimed, oldest first).
    const ordered = [...cases.filter((k) => k.priority >= PRIORITY.safety), ...cases.filter((k) => k.priority < PRIORITY.safety)];
    return Promise.all(
      ordered.map(async (k) => {
        const person = await store.getPerson(k.personId);
        const last = (await store.history(k.personId, 6)).filter((m) => m.direction === 'in').at(-1);
        const card = await handoff.latestCard(k.personId);
        return {
          personId: k.personId,
          status: k.status === 'claimed' ? 'claimed' : 'waiting',
          safety: k.priority >= PRIORITY.safety,
          priority: String(k.priority),
          late: k.status === 'waiting' && now.getTime() - k.createdAt.getTime() > handoff.alertMinutes * 60_000,
          waited: ago(k.createdAt, now),
          language: getLanguage(person?.language ?? '')?.englishName ?? '?',
          channel: k.channel,
          unread: unread.get(k.personId) ?? 0,
          owner: k.ownerEmail,
          mine: k.status === 'claimed' && k.ownerId === account.id,
          reason: k.reason,
          snippet: last ? messageText(last, await d.choiceLabels(k.personId)).slice(0, 90) : '',
          card: card?.title,
        } satisfies QueueItemView;
      }),
    );
  }

  /** The open conversation and its context panel, for `account`; marks it read. */
  async function work(c: C, personId: string): Promise<Html | undefined> {
    const { s, lang: staffLang } = d.strings(c);
    const account = signedIn(c);
    const csrf = sessionCsrf(c);
    const person = await store.getPerson(personId);
    if (!person) return undefined;
    const now = app.clock.now();
    await handoff.accounts.audit(account.id, 'view', personId, { from: 'inbox' }, now);
    const open = await handoff.cases.openCase(personId);
    const history = await store.history(personId, 300);
    const labels = await d.choiceLabels(personId);
    const users = new Map((await handoff.accounts.list()).map((u) => [u.id, u.email]));
    const lang = person.language ?? app.config.content.defaultLanguage;
    const recentIn = new Set(
      history
        .filter((m) => m.direction === 'in')
        .slice(-30)
        .map((m) => m.id),
    );
    const messages: MessageView[] = [];
    for (const m of history) {
      const translation = recentIn.has(m.id) ? await d.translationFor(m, lang, staffLang) : undefined;
      messages.push({
        id: m.id,
        direction: m.direction,
        kind: m.author.split(':')[0] ?? m.author,
        author: authorLabel(m.author, users),
        at: m.createdAt.toISOString().slice(11, 16),
        text: messageText(m, labels),
        translation,
        status: m.direction === 'out' ? m.status : undefined,
      });
    }
    const lastId = history.at(-1)?.id ?? 0;
    if (lastId) await reads.markRead(account.id, personId, lastId);
    const canAct = d.actors.includes(account.role);
    const mine = open?.status === 'claimed' && (open.ownerId === account.id || account.role === 'admin');
    const state: ConversationView['state'] = !open ? 'closed' : !canAct ? 'view' : open.status === 'waiting' ? 'waiting' : mine ? 'mine' : 'other';
    const statusLine = open
      ? `${open.status === 'waiting' ? s.waiting : `${s.ownedBy} ${open.ownerEmail ?? '?'}`} · ${s.priority}: ${priorityName(open.priority, s)} · ${s.reason}: ${open.reason}${open.note ? ` · ${open.note}` : ''}`
      : s.closed;
    const canned = state === 'mine' ? (await handoff.cases.cannedReplies()).map((k) => ({ title: k.title, text: k.texts[lang] ?? k.texts.en ?? '' })) : [];
    const reassignTo =
      state === 'mine' ? (await handoff.accounts.list()).filter((u) => d.actors.includes(u.role) && !u.disabled && u.id !== open?.ownerId).map((u) => ({ id: u.id, email: u.email })) : [];
    const conv: ConversationView = {
      personId,
      caseId: open?.id,
      state,
      statusLine,
      messages,
      lastId,
      language: languageLabel(lang),
      langCode: lang,
      rtl: isRtl(lang),
      canned,
      translate: d.translate && lang !== staffLang,
      modelOn: d.translate,
      outcomes: outcomes.filter((o) => o !== 'released').map((o) => ({ value: o, label: s[o] })),
      reassignTo,
    };

    const channel = open?.channel ?? history.at(-1)?.channel ?? 'web';
    const windowOpen = person.lastInboundAt !== null && now.getTime() - person.lastInboundAt.getTime() < WINDOW_MS;
    const conversation = await store.getConversation(personId);
    const spaces = [...new Set((conversation.state.offered ?? []).map((o) => /^know:s:(.+)$/.exec(o.id)?.[1]).filter((x): x is string => !!x))].map((id) => app.knowledge.space(id)?.name ?? id);
    const past = (await reads.cases(personId)).filter((k) => k.id !== open?.id);
    const notes = await handoff.cases.notes(personId);
    const card = await handoff.latestCard(personId);
    const context = contextPanel(
      {
        personId,
        language: `${languageLabel(lang)} (${lang}${person.languageSource ? `, ${person.languageSource}` : ''})`,
        channel,
        window: channel === 'whatsapp' ? { open: windowOpen, text: windowOpen ? s.windowOpen : s.windowClosed } : undefined,
        consents: Object.entries(person.consents)
          .filter(([, v]) => v)
          .map(([k]) => k),
        card,
        spaces,
        pastCases: past.map((k) => ({
          opened: k.createdAt.toISOString().slice(0, 10),
          reason: k.reason,
          outcome: k.outcome ? ((s as Record<string, string>)[k.outcome] ?? k.outcome) : k.status,
          owner: k.ownerEmail,
        })),
        notes: notes.map((n) => ({ author: n.authorEmail ?? '?', at: n.createdAt.toISOString().slice(0, 16).replace('T', ' '), body: n.body })),
        canNote: canAct,
      },
      s,
      csrf,
    );
    return html`${conversationPane(conv, s, csrf)}${context}`;
  }

  r.get('/inbox', requireRole(...d.viewers), async (c) => {
    const { s } = d.strings(c);
    const open = c.req.query('c') || undefined;
    const account = signedIn(c);
    const openWork = open ? await work(c, open) : undefined;
    const queue = queueList(await queueItems(account), s, openWork ? open : undefined);
    return c.html(d.layout(c, s.inbox, inboxBody(queue, openWork, s), { bodyClass: 'inbox-page', scripts: ['/console/translate-preview.js', '/console/inbox.js'] }));
  });

  r.get('/inbox/queue', requireRole(...d.viewers), async (c) => {
    const { s } = d.strings(c);
    c.header('Cache-Control', 'no-store');
    return c.html(queueList(await queueItems(signedIn(c)), s, c.req.query('c') || undefined));
  });

  r.get('/inbox/c/:personId', requireRole(...d.viewers), async (c) => {
    c.header('Cache-Control', 'no-store');
    const w = await work(c, c.req.param('personId'));
    return w ? c.html(w) : c.text('No such person.', 404);
  });

  r.post('/inbox/c/:personId/read', requireRole(...d.viewers), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { last?: unknown };
    const last = typeof body.last === 'number' && Number.isSafeInteger(body.last) && body.last > 0 ? body.last : undefined;
    if (last === undefined) return c.json({ error: 'last must be a message id' }, 400);
    if (!(await store.getPerson(c.req.param('personId')))) return c.json({ error: 'no such person' }, 404);
    await reads.markRead(signedIn(c).id, c.req.param('personId'), last);
    return c.json({ ok: true });
  });
}
