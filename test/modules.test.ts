/**
 * The module contract (src/core/module.ts), proven by a module that is not in src/:
 * test/fixtures/modules/lantern.ts is registered by one line and, through the assembly
 * `coworkbot start` serves, contributes a feature that answers, an entry in the main menu (at its
 * declared place, in the bot and in the web chat's greeting) and a route, and its jobs, start and
 * stop run with the app's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import type { InboundMessage } from '../src/core/types.js';
import { lanternLife, lanternModule } from './fixtures/modules/lantern.js';
import { testConfig } from './helpers.js';

let served: Assembly;
let plain: Assembly;
let servedClosed = false;
let seq = 0;
const msg = (address: string, content: InboundMessage['content']): InboundMessage => ({ channel: 'web', address, externalId: `mod-${++seq}`, receivedAt: new Date(), content, languageHint: 'en' });

beforeAll(async () => {
  served = assembleServer(await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, modules: [lanternModule] }));
  plain = assembleServer(await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true }));
});
afterAll(async () => {
  if (!servedClosed) await served?.close();
  await plain?.close();
});

describe('a module registered by one line', () => {
  it('is one of the modules the app is built from, after the built-in ones', () => {
    const ids = served.app.modules.map((m) => m.id);
    expect(ids.at(-1)).toBe('lantern');
    expect(ids).toEqual(expect.arrayContaining(['handoff', 'knowledge', 'broadcast', 'privacy', 'insights']));
    expect(plain.app.modules.map((m) => m.id)).not.toContain('lantern');
  });

  it('adds its entry to the main menu at its declared place', async () => {
    const r = await served.app.bot.handle(msg('m-menu', { type: 'text', text: 'menu' }));
    const ids = r.replies.at(-1)!.choices!.map((c) => c.id);
    expect(ids).toEqual(['know:explain', 'know:spaces', 'know:events', 'lamp:hours', 'flow:incubation', 'cmd:human', 'cmd:language']);
    const without = await plain.app.bot.handle(msg('m-menu', { type: 'text', text: 'menu' }));
    expect(without.replies.at(-1)!.choices!.map((c) => c.id)).not.toContain('lamp:hours');
    // The web chat's greeting offers the same menu (without the language choice).
    const ui = (await (await served.web.request('/api/chat/ui?lang=en')).json()) as { greeting: { menu: { id: string }[] } };
    expect(ui.greeting.menu.map((m) => m.id)).toEqual(['know:explain', 'know:spaces', 'know:events', 'lamp:hours', 'flow:incubation', 'cmd:human']);
  });

  it('answers its own choice through its feature', async () => {
    await served.app.bot.handle(msg('m-choose', { type: 'text', text: 'menu' }));
    const r = await served.app.bot.handle(msg('m-choose', { type: 'choice', id: 'lamp:hours' }));
    expect(r.replies[0]!.text).toBe(`Lantern hours in ${served.app.config.server.timezone}: 9 to 17`);
  });

  it('serves its route on the assembled server', async () => {
    const res = await served.web.request('/lantern');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('lit');
    expect((await plain.web.request('/lantern')).status).toBe(404);
  });

  it('runs its jobs before the workers start, starts with the app and stops with it', async () => {
    expect(lanternLife).toEqual([]);
    await served.start(1);
    expect(lanternLife).toEqual(['jobs', 'start']);
    await served.close();
    servedClosed = true;
    expect(lanternLife).toEqual(['jobs', 'start', 'stop']);
  });
});
