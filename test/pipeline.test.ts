import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FeaturePhase, type Feature } from '../src/core/feature.js';
import type { InboundMessage } from '../src/core/types.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';

let seq = 0;
function msg(address: string, text: string, externalId = `ext-${++seq}`): InboundMessage {
  return { channel: 'web', address, externalId, receivedAt: new Date(), content: { type: 'text', text } };
}

describe.each(dbTargetNames())('conversation pipeline on %s', (dbName) => {
  let app: App;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await dbTarget(dbName);
    cleanup = t.cleanup;
    app = await createApp({ config: testConfig(), db: t.target, embeddedQueue: true });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('answers a first message with a welcome and the menu', async () => {
    const r = await app.bot.handle(msg('w-first', 'hello'));
    expect(r.duplicate).toBe(false);
    expect(r.replies.length).toBeGreaterThanOrEqual(2);
    expect(r.replies[0]!.text).toMatch(/coworking/i);
    expect(r.replies.at(-1)!.choices?.map((c) => c.id)).toContain('cmd:human');
  });

  it('gives one reply to the same message delivered twice', async () => {
    const first = await app.bot.handle(msg('w-dup', 'hello', 'same-id'));
    const again = await app.bot.handle(msg('w-dup', 'hello', 'same-id'));
    expect(first.replies.length).toBeGreaterThan(0);
    expect(again.duplicate).toBe(true);
    expect(again.replies).toEqual([]);
    const person = await app.store.findPerson('web', 'w-dup');
    const history = await app.store.history(person!.id);
    expect(history.filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it("stores a known person's message in one statement, without resolving the person again", async () => {
    const first = await app.bot.handle(msg('w-known', 'hello'));
    const resolve = vi.spyOn(app.store, 'resolvePerson');
    try {
      const r = await app.bot.handle(msg('w-known', 'menu'));
      const again = await app.bot.handle(msg('w-known', 'menu', `ext-${seq}`));
      expect(resolve).not.toHaveBeenCalled();
      expect(r).toMatchObject({ duplicate: false, personId: first.personId });
      expect(r.replies.length).toBeGreaterThan(0);
      expect(again).toMatchObject({ duplicate: true, personId: first.personId, replies: [] });
      const inbound = (await app.store.history(first.personId!)).filter((m) => m.direction === 'in');
      expect(inbound.map((m) => m.body)).toEqual([
        { type: 'text', text: 'hello' },
        { type: 'text', text: 'menu' },
      ]);
    } finally {
      resolve.mockRestore();
    }
  });

  it('handles one person in order, one at a time', async () => {
    const texts = ['menu', 'help', 'menu', 'help', 'menu'];
    const results = await Promise.all(texts.map((t, i) => app.bot.handle(msg('w-order', t, `order-${i}`))));
    const person = await app.store.findPerson('web', 'w-order');
    const inbound = (await app.store.history(person!.id)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => (m.body as { text: string }).text)).toEqual(texts);
    // Each reply belongs to the message it answers, in order.
    expect(results.every((r) => r.replies.length > 0)).toBe(true);
  });

  it('re-checks a pressed button: an option never offered is refused', async () => {
    await app.bot.handle(msg('w-forge', 'hello'));
    const r = await app.bot.handle({ ...msg('w-forge', ''), content: { type: 'choice', id: 'know:space:not-offered' } });
    expect(r.replies[0]!.text).toMatch(/no longer available/);
  });

  it('understands a typed number as the numbered choice', async () => {
    await app.bot.handle({ ...msg('t-num', 'hello'), channel: 'terminal' });
    const r = await app.bot.handle({ ...msg('t-num', '6'), channel: 'terminal' }); // 6th menu entry: Language
    expect(r.replies[0]!.text).toMatch(/Which language/);
  });

  it("answers voice notes and stickers honestly, in the person's language", async () => {
    await app.bot.handle({ ...msg('w-voice', 'ciao'), languageHint: 'it' });
    const r = await app.bot.handle({ ...msg('w-voice', ''), content: { type: 'voice' } });
    expect(r.lang).toBe('it');
    expect(r.replies[0]!.text).toMatch(/messaggi vocali/);
  });

  it('switches language when asked by name and keeps it', async () => {
    await app.bot.handle(msg('w-lang', 'hello'));
    const r = await app.bot.handle(msg('w-lang', 'Italiano'));
    expect(r.lang).toBe('it');
    const again = await app.bot.handle(msg('w-lang', 'menu'));
    expect(again.lang).toBe('it');
    expect((await app.store.findPerson('web', 'w-lang'))!.languageSource).toBe('explicit');
  });

  it('queues every reply and the sender delivers it', async () => {
    const r = await app.bot.handle(msg('w-send', 'hello'));
    await app.start(2);
    await app.queue.drain();
    for (const id of r.replyIds!) expect((await app.store.getMessage(id))!.status).toBe('sent');
  });
});

describe('failures are contained', () => {
  it("apologises in the person's language and keeps serving others", async () => {
    const boom: Feature = {
      name: 'boom',
      phase: FeaturePhase.core,
      async onInput(turn) {
        if (turn.content.type === 'text' && turn.content.text === 'xyzzy') throw new Error('kaboom');
        return false;
      },
    };
    const app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    // Before the knowledge feature, which answers any free text it gets.
    app.bot.deps.features.splice(1, 0, boom);
    try {
      await app.bot.handle({ ...msg('w-boom', 'ciao'), languageHint: 'it' });
      const r = await app.bot.handle(msg('w-boom', 'xyzzy'));
      expect(r.replies).toHaveLength(1);
      expect(r.replies[0]!.text).toMatch(/qualcosa non ha funzionato/);
      expect(r.replies[0]!.text).not.toMatch(/kaboom|Error|at /);
      const other = await app.bot.handle(msg('w-other', 'hello'));
      expect(other.replies.length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe('a flood of messages from one person', () => {
  it('gets one polite slow-down, is stored in full, and does not delay others', async () => {
    const app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
    try {
      const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => app.bot.handle(msg('w-flood', 'help', `flood-${i}`))));
      const texts = flood.flatMap((r) => r.replies.map((m) => m.text ?? ''));
      expect(texts.filter((t) => /many messages very fast/.test(t))).toHaveLength(1);
      expect(flood.filter((r) => r.replies.length === 0).length).toBeGreaterThan(10);
      const person = await app.store.findPerson('web', 'w-flood');
      expect((await app.store.history(person!.id, 500)).filter((m) => m.direction === 'in')).toHaveLength(30);
      const other = await app.bot.handle(msg('w-calm', 'hello'));
      expect(other.replies.length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
