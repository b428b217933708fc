/**
 * The staff login on the assembly `coworkbot start` serves, as an attacker would try it: addresses
 * from the socket (X-Forwarded-For only from configured trusted proxies), the per-account limit
 * beside the per-address ones, and `next` kept to this site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { LOGIN_LIMITS, sameOriginPath } from '../src/web/auth.js';
import { addAccount, loginAttempt } from './console-helpers.js';
import { testConfig } from './helpers.js';

const PASSWORD = 'correct horse battery';

async function serve(env: Record<string, string> = {}): Promise<{ served: Assembly; url: string }> {
  const app = await createApp({ config: testConfig(env), db: { kind: 'memory' }, embeddedQueue: true });
  const served = assembleServer(app);
  const { port } = await served.listen(0, '127.0.0.1');
  return { served, url: `http://127.0.0.1:${port}` };
}

/** One login attempt through the real form; returns the status and the Location header. */
async function attempt(url: string, email: string, password: string, headers: Record<string, string> = {}, next = '/console'): Promise<{ status: number; location: string | null }> {
  const res = await loginAttempt(url, email, password, { headers, next });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

describe('logins without a trusted proxy (the default)', () => {
  let served: Assembly;
  let url: string;
  beforeAll(async () => {
    ({ served, url } = await serve());
    await addAccount(served.app, 'mallory-target@example.org', 'admin', PASSWORD);
    await addAccount(served.app, 'redirect@example.org', 'facilitator', PASSWORD);
  });
  afterAll(() => served.close());

  it('counts the socket address: a new X-Forwarded-For on each try does not reset the limit', async () => {
    for (let i = 0; i < 12; i++) {
      const r = await attempt(url, 'mallory-target@example.org', `wrong guess ${i}`, { 'x-forwarded-for': `198.51.100.${i + 1}` });
      expect(r.status).toBe(i < LOGIN_LIMITS.accountAndAddress ? 401 : 429);
    }
    expect((await attempt(url, 'mallory-target@example.org', PASSWORD, { 'x-forwarded-for': '198.51.100.200' })).status).toBe(429);
  });

  it('sends a logged-in person only to a path on this site', async () => {
    const evil = ['/\t/evil.example', '/%09/evil.example', '/\n/evil.example', '/\\evil.example', '/\\/evil.example', '//evil.example', 'https://evil.example/', ' /evil', '/\u2028/evil.example'];
    // A NUL byte makes the whole form malformed: refused before any login.
    expect((await attempt(url, 'redirect@example.org', PASSWORD, {}, '/\u0000/evil.example')).status).toBe(400);
    for (const next of evil) {
      const r = await attempt(url, 'redirect@example.org', PASSWORD, {}, next);
      expect(r.status, JSON.stringify(next)).toBe(303);
      expect(r.location, JSON.stringify(next)).toBe(next === '/%09/evil.example' ? '/%09/evil.example' : '/console');
    }
    const kept = await attempt(url, 'redirect@example.org', PASSWORD, {}, '/console/c/P-ABCDEFGH?lost=1');
    expect(kept.location).toBe('/console/c/P-ABCDEFGH?lost=1');
    // The login page never puts a dangerous next into its form (the query string is decoded once).
    const page = await (await fetch(`${url}/login?next=/%09/evil.example`)).text();
    expect(page).toContain('name="next" value="/console"');
  });
});

describe('logins behind one trusted proxy (TRUSTED_PROXIES=1)', () => {
  let served: Assembly;
  let url: string;
  beforeAll(async () => {
    ({ served, url } = await serve({ TRUSTED_PROXIES: '1' }));
    await addAccount(served.app, 'pair@example.org', 'facilitator', PASSWORD);
    await addAccount(served.app, 'spread@example.org', 'admin', PASSWORD);
    await addAccount(served.app, 'sprayed@example.org', 'facilitator', PASSWORD);
  });
  afterAll(() => served.close());

  it('takes the address the proxy appended, never the entries a client wrote', async () => {
    for (let i = 0; i < LOGIN_LIMITS.accountAndAddress; i++) {
      expect((await attempt(url, 'pair@example.org', 'wrong', { 'x-forwarded-for': `192.0.2.${i + 1}, 203.0.113.7` })).status).toBe(401);
    }
    expect((await attempt(url, 'pair@example.org', PASSWORD, { 'x-forwarded-for': '192.0.2.99, 203.0.113.7' })).status).toBe(429);
    // Someone else's guesses do not block this person at their own address.
    expect((await attempt(url, 'pair@example.org', PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(303);
  });

  it('limits an account guessed from many addresses', async () => {
    for (let i = 0; i < LOGIN_LIMITS.account; i++) {
      expect((await attempt(url, 'spread@example.org', `guess ${i}`, { 'x-forwarded-for': `198.18.0.${i + 1}` })).status).toBe(401);
    }
    expect((await attempt(url, 'spread@example.org', PASSWORD, { 'x-forwarded-for': '198.18.1.1' })).status).toBe(429);
  });

  it('limits one address trying many accounts', async () => {
    for (let i = 0; i < LOGIN_LIMITS.address; i++) {
      expect((await attempt(url, `nobody${i}@example.org`, 'guess', { 'x-forwarded-for': '198.19.0.1' })).status).toBe(401);
    }
    expect((await attempt(url, 'sprayed@example.org', PASSWORD, { 'x-forwarded-for': '198.19.0.1' })).status).toBe(429);
    expect((await attempt(url, 'sprayed@example.org', PASSWORD, { 'x-forwarded-for': '198.19.0.2' })).status).toBe(303);
  });
});

describe('sameOriginPath', () => {
  it('keeps same-origin paths and refuses everything that can leave the site', () => {
    const here = 'http://bot.example.org/login';
    expect(sameOriginPath('/staff/b/3', here)).toBe('/staff/b/3');
    expect(sameOriginPath('/insights?from=2026-01-01#gaps', here)).toBe('/insights?from=2026-01-01#gaps');
    for (const bad of [undefined, '', 'console', '//x.example', '/\\x.example', '/\t/x.example', '/\r\n/x.example', 'http://bot.example.org/console', 'javascript:alert(1)', '/\u0085/x']) {
      expect(sameOriginPath(bad, here), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
