/**
 * The facilitator console's pages as pure render functions: the queue, one conversation, and the
 * admin pages (canned replies, accounts, audit), each from the data the route handlers
 * (`console.ts`) have loaded and the console's strings. No database, no request. Every value goes
 * through hono/html escaping.
 */
import { html } from 'hono/html';
import { getLanguage, languageCodes, languages } from '../i18n/languages.js';
import { roles, type Account, type AuditEntry, type Role } from '../storage/account-store.js';
import { outcomes, PRIORITY, type CannedReply, type HandoffCase, type Note } from '../storage/handoff-store.js';
import type { Person, StoredMessage } from '../storage/store.js';
import { staffShell, type Html, type StaffLang, type SubnavItem } from '../web/staff-shell.js';
import type { ConsoleStrings } from '../i18n/staff-strings.js';
import type { ProjectCard } from './handoff.js';
import { ago, authorLabel, messageText, priorityName } from './message-text.js';

/** Who is looking and where: what the staff shell around every console page needs. */
export interface ConsoleFrame {
  lang: StaffLang;
  account: { email: string; role: Role; spaceName?: string };
  /** The session's token, for every form. */
  csrf?: string;
  /** The request's path and query (the language switch comes back here). */
  here: string;
}

/** The console's own pages, as the inbox section's navigation (admin pages for admins). */
export function consoleNav(role: Role, s: ConsoleStrings): SubnavItem[] {
  const items: SubnavItem[] = [
    { href: '/console/inbox', label: s.inbox },
    { href: '/console', label: s.queue },
  ];
  if (role === 'admin') items.push({ href: '/console/canned', label: s.canned }, { href: '/console/users', label: s.users }, { href: '/console/audit', label: s.audit });
  return items;
}

/** A console page in the staff shell (the inbox section, with the console's navigation). */
export function consoleLayout(f: ConsoleFrame, s: ConsoleStrings, title: string, body: Html, opts: { bodyClass?: string; scripts?: string[] } = {}): Html {
  return staffShell({
    lang: f.lang,
    title,
    section: 'inbox',
    account: f.account,
    csrf: f.csrf,
    here: f.here,
    subnav: consoleNav(f.account.role, s),
    stylesheets: ['/console/console.css'],
    scripts: opts.scripts ?? ['/console/translate-preview.js', '/console/console.js'],
    bodyClass: opts.bodyClass,
    body,
  });
}

const csrfField = (csrf: string | undefined) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** One case in the queue, with what the handler loaded about its person. */
export interface QueueEntry {
  kase: HandoffCase;
  /** The person's language code, if known. */
  language: string | null | undefined;
  /** The person's last messages (shown as snippets). */
  last: StoredMessage[];
  /** Button labels the person saw (a pressed button reads as its label). */
  labels: ReadonlyMap<string, string>;
  card?: ProjectCard;
}

/** The queue page's body. */
export function queueBody(v: { entries: QueueEntry[]; now: Date; alertMinutes: number; canClaim: boolean; csrf?: string }, s: ConsoleStrings): Html {
  const { now, alertMinutes, csrf } = v;
  const rows = v.entries.map(({ kase: k, language, last, labels, card }) => {
    const late = k.status === 'waiting' && now.getTime() - k.createdAt.getTime() > alertMinutes * 60_000;
    const cls = [k.priority >= PRIORITY.safety ? 'safety' : '', late ? 'late' : '', k.status].filter(Boolean).join(' ');
    return html`<tr class="${cls}" data-case="${k.id}">
<td><a href="/console/c/${k.personId}">${k.personId}</a></td>
<td>${getLanguage(language ?? '')?.englishName ?? '?'}</td><td>${k.channel}</td>
<td>${ago(k.createdAt, now)}${late ? html` <strong class="alert">⚠ ${s.late} ${alertMinutes} ${s.minutes}</strong>` : ''}</td>
<td>${priorityName(k.priority, s)}</td><td>${k.reason}${k.note ? html`<br><small>${k.note}</small>` : ''}</td>
<td>${card ? html`<b>${card.title}</b>` : ''}</td>
<td>${last.map((m) => html`<div class="snippet">${messageText(m, labels).slice(0, 120)}</div>`)}</td>
<td>${
      k.status === 'claimed'
        ? (k.ownerEmail ?? '')
        : v.canClaim
          ? html`<form method="post" action="/console/c/${k.personId}/claim">${csrfField(csrf)}<input type="hidden" name="case" value="${k.id}"><button class="claim">${s.claim}</button></form>`
          : s.waiting
    }</td></tr>`;
  });
  return html`<h1>${s.queue}</h1><p class="inbox-link"><a href="/console/inbox">${s.tryInbox}</a></p><div id="live" data-stream="/console/events"></div>
${v.entries.length === 0 ? html`<p class="empty">${s.empty}</p>` : html`<table class="queue"><thead><tr><th>${s.person}</th><th>${s.language}</th><th>${s.channel}</th><th>${s.waitingTime}</th><th>${s.priority}</th><th>${s.reason}</th><th>${s.card}</th><th>${s.lastMessages}</th><th>${s.owner}</th></tr></thead><tbody>${rows}</tbody></table>`}`;
}

/** Everything the conversation page shows, loaded by the handler. */
export interface ConversationPageView {
  person: Person;
  /** The person's language (their own, else the default). */
  lang: string;
  /** The staff member's language (the reply can be translated when it differs). */
  staffLang: string;
  channel: string;
  /** WhatsApp's 24-hour window is open. */
  windowOpen: boolean;
  /** The open case, if any. */
  open?: HandoffCase;
  card?: ProjectCard;
  history: StoredMessage[];
  labels: ReadonlyMap<string, string>;
  /** Staff emails by account id (message authors). */
  users: Map<number, string>;
  /** The person's recent messages in the staff language, by message id. */
  translations: ReadonlyMap<number, string>;
  notes: Note[];
  canned: CannedReply[];
  /** Accounts the case can be handed to. */
  reassignTo: Account[];
  /** The viewer may act (claim, reply, note), not only look. */
  canAct: boolean;
  /** The viewer may reply: they own the case, or an admin on a claimed one. */
  canReply: boolean;
  /** A model translates messages and replies. */
  llmOn: boolean;
  /** The claim was lost to someone quicker. */
  lostClaim: boolean;
  csrf?: string;
}

/** One conversation's page body: facts, card, history, the reply and case actions, notes. */
export function conversationBody(v: ConversationPageView, s: ConsoleStrings): Html {
  const { person, lang, channel, open, card, history, labels, users, translations, notes, canned, csrf } = v;
  const personId = person.id;
  const consents = Object.entries(person.consents)
    .filter(([, x]) => x)
    .map(([k]) => k);
  const lastId = history.at(-1)?.id ?? 0;
  const flash = v.lostClaim ? html`<p class="error" role="alert">${s.lostClaim}</p>` : '';
  return html`${flash}<h1>${s.history}: <span class="pid">${personId}</span></h1>
<dl class="facts">
<dt>${s.language}</dt><dd>${getLanguage(lang)?.englishName ?? lang} (${lang}${person.languageSource ? `, ${person.languageSource}` : ''})</dd>
<dt>${s.channel}</dt><dd>${channel}</dd>
<dt>${s.consents}</dt><dd>${consents.length ? consents.join(', ') : s.none}</dd>
${channel === 'whatsapp' ? html`<dt>${s.window}</dt><dd class="${v.windowOpen ? 'ok' : 'warn'}" id="window">${v.windowOpen ? s.windowOpen : s.windowClosed}</dd>` : ''}
<dt>${s.status}</dt><dd id="case-status">${open ? html`${open.status === 'waiting' ? s.waiting : `${s.ownedBy} ${open.ownerEmail ?? '?'}`} · ${s.priority}: ${priorityName(open.priority, s)} · ${s.reason}: ${open.reason}${open.note ? ` · ${open.note}` : ''}` : s.closed}</dd>
</dl>
${card ? html`<section class="card"><h2>${s.card}: ${card.title}</h2><dl>${card.fields.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl></section>` : ''}
<ol id="history" class="history" data-stream="/console/c/${personId}/stream?after=${lastId}" dir="auto">
${history.map(
  (m) => html`<li class="msg ${m.direction} ${m.author.split(':')[0]}" data-id="${m.id}"><span class="who">${authorLabel(m.author, users)}</span>
<span class="at">${m.createdAt.toISOString().slice(11, 16)}</span><div class="text" dir="auto">${messageText(m, labels)}</div>${translations.has(m.id) ? html`<div class="translation" dir="auto">⇄ ${translations.get(m.id)!}</div>` : ''}
${m.direction === 'out' ? html`<span class="delivery" data-status="${m.status}">${m.status}</span>` : ''}</li>`,
)}
</ol>
${
  !v.canAct
    ? html`<p>${s.viewOnly}</p>`
    : open?.status === 'waiting'
      ? html`<form method="post" action="/console/c/${personId}/claim">${csrfField(csrf)}<input type="hidden" name="case" value="${open.id}"><button class="claim">${s.claim}</button></form>`
      : v.canReply
        ? html`<form method="post" action="/console/c/${personId}/reply" class="reply" id="reply">${csrfField(csrf)}<input type="hidden" name="case" value="${open!.id}">
<p class="hint">${s.detected}: ${getLanguage(lang)?.englishName ?? lang}. ${v.llmOn ? '' : s.offlineNote}</p>
<label>${s.useCanned} <select id="canned">${canned.map((k) => html`<option value="${k.texts[lang] ?? k.texts.en ?? ''}">${k.title}</option>`)}</select></label> <button type="button" id="use-canned">${s.insert}</button>
<textarea name="text" id="reply-text" rows="3" required maxlength="4000" dir="auto" aria-label="${s.reply}"></textarea><input type="hidden" name="original" id="reply-original" value="">
${v.llmOn && lang !== v.staffLang ? html`<button type="button" id="translate" data-url="/console/c/${personId}/translate">${s.translate}</button> <span id="translate-note" hidden data-ok="${s.translatedNote}" data-failed="${s.translationFailed}"></span> ` : ''}<button type="submit" id="send-reply">${s.reply}</button></form>
<div class="actions">
<form method="post" action="/console/c/${personId}/release">${csrfField(csrf)}<input type="hidden" name="case" value="${open!.id}"><button id="release">${s.release}</button></form>
<form method="post" action="/console/c/${personId}/close">${csrfField(csrf)}<input type="hidden" name="case" value="${open!.id}"><label>${s.outcome} <select name="outcome">${outcomes.filter((o) => o !== 'released').map((o) => html`<option value="${o}">${s[o]}</option>`)}</select></label><button>${s.close}</button></form>
${v.reassignTo.length ? html`<form method="post" action="/console/c/${personId}/reassign">${csrfField(csrf)}<input type="hidden" name="case" value="${open!.id}"><label>${s.reassign} <select name="to">${v.reassignTo.map((u) => html`<option value="${u.id}">${u.email}</option>`)}</select></label><button>OK</button></form>` : ''}
</div>`
        : open
          ? html`<p>${s.ownedBy} ${open.ownerEmail ?? '?'}</p>`
          : ''
}
<section class="notes"><h2>${s.notes}</h2><ul>${notes.map((n) => html`<li><b>${n.authorEmail ?? '?'}</b> <small>${n.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</small><div>${n.body}</div></li>`)}</ul>
${v.canAct ? html`<form method="post" action="/console/c/${personId}/note">${csrfField(csrf)}<textarea name="body" rows="2" required maxlength="4000" aria-label="${s.notes}"></textarea><button>${s.addNote}</button></form>` : ''}</section>`;
}

/** The admin page of canned replies: the list, and a form to add one in every language. */
export function cannedBody(list: CannedReply[], s: ConsoleStrings, csrf: string | undefined): Html {
  return html`<h1>${s.canned}</h1>
<table class="canned"><tbody>${list.map(
    (k) => html`<tr><td><b>${k.title}</b><br><small>${Object.keys(k.texts).length} / ${languageCodes.length}</small></td>
<td>${Object.entries(k.texts)
      .slice(0, 3)
      .map(([l, t]) => html`<div><code>${l}</code> ${t}</div>`)}</td>
<td><form method="post" action="/console/canned/${k.id}/delete">${csrfField(csrf)}<button>${s.delete}</button></form></td></tr>`,
  )}</tbody></table>
<h2>${s.add}</h2><form method="post" action="/console/canned" class="canned-form">${csrfField(csrf)}
<label>${s.title} <input name="title" required maxlength="80"></label>
${languages.map(({ code: l, englishName, dir }) => html`<label>${englishName} (${l}) <textarea name="text_${l}" rows="2" dir="${dir}" ${l === 'en' ? 'required' : ''}></textarea></label>`)}
<button>${s.add}</button></form>`;
}

/** What the accounts page shows. */
export interface UsersView {
  list: Account[];
  /** Space names by id (for staff accounts). */
  spaceNames: ReadonlyMap<string, string>;
  /** The viewer's own account id (they cannot disable themselves). */
  me: number;
  /** An account just created, or a password just reset: shown once. */
  created?: { email: string; password: string; reset?: boolean };
  error?: string;
  csrf?: string;
}

/** The admin page of accounts: the list with its actions, and a form to add one. */
export function usersBody(v: UsersView, s: ConsoleStrings): Html {
  const { created, error, csrf } = v;
  const action = (u: Account, what: 'disable' | 'enable' | 'reset', label: string) =>
    html`<form method="post" action="/console/users/${u.id}/${what}">${csrfField(csrf)}<button data-action="${what}">${label}</button></form>`;
  return html`<h1>${s.users}</h1>
${created ? html`<p class="ok" role="status">${created.reset ? s.passwordReset : s.created} <b>${created.email}</b>: <code id="new-password">${created.password}</code></p>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<table id="accounts"><thead><tr><th>${s.email}</th><th>${s.role}</th><th>${s.space}</th><th>${s.accountState}</th><th></th></tr></thead><tbody>${v.list.map(
    (
      u,
    ) => html`<tr data-email="${u.email}"><td>${u.email}</td><td>${u.role}</td><td>${u.spaceId ? html`${v.spaceNames.get(u.spaceId) ?? u.spaceId} <small><code>${u.spaceId}</code></small>` : ''}</td><td class="state">${u.disabled ? s.disabledState : s.active}</td>
<td class="actions">${u.id === v.me ? '' : u.disabled ? action(u, 'enable', s.enable) : action(u, 'disable', s.disable)}${action(u, 'reset', s.resetPassword)}</td></tr>`,
  )}</tbody></table>
<h2>${s.add}</h2><form method="post" action="/console/users">${csrfField(csrf)}
<label>${s.email} <input name="email" type="email" required></label>
<label>${s.role} <select name="role">${roles.map((r) => html`<option>${r}</option>`)}</select></label>
<label>${s.space} <input name="space"></label><button>${s.add}</button></form>`;
}

/** The audit log page; `users` gives staff emails by account id. */
export function auditBody(entries: AuditEntry[], users: ReadonlyMap<number, string>, s: ConsoleStrings): Html {
  return html`<h1>${s.audit}</h1><table><tbody>${entries.map((e) => html`<tr><td>${e.at.toISOString().slice(0, 19).replace('T', ' ')}</td><td>${e.userId ? (users.get(e.userId) ?? e.userId) : ''}</td><td>${e.action}</td><td>${e.personId ?? ''}</td><td><code>${JSON.stringify(e.detail)}</code></td></tr>`)}</tbody></table>`;
}
