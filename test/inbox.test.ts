/** The inbox's routes over HTTP: fragments, JSON answers for the page's script, refusals. */
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { serveAssembly } from './browser.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

describe('facilitator inbox routes', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let anna: StaffClient;
  let personId: string;
  beforeAll(async () => {
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7', TRUSTED_PROXIES: '1' }), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
    ({ url, server } = await serveAssembly(app));
    await addAccount(app, 'anna-inbox@example.org', 'facilitator');
    await addAccount(app, 'sara-inbox@example.org', 'staff', undefined, 'famo_cose');
    anna = (await login(url, 'anna-inbox@example.org'))!.client!;
    const address = 'w_inboxhttpinboxhttpinbox';
    await app.bot.handle({ channel: 'web', address, externalId: 'h1', receivedAt: new Date(), content: { type: 'text', text: 'hello' } });
    await app.bot.handle({ channel: 'web', address, externalId: 'h2', receivedAt: new Date(), content: { type: 'choice', id: 'cmd:human' } });
    personId = (await app.store.findPerson('web', address))!.id;
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
  });

  it('renders the page, the queue and a conversation as fragments, with unread counts', async () => {
    // The queue page points to the inbox.
    expect(await (await anna.get('/console')).text()).toContain('<a href="/console/inbox">Open the inbox');
    const page = await (await anna.get('/console/inbox')).text();
    expect(page).toContain('id="inbox"');
    expect(page).toContain('<script src="/console/inbox.js" defer></script>');
    expect(page).not.toContain('/console/console.js');
    const queue = await (await anna.get('/console/inbox/queue')).text();
    expect(queue).toContain(`data-person="${personId}"`);
    expect(queue).toMatch(/class="unread" aria-label="\d+ unread"/);
    const work = await anna.get(`/console/inbox/c/${personId}`);
    expect(work.headers.get('cache-control')).toBe('no-store');
    const html = await work.text();
    expect(html).toContain('data-state="waiting"');
    expect(html).toContain('id="claim"');
    expect(html).toContain('About this person');
    // Opening it read it.
    expect(await (await anna.get('/console/inbox/queue')).text()).not.toContain('class="unread"');
    expect((await anna.get('/console/inbox/c/P-NOBODY')).status).toBe(404);
  });

  it('answers the script’s actions as JSON, and a plain form post as before', async () => {
    const kase = (await app.handoff.cases.openCase(personId))!;
    const json = { accept: 'application/json' };
    expect((await anna.post(`/console/c/${personId}/claim`, { case: String(kase.id) }, json)).status).toBe(200);
    // Claimed: the composer, and (no model configured here) the advice to use canned replies.
    const claimed = await (await anna.get(`/console/inbox/c/${personId}`)).text();
    expect(claimed).toContain('data-state="mine"');
    expect(claimed).toContain('id="reply-text"');
    expect(claimed).toContain('No translation service is configured');
    expect(claimed).not.toContain('id="translate"');
    const reply = await anna.post(`/console/c/${personId}/reply`, { case: String(kase.id), text: 'Hello from the inbox' }, json);
    expect(await reply.json()).toEqual({ ok: true });
    const note = await anna.post(`/console/c/${personId}/note`, { body: 'a note' }, { accept: 'text/html' });
    expect(note.status).toBe(303);
    expect(note.headers.get('location')).toBe(`/console/c/${personId}#reply`);
    const closed = await anna.post(`/console/c/${personId}/close`, { case: String(kase.id), outcome: 'answered' }, json);
    expect(await closed.json()).toEqual({ ok: true });
    expect(await app.handoff.cases.openCase(personId)).toBeUndefined();
    // The closed case is now an earlier request in the context panel.
    const html = await (await anna.get(`/console/inbox/c/${personId}`)).text();
    expect(html).toContain('data-state="closed"');
    expect(html).toMatch(/asked · <b>answered<\/b> · anna-inbox@example.org/);
  });

  it('refuses bad input and the wrong role with a clear answer', async () => {
    const read = (body: string, csrf = anna.csrf) =>
      fetch(`${url}/console/inbox/c/${personId}/read`, { method: 'POST', headers: { cookie: anna.cookie, 'content-type': 'application/json', 'x-csrf-token': csrf }, body });
    expect((await read(JSON.stringify({ last: 'x' }))).status).toBe(400);
    expect((await read('{oops')).status).toBe(400);
    expect((await read(JSON.stringify({ last: 1 }), 'wrong')).status).toBe(403);
    expect((await read(JSON.stringify({ last: 1 }))).status).toBe(200);
    const sara = (await login(url, 'sara-inbox@example.org'))!.client!;
    expect((await sara.get('/console/inbox')).status).toBe(403);
    expect((await fetch(`${url}/console/inbox`, { redirect: 'manual', headers: { accept: 'text/html' } })).headers.get('location')).toBe('/login?next=%2Fconsole%2Finbox');
  });
});
