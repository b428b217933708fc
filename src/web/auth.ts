/**
 * Staff accounts on the web: password hashing (scrypt), sessions in an HttpOnly cookie (only a hash
 * of the token is stored), CSRF protection on every state-changing request, login rate limiting (per
 * account + address, per account, per address; see {@link LOGIN_LIMITS}), logout and "log out
 * everywhere", and {@link requireRole} for every staff page and API. The facilitator console, the
 * staff portal and the insights dashboard all use this.
 */
import { setStaffLang } from './staff-shell.js';
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Db } from '../storage/db.js';
import { AccountStore, type Account, type Role } from '../storage/account-store.js';
import { clientAddress, viaHttps } from './client-address.js';
import { bad, malformedForm } from './input.js';
import { loginPage } from './login-views.js';
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

// ── sessions, CSRF, rate limiting ────────────────────────────────────────────

export const SESSION_COOKIE = 'cwb_session';
const PRELOGIN_COOKIE = 'cwb_prelogin';
const SESSION_HOURS = 12;
/**
 * Failed logins allowed in {@link LOGIN_WINDOW_MS} before refusing (429 for the rest of the window):
 * per account and address, per account from any address (guesses spread over many addresses), and
 * per address over any account (one address trying many accounts).
 */
export const LOGIN_LIMITS = { accountAndAddress: 5, account: 10, address: 30 } as const;
export const LOGIN_WINDOW_MS = 15 * 60_000;

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
  /** The name of the account's space (staff accounts), for the staff pages' header. */
  spaceName?: string;
}
export type AuthEnv = { Variables: AuthVariables };

/**
 * The signed-in account of a request that {@link requireRole} let through. Throws when there is none:
 * only a route mounted without `requireRole` gets here (a programming error, a 500, never a guess).
 */
export function signedIn(c: Context<AuthEnv>): Account {
  const account = c.get('account');
  if (!account) throw new Error('staff route without requireRole: no signed-in account');
  return account;
}

/** The session's CSRF token of a signed-in request (see {@link signedIn}: throws without a session). */
export function sessionCsrf(c: Context<AuthEnv>): string {
  const csrf = c.get('csrf');
  if (csrf === undefined) throw new Error('staff route without requireRole: no session CSRF token');
  return csrf;
}

export interface AuthOptions {
  accounts: AccountStore;
  clock: Clock;
  /** `https://…` makes the cookie Secure. */
  publicUrl?: string;
  /** Reverse proxies in front whose `X-Forwarded-For` / `X-Forwarded-Proto` count (TRUSTED_PROXIES; default 0). */
  trustedProxies?: number;
  /** A space's name from its id, so staff pages say "Famo Cose", not `famo_cose`. */
  spaceName?: (id: string) => string | undefined;
}

export class Auth {
  constructor(readonly opts: AuthOptions) {}

  private secure(c: Context): boolean {
    return this.opts.publicUrl?.startsWith('https:') === true || viaHttps(c, this.opts.trustedProxies ?? 0);
  }

  /** The client address the login limits count (see {@link clientAddress}). */
  clientAddress(c: Context): string {
    return clientAddress(c, this.opts.trustedProxies ?? 0);
  }

  /** Tries a login. Returns the session token, or why it failed. */
  async login(email: string, password: string, ip: string): Promise<{ ok: true; token: string; account: Account } | { ok: false; reason: 'invalid' | 'rate_limited' }> {
    const { accounts, clock } = this.opts;
    const now = clock.now();
    const account = email.trim().toLowerCase();
    const key = `${account}|${ip}`;
    const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
    const limits: [string, number][] = [
      [key, LOGIN_LIMITS.accountAndAddress],
      [`account:${account}`, LOGIN_LIMITS.account],
      [`address:${ip}`, LOGIN_LIMITS.address],
    ];
    for (const [k, max] of limits) if ((await accounts.loginFailuresSince(k, since)) >= max) return { ok: false, reason: 'rate_limited' };
    const found = await accounts.credentials(email);
    // Verify against a dummy hash for unknown emails so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok || found.account.disabled) {
      for (const [k] of limits) await accounts.recordLoginFailure(k, now);
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
          if (s.account.spaceId) c.set('spaceName', this.opts.spaceName?.(s.account.spaceId) ?? s.account.spaceId);
        }
      }
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
        const expected = c.get('csrf');
        const given = c.req.header('x-csrf-token') ?? (await formField(c, '_csrf'));
        if (!expected || !given || !sameString(expected, given)) return c.text('Forbidden: missing or wrong CSRF token. Reload the page and try again.', 403);
        if (isForm(c) && malformedForm(await c.req.parseBody({ all: true }))) return bad(c);
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
      return c.html(loginPage({ csrf: pre, next: sameOriginPath(c.req.query('next'), c.req.url) ?? DEFAULT_NEXT, error: c.req.query('error') }));
    });
    r.post('/login', async (c) => {
      const form = await c.req.parseBody();
      if (malformedForm(form)) return bad(c);
      const pre = getCookie(c, PRELOGIN_COOKIE);
      if (!pre || typeof form._csrf !== 'string' || !sameString(pre, form._csrf)) return c.text('Forbidden: reload the login page and try again.', 403);
      const email = typeof form.email === 'string' ? form.email : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const next = sameOriginPath(typeof form.next === 'string' ? form.next : undefined, c.req.url) ?? DEFAULT_NEXT;
      const result = await this.login(email, password, this.clientAddress(c));
      if (!result.ok) {
        const status = result.reason === 'rate_limited' ? 429 : 401;
        return c.html(loginPage({ csrf: pre, next, error: result.reason }), status);
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

/**
 * What the staff login needs of the running bot: a narrow port, never the whole App (the assembled
 * App satisfies it as it is). Every staff page's own port extends it, since each page checks sessions.
 */
export interface AuthPorts {
  /** For the account store: accounts, sessions, login attempts, the audit trail. */
  readonly db: Db;
  readonly clock: Clock;
  /** The public URL (Secure cookies) and the trusted proxies (client address, HTTPS). */
  readonly config: Pick<Config, 'server'>;
  /** Space names, so staff pages say "Famo Cose", not `famo_cose`. */
  readonly knowledge: Pick<KnowledgeBase, 'space'>;
}

/** The Auth for an app's staff pages (console, staff portal, insights): one per web server is enough. */
export function staffAuth(app: AuthPorts): Auth {
  return new Auth({
    accounts: new AccountStore(app.db),
    clock: app.clock,
    publicUrl: app.config.server.publicUrl,
    trustedProxies: app.config.server.trustedProxies,
    spaceName: (id) => app.knowledge.space(id)?.name,
  });
}

/**
 * Mounts `/login`, `/logout`, `/logout-all` (once per web server; every staff page shares them) and
 * `/staff-lang?l=it&back=…`, the staff pages' language switch (a cookie; back to a path on this site).
 */
export function authRoutes(app: AuthPorts): RouteMounter {
  const auth = staffAuth(app);
  return (web) => {
    web.route('/', auth.routes());
    web.get('/staff-lang', (c) => {
      setStaffLang(c, c.req.query('l') === 'it' ? 'it' : 'en');
      return c.redirect(sameOriginPath(c.req.query('back'), c.req.url) ?? DEFAULT_NEXT, 303);
    });
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

function isForm(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  return type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data');
}

async function formField(c: Context, name: string): Promise<string | undefined> {
  if (!isForm(c)) return undefined;
  const body = await c.req.parseBody(); // hono caches the parsed body for the handler
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

const DEFAULT_NEXT = '/console';

/**
 * `next` as a path on this site, or undefined: an attacker cannot send someone elsewhere after login.
 * Accepted only when it starts with one `/`, holds no control characters, whitespace or backslashes
 * (browsers drop a tab or newline and read `\\` as `/`, so `/\t/evil.example` would become
 * `//evil.example`), and, resolved against the request's own URL, keeps its origin.
 */
export function sameOriginPath(next: string | undefined, requestUrl: string): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.length > 2000) return undefined;
  if (/[\u0000-\u0020\u007f-\u009f\\\u2028\u2029]/.test(next)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(next, requestUrl);
  } catch {
    return undefined;
  }
  if (resolved.origin !== new URL(requestUrl).origin) return undefined;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + Buffer.alloc(64).toString('base64url');
