/**
 * Staff accounts on the web: password hashing (scrypt), sessions in an HttpOnly cookie (only a hash
 * of the token is stored), CSRF protection on every state-changing request, login rate limiting per
 * account + address, logout and "log out everywhere", and {@link requireRole} for every staff page
 * and API. The facilitator console, the staff portal and the insights dashboard all use this.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import { AccountStore, type Account, type Role } from '../storage/account-store.js';
import type { RouteMounter } from './server.js';

// ── passwords ────────────────────────────────────────────────────────────────

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with a random salt: `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A readable random password for new accounts (about 120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

// ── sessions, CSRF, rate limiting ────────────────────────────────────────────

export const SESSION_COOKIE = 'cwb_session';
const PRELOGIN_COOKIE = 'cwb_prelogin';
const SESSION_HOURS = 12;
/** Failed logins allowed per account + address in {@link RATE_WINDOW_MS} before refusing. */
export const MAX_LOGIN_FAILURES = 5;
const RATE_WINDOW_MS = 15 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What a request handled by {@link Auth.middleware} carries. */
export interface AuthVariables {
  account?: Account;
  /** The session's CSRF token, to put in every form (`_csrf`) and `X-CSRF-Token` header. */
  csrf?: string;
}
export type AuthEnv = { Variables: AuthVariables };

export interface AuthOptions {
  accounts: AccountStore;
  clock: Clock;
  /** `https://…` makes the cookie Secure. */
  publicUrl?: string;
}

export class Auth {
  constructor(readonly opts: AuthOptions) {}

  private secure(c: Context): boolean {
    return this.opts.publicUrl?.startsWith('https:') === true || c.req.header('x-forwarded-proto') === 'https' || new URL(c.req.url).protocol === 'https:';
  }

  /** Tries a login. Returns the session token, or why it failed. */
  async login(email: string, password: string, ip: string): Promise<{ ok: true; token: string; account: Account } | { ok: false; reason: 'invalid' | 'rate_limited' }> {
    const { accounts, clock } = this.opts;
    const now = clock.now();
    const key = `${email.trim().toLowerCase()}|${ip}`;
    if ((await accounts.loginFailuresSince(key, new Date(now.getTime() - RATE_WINDOW_MS))) >= MAX_LOGIN_FAILURES) {
      return { ok: false, reason: 'rate_limited' };
    }
    const found = await accounts.credentials(email);
    // Verify against a dummy hash for unknown emails so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok || found.account.disabled) {
      await accounts.recordLoginFailure(key, now);
      return { ok: false, reason: 'invalid' };
    }
    await accounts.clearLoginFailures(key);
    const token = randomBytes(32).toString('base64url');
    await accounts.createSession(sha256(token), found.account.id, randomBytes(24).toString('base64url'), now, new Date(now.getTime() + SESSION_HOURS * 3600_000));
    await accounts.audit(found.account.id, 'login', null, {}, now);
    return { ok: true, token, account: found.account };
  }

  setSessionCookie(c: Context, token: string): void {
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: this.secure(c), path: '/', maxAge: SESSION_HOURS * 3600 });
  }

  /**
   * Loads the session (if any) into `c.var.account` / `c.var.csrf`, and refuses every state-changing
   * request (POST, PUT, PATCH, DELETE) whose CSRF token (form field `_csrf` or header `X-CSRF-Token`)
   * does not match the session's.
   */
  middleware(): MiddlewareHandler<AuthEnv> {
    return async (c, next) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) {
        const s = await this.opts.accounts.session(sha256(token), this.opts.clock.now());
        if (s) {
          c.set('account', s.account);
          c.set('csrf', s.csrf);
        }
      }
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
        const expected = c.get('csrf');
        const given = c.req.header('x-csrf-token') ?? (await formField(c, '_csrf'));
        if (!expected || !given || !sameString(expected, given)) return c.text('Forbidden: missing or wrong CSRF token. Reload the page and try again.', 403);
      }
      await next();
    };
  }

  /** Ends this session. */
  async logout(c: Context<AuthEnv>): Promise<void> {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await this.opts.accounts.deleteSession(sha256(token));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
  }

  /**
   * The login page and endpoints: `GET /login`, `POST /login`, `POST /logout`, `POST /logout-all`.
   * Mount with `web.route('/', auth.routes())`.
   */
  routes(): Hono<AuthEnv> {
    const r = new Hono<AuthEnv>();
    r.get('/login', (c) => {
      // Login CSRF: a double-submit token in a short-lived cookie and the form.
      const pre = randomBytes(18).toString('base64url');
      setCookie(c, PRELOGIN_COOKIE, pre, { httpOnly: true, sameSite: 'Strict', secure: this.secure(c), path: '/login', maxAge: 3600 });
      return c.html(loginPage(pre, safeNext(c.req.query('next')), c.req.query('error')));
    });
    r.post('/login', async (c) => {
      const form = await c.req.parseBody();
      const pre = getCookie(c, PRELOGIN_COOKIE);
      if (!pre || typeof form._csrf !== 'string' || !sameString(pre, form._csrf)) return c.text('Forbidden: reload the login page and try again.', 403);
      const email = typeof form.email === 'string' ? form.email : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
      const result = await this.login(email, password, clientIp(c));
      if (!result.ok) {
        const status = result.reason === 'rate_limited' ? 429 : 401;
        return c.html(loginPage(pre, next, result.reason), status);
      }
      this.setSessionCookie(c, result.token);
      return c.redirect(next, 303);
    });
    // The session and CSRF check on these two paths only: this app is mounted at `/`, and a `use('*')`
    // here would put every later POST (the webhooks) behind staff CSRF.
    const session = this.middleware();
    r.post('/logout', session, async (c) => {
      await this.logout(c);
      return c.redirect('/login', 303);
    });
    r.post('/logout-all', session, async (c) => {
      const account = c.get('account');
      if (account) {
        await this.opts.accounts.deleteSessionsOf(account.id);
        await this.opts.accounts.audit(account.id, 'logout_everywhere', null, {}, this.opts.clock.now());
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/login', 303);
    });
    return r;
  }
}

/** The Auth for an app's staff pages (console, staff portal, insights): one per web server is enough. */
export function staffAuth(app: App): Auth {
  return new Auth({ accounts: new AccountStore(app.db), clock: app.clock, publicUrl: app.config.server.publicUrl });
}

/** Mounts `/login`, `/logout`, `/logout-all` (once per web server; every staff page shares them). */
export function authRoutes(app: App): RouteMounter {
  const auth = staffAuth(app);
  return (web) => {
    web.route('/', auth.routes());
  };
}

/**
 * Lets the request through only for a logged-in account with one of `roles`. A logged-out browser
 * asking for a page is sent to the login page; an API request gets 401; a wrong role gets 403.
 * Needs {@link Auth.middleware} before it.
 */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const account = c.get('account');
    if (!account) {
      const wantsHtml = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
      if (wantsHtml) return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 302);
      return c.json({ error: 'log in first' }, 401);
    }
    if (!allowed.includes(account.role)) return c.text('Forbidden: your account cannot open this page.', 403);
    await next();
  };
}

async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return undefined;
  const body = await c.req.parseBody(); // hono caches the parsed body for the handler
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

/** The client address: the first X-Forwarded-For hop (behind a proxy) or the socket address. */
export function clientIp(c: Context): string {
  const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (fwd) return fwd;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Only local paths: an attacker cannot send someone to another site after login. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/console';
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + Buffer.alloc(64).toString('base64url');

function loginPage(csrf: string, next: string, error?: string) {
  const message = error === 'rate_limited' ? 'Too many failed attempts. Wait 15 minutes and try again.' : error ? 'Wrong email or password.' : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · coworkbot staff</title><link rel="stylesheet" href="/console/console.css"></head>
<body class="login"><main>
<h1>coworkbot · staff</h1>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="next" value="${next}">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form></main></body></html>`;
}
