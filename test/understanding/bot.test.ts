/**
 * The understanding step in the running bot (the assembly `coworkbot start` uses): with a model
 * configured, the model's structured reading routes the message; a broken answer falls back to the
 * offline reading; safety never waits for the model; the handoff queue gets a request in words.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { FixedClock } from '../../src/clock.js';
import type { HandleResult } from '../../src/core/types.js';
import { fakeChatServer, type ChatReply } from '../fake-openai.js';
import { testConfig } from '../helpers.js';

describe('understanding with a model configured (fake server on 127.0.0.1)', () => {
  let app: App;
  let fake: Awaited<ReturnType<typeof fakeChatServer>>;
  let reply: () => ChatReply = () => ({ status: 500 });
  const send = (address: string, text: string): Promise<HandleResult> =>
    app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: new Date(), content: { type: 'text', text }, languageHint: 'en' });
  const texts = (r: HandleResult) => r.replies.map((m) => m.text ?? '').join('\n');

  beforeAll(async () => {
    // Only the understanding prompt gets structured answers; anything else (summaries, answers) fails and stays offline.
    fake = await fakeChatServer(({ system }) => (system.includes('You read one message written to coworkbot') ? reply() : { status: 500 }));
    app = await createApp({
      config: testConfig({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' }),
      db: { kind: 'memory' },
      embeddedQueue: true,
      clock: new FixedClock(new Date('2026-11-26T10:00:00+01:00')),
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((r) => fake.server.close(() => r()));
  });

  it('routes by the model\'s reading: "human" reaches the handoff queue', async () => {
    reply = () => ({ content: JSON.stringify({ intent: 'human', confidence: 0.95, entities: {} }) });
    const r = await send('w_llm_human_0000000000001', 'xq kkv zzp');
    expect(r.handoff).toBe(true);
    const waiting = (await app.handoff.cases.queue()).filter((c) => c.personId === r.personId);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.reason).toBe('asked');
  });

  it("falls back to the offline reading when the model's answer is not usable", async () => {
    reply = () => ({ content: JSON.stringify({ intent: 'order_pizza', confidence: 1 }) });
    const r = await send('w_llm_idea_00000000000001', 'I have an idea for a small business and need help to start it');
    expect(texts(r)).toContain("Let's shape your idea together");
  });

  it('never asks the model about safety', async () => {
    const asked = () => fake.calls.filter((c) => c.system.includes('You read one message')).length;
    const before = asked();
    reply = () => ({ content: JSON.stringify({ intent: 'greeting', confidence: 1, entities: {} }) });
    const r = await send('w_llm_safety_0000000000001', 'my boss beats me and keeps my passport');
    expect(r.handoff).toBe(true);
    expect(texts(r)).toContain('112');
    expect(asked()).toBe(before);
  });
});

describe('understanding offline in the running bot', () => {
  let app: App;
  const send = (address: string, text: string): Promise<HandleResult> => app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: new Date(), content: { type: 'text', text } });
  const texts = (r: HandleResult) => r.replies.map((m) => m.text ?? '').join('\n');

  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, clock: new FixedClock(new Date('2026-11-26T10:00:00+01:00')) });
  });
  afterAll(async () => {
    await app.close();
  });

  it('a person asked in words reaches the handoff queue, in several languages', async () => {
    for (const [i, text] of ['necesito hablar con alguien de verdad', 'мені потрібна жива людина', 'I beg, make I talk with somebody', 'أريد أن أتكلم مع موظف من فضلكم'].entries()) {
      const r = await send(`w_person_words_00000000${i}`, text);
      expect(r.handoff, text).toBe(true);
    }
    expect((await app.handoff.cases.queue()).filter((c) => c.reason === 'asked').length).toBe(4);
  });

  it('the first message is answered after the welcome and the privacy line', async () => {
    const r = await send('w_first_answer_0000000001', 'is there a free place near Termini with wifi?');
    expect(r.replies[0]!.text).toContain('I only keep what I need');
    expect(r.replies[1]!.text).toMatch(/^Spaces near Termini/);
  });

  it('out of scope: an honest answer, a person, and the legal info desk for papers', async () => {
    const r = await send('w_oos_papers_0000000000001', 'I need a lawyer for my residence permit renewal');
    const all = texts(r);
    expect(all).toContain("I can't advise on residence permits");
    expect(all).not.toContain('outside the city');
    expect(r.replies.flatMap((m) => m.choices ?? []).map((c) => c.id)).toEqual(expect.arrayContaining(['cmd:human', 'know:e:legal_info_desk']));
  });
});
