/** Logging staff in over HTTP for console tests. */
import type { App } from '../src/app.js';
import type { Role } from '../src/storage/account-store.js';
import { hashPassword } from '../src/web/auth.js';

export interface StaffClient {
  cookie: string;
  csrf: string;
  get(path: string, accept?: string): Promise<Response>;
  post(path: string, form: Record<string, string>, opts?: { csrf?: string | null; accept?: string }): Promise<Response>;
}

export async function addAccount(app: App, email: string, role: Role, password = 'correct horse battery', space: string | null = null): Promise<number> {
  return (await app.handoff.accounts.create(email, role, await hashPassword(password), space, new Date())).id;
}

/** One try of the login form (its page first, for the form's token): the answer, not followed. */
export async function loginAttempt(url: string, email: string, password: string, opts: { headers?: Record<string, string>; next?: string } = {}): Promise<Response> {
  const page = await fetch(`${url}/login`);
  const pre = page.headers
    .getSetCookie()
    .find((c) => c.startsWith('cwb_prelogin='))!
    .split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    body: new URLSearchParams({ _csrf: token, email, password, next: opts.next ?? '/console' }),
  });
}

/**
 * Logs in through the login form and returns a client that sends the session cookie. `ip` goes in
 * X-Forwarded-For: the client address only on a server with TRUSTED_PROXIES set.
 */
export async function login(url: string, email: string, password = 'correct horse battery', ip = '10.0.0.1'): Promise<{ status: number; client?: StaffClient }> {
  const res = await loginAttempt(url, email, password, { headers: { 'x-forwarded-for': ip } });
  if (res.status !== 303) return { status: res.status };
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('cwb_session='))!
    .split(';')[0]!;
  // A GET is safe to repeat: once more when the server closed an idle keep-alive socket as it was reused.
  const get = (path: string, accept = 'text/html') => {
    const once = () => fetch(`${url}${path}`, { headers: { cookie, accept }, redirect: 'manual' });
    return once().catch((err: unknown) => ((err as { cause?: { code?: string } }).cause?.code === 'ECONNRESET' ? once() : Promise.reject(err)));
  };
  const consolePage = await get('/console');
  const csrf = /<meta name="csrf" content="([^"]+)"/.exec(await consolePage.text())?.[1] ?? '';
  return {
    status: 303,
    client: {
      cookie,
      csrf,
      get,
      post: (path, form, opts = {}) => {
        const body = new URLSearchParams(form);
        if (opts.csrf !== null) body.set('_csrf', opts.csrf ?? csrf);
        return fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: opts.accept ?? 'text/html' }, body });
      },
    },
  };
}
