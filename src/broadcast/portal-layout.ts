/**
 * The staff portal's page frame: header with the navigation, the language switch (English /
 * Italian) and log out. Pages of other modules (space card, events, and later posters or Telegram
 * linking) add themselves to {@link staffNav}.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Account, Role } from '../storage/account-store.js';
import { signedIn, sessionCsrf, type AuthEnv } from '../web/auth.js';
import { staffLangOf, staffShell, type StaffLang } from '../web/staff-shell.js';
import { portalText, type PortalText as Ui } from '../i18n/staff-strings.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
export type C = Context<AuthEnv>;

/** Topic and area values of the subscriptions flow (flows/subscriptions.yaml). */
export const SUBSCRIPTION_TOPICS = ['networking', 'courses', 'italian', 'digital', 'culture', 'jobs'];
export const SUBSCRIPTION_DISTRICTS = ['centre', 'north', 'east', 'south', 'west', 'coast'];

/** One link in the portal's header. */
export interface NavItem {
  href: string;
  label: Record<StaffLang, string>;
  /** Only these roles see it (default: every portal role). */
  roles?: Role[];
}

/**
 * The header links, in order. Another module adds its page with `staffNav.push({ href, label })`
 * before the portal is mounted.
 */
export const staffNav: NavItem[] = [
  { href: '/staff', label: { en: 'Broadcasts', it: 'Messaggi' } },
  { href: '/staff/new', label: { en: 'New announcement', it: 'Nuovo annuncio' } },
  { href: '/staff/space', label: { en: 'My space', it: 'Il mio spazio' }, roles: ['staff'] },
  { href: '/staff/space', label: { en: 'Spaces', it: 'Spazi' }, roles: ['coordinator', 'admin'] },
  { href: '/staff/events', label: { en: 'Events', it: 'Eventi' } },
  { href: '/staff/poster', label: { en: 'Poster', it: 'Locandina' } },
  { href: '/staff/link', label: { en: 'Telegram', it: 'Telegram' } },
];

/** The portal's translator for this request. */
export function uiFor(c: C): Ui {
  return portalText(staffLangOf(c));
}

export const csrfField = (c: C) => html`<input type="hidden" name="_csrf" value="${sessionCsrf(c)}">`;

/** Whether an account may see and change a space's content: its own space, or every space for coordinators and admins. */
export function canEditSpace(account: Account, spaceId: string): boolean {
  if (account.role === 'admin' || account.role === 'coordinator') return true;
  return account.role === 'staff' && !!account.spaceId && account.spaceId === spaceId;
}

/** Who is looking and where: what the staff shell around every portal page needs. */
export interface PortalFrame {
  lang: StaffLang;
  account: { email: string; role: Role; spaceName?: string };
  csrf?: string;
  /** The request's path (the language switch comes back here). */
  here: string;
}

/** A portal page in the staff shell (src/web/staff-shell.ts): the portal's pages as the section's navigation. Pure. */
export function portalShell(f: PortalFrame, title: string, body: Html): Html {
  return staffShell({
    lang: f.lang,
    title,
    section: 'portal',
    account: f.account,
    csrf: f.csrf,
    here: f.here,
    subnav: staffNav.filter((n) => !n.roles || n.roles.includes(f.account.role)).map((n) => ({ href: n.href, label: n.label[f.lang] })),
    stylesheets: ['/staff/staff.css'],
    scripts: ['/staff/staff.js'],
    body,
  });
}

/** {@link portalShell} for this request. */
export function layout(c: C, title: string, body: Html): Html {
  const account = signedIn(c);
  const frame: PortalFrame = {
    lang: staffLangOf(c),
    account: { email: account.email, role: account.role, spaceName: c.get('spaceName') },
    csrf: c.get('csrf'),
    here: new URL(c.req.url).pathname,
  };
  return portalShell(frame, title, body);
}
