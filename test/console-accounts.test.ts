/**
 * Admins manage accounts in the console (on the assembly `coworkbot start` serves): disable (the
 * account's sessions end, login refused), enable, reset a password (shown once; the old one stops
 * working, every session ends). An admin cannot disable themself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

let served: Assembly;
let url: string;
let admin: StaffClient;
let adminId: number;

beforeAll(async () => {
  const app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
  served = assembleServer(app);
  url = `http://127.0.0.1:${(await served.listen(0, '127.0.0.1')).port}`;
  adminId = await addAccount(app, 'root@example.org', 'admin');
  admin = (await login(url, 'root@example.org')).client!;
});
afterAll(() => served?.close());

describe('accounts in the console', () => {
  it('disables an account (its session ends, login refused), enables it again', async () => {
    const id = await addAccount(served.app, 'fac@example.org', 'facilitator');
    const fac = (await login(url, 'fac@example.org')).client!;
    expect((await fac.get('/console')).status).toBe(200);
    const page = await (await admin.get('/console/users')).text();
    expect(page).toContain(`action="/console/users/${id}/disable"`);
    expect(page).not.toContain(`action="/console/users/${adminId}/disable"`); // not for oneself

    expect((await admin.post(`/console/users/${id}/disable`, {})).status).toBe(303);
    expect((await fac.get('/console')).status).toBe(302); // the session has ended
    expect((await login(url, 'fac@example.org')).status).toBe(401);
    expect(await (await admin.get('/console/users')).text()).toMatch(/fac@example\.org<\/td><td>facilitator<\/td><td><\/td><td class="state">disabled/);

    expect((await admin.post(`/console/users/${id}/enable`, {})).status).toBe(303);
    expect((await login(url, 'fac@example.org')).status).toBe(303);
    const actions = (await served.app.handoff.accounts.auditEntries()).filter((e) => e.userId === adminId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user_disable', 'user_enable']));
  });

  it('resets a password: shown once, the old one and every session end', async () => {
    const id = await addAccount(served.app, 'reset@example.org', 'coordinator');
    const before = (await login(url, 'reset@example.org')).client!;
    const res = await admin.post(`/console/users/${id}/reset`, {});
    expect(res.status).toBe(200);
    const password = /id="new-password">([^<]+)</.exec(await res.text())![1]!;
    expect((await before.get('/console')).status).toBe(302);
    expect((await login(url, 'reset@example.org')).status).toBe(401);
    expect((await login(url, 'reset@example.org', password)).status).toBe(303);
  });

  it('never disables oneself; another admin can be disabled (the last-admin rule is tested on the command line)', async () => {
    const self = await admin.post(`/console/users/${adminId}/disable`, {});
    expect(self.status).toBe(400);
    expect(await self.text()).toContain('You cannot disable your own account.');
    const other = await addAccount(served.app, 'second@example.org', 'admin');
    expect((await admin.post(`/console/users/${other}/disable`, {})).status).toBe(303);
    expect((await served.app.handoff.accounts.get(other))!.disabled).toBe(true);
    expect((await admin.post('/console/users/999999/disable', {})).status).toBe(404);
  });
});
