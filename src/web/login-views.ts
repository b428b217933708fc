/**
 * The staff login page: a pure render function (no request, no store). The handler in `auth.ts` picks
 * the pre-login CSRF token, the checked `next` path and the failure reason; this module only draws.
 */
import { html } from 'hono/html';

/** What the login page shows. */
export interface LoginView {
  /** The pre-login CSRF token (double-submitted with its cookie). */
  csrf: string;
  /** Where to go after logging in: a path on this site, already checked by `sameOriginPath`. */
  next: string;
  /** Why the last try failed: `rate_limited`, any other value (a wrong email or password), or none. */
  error?: string;
}

/** The error line for a failed login, or empty when there was none. */
export function loginError(error: string | undefined): string {
  return error === 'rate_limited' ? 'Too many failed attempts. Wait 15 minutes and try again.' : error ? 'Wrong email or password.' : '';
}

/** The login page (English: staff accounts choose their language after logging in). */
export function loginPage(v: LoginView) {
  const message = loginError(v.error);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · coworkbot staff</title><link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/console/console.css"></head>
<body class="login"><main>
<h1>coworkbot · staff</h1>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="next" value="${v.next}">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form></main></body></html>`;
}
