/**
 * `Outbox.tell`, the one way to speak to a person outside a turn: the message is built in the
 * person's language, else the configured default (DEFAULT_LANGUAGE), stored and queued; nothing is
 * sent to a person who no longer exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';

describe('Outbox.tell', () => {
  let sim: Simulator;
  const now = new Date('2026-11-24T18:00:00+01:00');
  beforeAll(async () => {
    sim = await Simulator.create({ config: testConfig({ DEFAULT_LANGUAGE: 'it' }), db: { kind: 'memory' }, now });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('builds in the person language, else the configured default, and queues through the outbox', async () => {
    const { store, bot } = sim.app;
    const { person } = await store.resolvePerson('web', 'w_telltelltelltelltelltell', now);
    expect(person.language).toBeNull();
    const langs: string[] = [];
    const build = (t: (key: string) => string, lang: string) => {
      langs.push(lang);
      return [{ text: t('handoff:released') }];
    };

    const first = await bot.outbox.tell(person.id, 'web', build, { priority: 'reply', at: now });
    expect(langs).toEqual(['it']);
    expect(first?.[0]?.message.text).toContain('La persona del nostro team ha finito');
    const stored = await store.getMessage(first![0]!.id);
    expect(stored).toMatchObject({ direction: 'out', author: 'bot', status: expect.stringMatching(/queued|sending|sent/) });

    await store.setLanguage(person.id, 'en', 'explicit');
    const second = await bot.outbox.tell(person.id, 'web', build, { priority: 'reply', at: now });
    expect(langs).toEqual(['it', 'en']);
    expect(second?.[0]?.message.text).toContain('The person from our team has finished');

    expect(await bot.outbox.tell('P-NOBODY00', 'web', build, { priority: 'reply', at: now })).toBeUndefined();
    expect(langs).toEqual(['it', 'en']);
  });

  it("sends a facilitator's reply through tell: finished for the configured default when the person has no language", async () => {
    const { store, bot } = sim.app;
    const { person } = await store.resolvePerson('web', 'w_facfacfacfacfacfacfacfac', now);
    expect(person.language).toBeNull();
    const { case: c } = await sim.app.handoff.cases.open(person.id, 'web', { reason: 'asked', priority: 1 }, now);
    const staff = await addAccount(sim.app, 'tell@example.org', 'facilitator');
    const calls: string[] = [];
    const tell = bot.outbox.tell.bind(bot.outbox);
    bot.outbox.tell = (personId, channel, build, opts) => {
      calls.push(personId);
      return tell(personId, channel, build, opts);
    };
    try {
      // Eastern Arabic digits become ASCII for an Italian reader (the default): the text was finished for it.
      const id = await sim.app.handoff.reply(bot.outbox, c, staff, 'Stanza ٣');
      expect(calls).toEqual([person.id]);
      expect(await store.getMessage(id)).toMatchObject({ author: `facilitator:${staff}`, body: { text: 'Stanza 3' } });
    } finally {
      bot.outbox.tell = tell;
    }
  });
});
