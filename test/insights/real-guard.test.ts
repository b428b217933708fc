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
import { InsightsStore } from '../../src/storage/insights-store.js';
import { seedHistory, seedInto } from './seed.js';

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

  it('says why figures are hidden while fewer than k people wrote, instead of empty charts', async () => {
    const { client } = await login(url, 'coord@example.org');
    const page = await (await client!.get('/insights')).text();
    expect(page).toContain('Not enough people yet to show figures');
    expect(page).toContain('Fewer than 5 people wrote to the bot in this period');
    expect(page).toContain('href="/insights?period=90d');
    expect(page).toContain('Hidden to protect privacy');
    expect(page).not.toContain('<svg');
    // The shared staff header: sections by role, the language switch, log out.
    expect(page).toContain('href="/console/inbox"');
    expect(page).toContain('href="/translations"');
    expect(page).toContain('action="/logout"');
    expect(page).toContain('id="ui-lang"');
  });

  it('lets a coordinator in', async () => {
    // People wrote in the last weeks: the charts are drawn.
    await seedInto(new InsightsStore(app.db), seedHistory({ people: 60, days: 20, now: new Date() }));
    const { client } = await login(url, 'coord@example.org');
    const res = await client!.get('/insights');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<svg');
    expect(page).not.toContain('Not enough people yet to show figures');
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
