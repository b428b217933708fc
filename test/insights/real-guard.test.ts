/** /insights behind the real accounts: coordinators and admins in, everyone else out. */
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { authRoutes } from '../../src/handoff/console.js';
import { coordinatorGuard } from '../../src/insights/guard.js';
import { insightsMounter } from '../../src/insights/mount.js';
import { serveApp } from '../browser.js';
import { addAccount, login } from '../console-helpers.js';
import { testConfig } from '../helpers.js';

describe('the insights dashboard with real accounts', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    ({ url, server } = await serveApp(app, [authRoutes(app), insightsMounter(app, coordinatorGuard(app))]));
    await addAccount(app, 'coord@example.org', 'coordinator');
    await addAccount(app, 'fac@example.org', 'facilitator');
    await addAccount(app, 'staff@example.org', 'staff', undefined, 'millepiani');
  });
  afterAll(async () => {
    server.close();
    await app.close();
  });

  it('lets a coordinator in', async () => {
    const { client } = await login(url, 'coord@example.org');
    const res = await client!.get('/insights');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<svg');
  });

  it('refuses facilitators, staff and logged-out requests', async () => {
    for (const email of ['fac@example.org', 'staff@example.org']) {
      const { client } = await login(url, email);
      expect((await client!.get('/insights')).status).toBe(403);
    }
    const anonymous = await fetch(`${url}/insights`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
    const csv = await fetch(`${url}/insights/csv/reach`, { redirect: 'manual' });
    expect([401, 302]).toContain(csv.status);
  });
});
