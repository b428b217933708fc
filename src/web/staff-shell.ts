/**
 * One frame for every staff page (console and inbox, staff portal, insights, translations): the same
 * header, the sections a role may open, the section's own pages, the language switch (English /
 * Italian, remembered in a cookie for every staff page) and log out. Pure render functions: a page
 * hands over what to show ({@link ShellView}); nothing here reads a request or a store.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Role } from '../storage/account-store.js';

import type { StaffLang } from '../i18n/staff-strings.js';

export type { StaffLang };
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The cookie holding the staff pages' language (the staff portal's, now shared by all staff pages). */
export const STAFF_LANG_COOKIE = 'cwb_staff_ui';

/** The staff language: the switch's cookie, else Italian when the browser prefers it, else English. */
export function staffLangOf(c: Context): StaffLang {
  const chosen = getCookie(c, STAFF_LANG_COOKIE);
  if (chosen === 'it' || chosen === 'en') return chosen;
  return /^it\b/i.test(c.req.header('accept-language') ?? '') ? 'it' : 'en';
}

/** Remembers the staff language for a year, on every staff page. */
export function setStaffLang(c: Context, lang: StaffLang): void {
  setCookie(c, STAFF_LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
}

export type SectionId = 'inbox' | 'portal' | 'insights' | 'translations';

interface Section {
  id: SectionId;
  href: string;
  label: Record<StaffLang, string>;
  roles: readonly Role[];
}

/** The staff sections, in order, and who may open each. */
export const sections: readonly Section[] = [
  { id: 'inbox', href: '/console/inbox', label: { en: 'Inbox', it: 'Conversazioni' }, roles: ['admin', 'coordinator', 'facilitator'] },
  { id: 'portal', href: '/staff', label: { en: 'Spaces & announcements', it: 'Spazi e annunci' }, roles: ['staff', 'coordinator', 'admin'] },
  { id: 'insights', href: '/insights', label: { en: 'Insights', it: 'Dati d’uso' }, roles: ['coordinator', 'admin'] },
  { id: 'translations', href: '/translations', label: { en: 'Translations', it: 'Traduzioni' }, roles: ['coordinator', 'admin'] },
];

/** The sections an account with this role may open. */
export function sectionsFor(role: Role): Section[] {
  return sections.filter((s) => s.roles.includes(role));
}

const words = {
  en: {
    brand: 'coworkbot · staff',
    sections: 'Sections',
    pages: 'Pages in this section',
    other: 'Italiano',
    logout: 'Log out',
    logoutAll: 'Log out everywhere',
    roles: { admin: 'admin', coordinator: 'coordinator', facilitator: 'facilitator', staff: 'space staff' },
  },
  it: {
    brand: 'coworkbot · staff',
    sections: 'Sezioni',
    pages: 'Pagine di questa sezione',
    other: 'English',
    logout: 'Esci',
    logoutAll: 'Esci da tutti i dispositivi',
    roles: { admin: 'amministrazione', coordinator: 'coordinamento', facilitator: 'facilitazione', staff: 'staff dello spazio' },
  },
} as const;

/** A link in a section's own navigation. */
export interface SubnavItem {
  href: string;
  label: string;
}

export interface ShellView {
  lang: StaffLang;
  /** The page's title (also in `<title>`). */
  title: string;
  section: SectionId;
  /** Who is logged in: absent on a page reached without an account (a test guard). */
  account?: { email: string; role: Role; spaceName?: string };
  csrf?: string;
  /** The current path and query, so the language switch comes back here. */
  here: string;
  subnav?: SubnavItem[];
  stylesheets: string[];
  scripts?: string[];
  bodyClass?: string;
  body: Html | string;
}

/** The language switch's link: `/staff-lang?l=it&back=/insights?period=7d` (an insights `ui=` is dropped: the cookie decides). */
export function langSwitchHref(lang: StaffLang, here: string): string {
  const other: StaffLang = lang === 'it' ? 'en' : 'it';
  const [path, query = ''] = here.split('?');
  const q = new URLSearchParams(query);
  q.delete('ui');
  const back = q.size ? `${path}?${q.toString()}` : path!;
  return `/staff-lang?l=${other}&back=${encodeURIComponent(back)}`;
}

/** Whether a sub-navigation link is the current page (the longest matching link wins). */
function currentOf(items: SubnavItem[], here: string): string | undefined {
  const path = here.split('?')[0] ?? here;
  return items.filter((i) => path === i.href || path.startsWith(`${i.href}/`)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

export function staffShell(v: ShellView): Html {
  const w = words[v.lang];
  const other: StaffLang = v.lang === 'it' ? 'en' : 'it';
  const a = v.account;
  const visible = a ? sectionsFor(a.role) : sections.filter((s) => s.id === v.section);
  const current = v.subnav ? currentOf(v.subnav, v.here) : undefined;
  const body = typeof v.body === 'string' ? raw(v.body) : v.body;
  return html`<!doctype html>
<html lang="${v.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${v.csrf ? html`<meta name="csrf" content="${v.csrf}">` : ''}<title>${v.title} · coworkbot</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/shell.css">${v.stylesheets.map((s) => html`<link rel="stylesheet" href="${s}">`)}${(v.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}</head>
<body${v.bodyClass ? html` class="${v.bodyClass}"` : ''}><a class="skip" href="#main">${v.lang === 'it' ? 'Vai al contenuto' : 'Skip to content'}</a>
<header class="shell-bar">
<div class="shell-top"><a class="brand" href="${visible[0]?.href ?? '/login'}">${w.brand}</a>
<nav class="sections" aria-label="${w.sections}"><ul>${visible.map((s) => html`<li><a href="${s.href}"${s.id === v.section ? html` aria-current="page"` : ''}>${s.label[v.lang]}</a></li>`)}</ul></nav>
<div class="me"><a class="lang" id="ui-lang" href="${langSwitchHref(v.lang, v.here)}" hreflang="${other}" lang="${other}">${w.other}</a>
${
  a
    ? html`<span class="who"><span class="email">${a.email}</span> <span class="role">${w.roles[a.role]}${a.spaceName ? html` · <b class="space">${a.spaceName}</b>` : ''}</span></span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${v.csrf ?? ''}"><button>${w.logout}</button></form>
<form method="post" action="/logout-all"><input type="hidden" name="_csrf" value="${v.csrf ?? ''}"><button class="quiet">${w.logoutAll}</button></form>`
    : ''
}</div></div>
${v.subnav?.length ? html`<nav class="subnav" aria-label="${w.pages}"><ul>${v.subnav.map((i) => html`<li><a href="${i.href}"${i.href === current ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}</ul></nav>` : ''}
</header>
<main id="main">${body}</main></body></html>`;
}
