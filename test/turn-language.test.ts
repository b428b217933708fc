/**
 * One owner of the person's language: the understanding step's reading, a flow's pin and the
 * person's choice are weighed in one place (src/core/turn-language.ts), and the outcome is written
 * once, with the turn's state. A turn in which the understanding step and a flow would both change
 * the language writes it once, the flow's pin winning.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import { settleLanguage } from '../src/core/turn-language.js';
import { decideLanguage } from '../src/i18n/decide.js';
import type { InboundContent } from '../src/core/types.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';

describe('settleLanguage', () => {
  it('keeps what was stored when nothing speaks', () => {
    expect(settleLanguage({ language: 'it', source: 'detected' }, { understood: { lang: 'it' } })).toEqual({ lang: 'it', language: 'it', source: 'detected' });
  });

  it('stores what the understanding step read', () => {
    expect(settleLanguage({ language: 'it', source: 'detected' }, { understood: { lang: 'en', store: 'detected' } })).toEqual({
      lang: 'en',
      language: 'en',
      source: 'detected',
      write: { lang: 'en', source: 'detected', by: 'understanding' },
    });
    // The same language told by the platform the first time: stored with its source.
    expect(settleLanguage({ language: null, source: null }, { understood: { lang: 'uk', store: 'hint' } }).write).toEqual({ lang: 'uk', source: 'hint', by: 'understanding' });
  });

  it("lets a flow's pin win over the understanding step, and writes nothing when the pin is where the person was", () => {
    expect(settleLanguage({ language: 'it', source: 'hint' }, { understood: { lang: 'en', store: 'detected' }, pin: 'it' })).toEqual({
      lang: 'it',
      language: 'it',
      source: 'detected',
      write: { lang: 'it', source: 'detected', by: 'pin' },
    });
    // Detected English, pinned back to the stored Italian: no write at all (it used to be two).
    expect(settleLanguage({ language: 'it', source: 'detected' }, { understood: { lang: 'en', store: 'detected' }, pin: 'it' })).toEqual({ lang: 'it', language: 'it', source: 'detected' });
    // A pin equal to the understood language leaves the understanding step's change as it is.
    expect(settleLanguage({ language: null, source: null }, { understood: { lang: 'it', store: 'hint' }, pin: 'it' }).write).toEqual({ lang: 'it', source: 'hint', by: 'understanding' });
  });

  it("never lets a pin override the person's explicit choice, stored or made in the turn", () => {
    expect(settleLanguage({ language: 'en', source: 'explicit' }, { understood: { lang: 'en' }, pin: 'it' })).toEqual({ lang: 'en', language: 'en', source: 'explicit' });
    expect(settleLanguage({ language: 'it', source: 'detected' }, { understood: { lang: 'it' }, pin: 'it', chosen: 'uk' })).toEqual({
      lang: 'uk',
      language: 'uk',
      source: 'explicit',
      write: { lang: 'uk', source: 'explicit', by: 'choice' },
    });
    // Choosing the language one already had (detected) makes it explicit.
    expect(settleLanguage({ language: 'it', source: 'detected' }, { understood: { lang: 'it' }, chosen: 'it' }).write).toEqual({ lang: 'it', source: 'explicit', by: 'choice' });
  });
});

describe.each(dbTargetNames())('a turn writes the language once (%s)', (name) => {
  let sim: Simulator;
  let cleanup: () => Promise<void>;
  let n = 0;
  const address = 'sim:lang-owner';
  const send = (content: InboundContent) => sim.app.bot.handle({ channel: 'web', address, externalId: `lo-${++n}`, receivedAt: new Date(), content });

  beforeAll(async () => {
    const db = await dbTarget(name);
    cleanup = db.cleanup;
    sim = await Simulator.create({ config: testConfig(), db: db.target, now: new Date('2026-11-24T18:00:00+01:00') });
  });
  afterAll(async () => {
    await sim?.close();
    await cleanup?.();
  });

  it("understanding step and flow both speak: one write, the flow's pin winning", async () => {
    const { store } = sim.app;
    await send({ type: 'text', text: 'ciao, buonasera a tutti' });
    await send({ type: 'choice', id: 'flow:incubation' });
    const asked = await send({ type: 'choice', id: 'flow:a:clear' }); // now a free-text question of the interview
    expect(asked.lang).toBe('it');
    const person = (await store.findPerson('web', address))!;
    // Told by the platform (not chosen): a long English message would switch the conversation.
    await store.setLanguage(person.id, 'it', 'hint');

    const setLanguage = vi.spyOn(store, 'setLanguage');
    const commitTurn = vi.spyOn(store, 'commitTurn');
    try {
      const english = 'I would like to open a small recording studio for podcasts in my neighbourhood together with my cousin';
      // On its own, the understanding step would switch this conversation to English.
      expect(decideLanguage(english, { stored: 'it', source: 'hint', established: true, fallback: 'en' })).toMatchObject({ lang: 'en', store: 'detected' });
      const result = await send({ type: 'text', text: english });
      // The understanding step read English; the running interview pinned Italian; the pin won.
      expect(result.lang).toBe('it');
      expect(result.language).toEqual({ lang: 'it', source: 'detected', by: 'pin' });
      // Written once, with the turn's state, and never on its own mid-turn.
      expect(setLanguage).not.toHaveBeenCalled();
      expect(commitTurn).toHaveBeenCalledTimes(1);
      expect(commitTurn.mock.calls[0]![0].language).toEqual({ code: 'it', source: 'detected' });
      expect(await store.getPerson(person.id)).toMatchObject({ language: 'it', languageSource: 'detected' });

      // The next answer in the interview: detected English again, pinned back to where the person is: nothing written.
      const again = await send({ type: 'text', text: english });
      expect(again.lang).toBe('it');
      expect(again.language).toBeUndefined();
      expect(commitTurn.mock.calls[1]![0].language).toBeUndefined();
      expect(setLanguage).not.toHaveBeenCalled();
    } finally {
      setLanguage.mockRestore();
      commitTurn.mockRestore();
    }
  });

  it("the person's choice is written once, as explicit, with the turn", async () => {
    const { store } = sim.app;
    const setLanguage = vi.spyOn(store, 'setLanguage');
    try {
      const result = await send({ type: 'text', text: 'English please' });
      expect(result.lang).toBe('en');
      expect(result.language).toEqual({ lang: 'en', source: 'explicit', by: 'choice' });
      expect(setLanguage).not.toHaveBeenCalled();
      expect(await store.findPerson('web', address)).toMatchObject({ language: 'en', languageSource: 'explicit' });
    } finally {
      setLanguage.mockRestore();
    }
  });
});
