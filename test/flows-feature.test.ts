/**
 * The flow feature end to end on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is
 * set): the card is stored with staff copies, consent is recorded, matches come from the provider,
 * insight events hold steps and enums but never the person's words, and deleting removes the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import type { MatchProvider } from '../src/flows/matches.js';
import { dbTarget, dbTargetNames, testConfig } from './helpers.js';
import { completeInterview } from './interview.js';

const secret = 'Zebra-podcast about my cousin Yusuf';

describe.each(dbTargetNames())('flow feature (%s)', (name) => {
  let sim: Simulator;
  let cleanup: () => Promise<void>;
  const say = async (input: Record<string, unknown>) => {
    const out = await sim.line(JSON.stringify({ user: 'p1', ...input }));
    if ('error' in out) throw new Error(out.error);
    return out;
  };

  // The matches come from this provider, given when the app is built.
  const calls: unknown[] = [];
  const provider: MatchProvider = {
    spaces: async (c) => {
      calls.push(c);
      return [{ id: 'millepiani', name: 'Millepiani', why: 'Garbatella' }];
    },
    events: async () => [{ id: 'e1', title: 'Podcast lab', startsAt: new Date('2026-11-28T18:30:00+01:00'), spaceName: 'Millepiani' }],
  };
  beforeAll(async () => {
    const db = await dbTarget(name);
    cleanup = db.cleanup;
    sim = await Simulator.create({ config: testConfig(), db: db.target, now: new Date('2026-11-24T18:00:00+01:00'), matches: provider });
  });
  afterAll(async () => {
    await sim?.close();
    await cleanup?.();
  });

  it('runs the interview, stores the card with Italian and English copies, and records consent', async () => {
    const end = await completeInterview(say, secret);
    const texts = 'replies' in end ? end.replies.map((r) => r.text ?? '') : [];
    expect(texts.join('\n')).toContain('Millepiani — Garbatella');
    expect(texts.join('\n')).toContain('Podcast lab (Millepiani)');
    expect(calls[0]).toMatchObject({
      stage: 'clear',
      needs: ['equipment', 'mentor_expert'],
      equipment: ['soundproof'],
      freeTimes: ['evenings', 'weekends'],
      budget: 'free',
      district: 'east',
      maxKm: 30,
      supportLevel: 3,
    });
    expect(JSON.stringify(calls[0])).not.toContain('Zebra');

    const person = await sim.app.store.findPerson('web', 'sim:p1');
    const card = await sim.app.flowStore.latestCard(person!.id);
    expect(card).toMatchObject({ flow: 'incubation', lang: 'en', stage: 'clear', supportLevel: 3, shareConsent: true });
    expect(card!.cardPerson).toContain(secret);
    expect(card!.cardIt).toContain('📋 La mia scheda progetto');
    expect(card!.cardIt).toContain('Un progetto chiaro');
    expect(card!.cardEn).toContain('A clear project');
    expect((await sim.app.store.getPerson(person!.id))!.consents).toMatchObject({ share_project_card: true });
  });

  it('records which steps were reached, with enums only and never the answers', async () => {
    const events = await sim.app.flowStore.flowEvents();
    const types = events.map((e) => e.type);
    expect(types).toContain('flow_started');
    expect(types).toContain('flow_completed');
    expect(types).toContain('card_saved');
    expect(events).toContainEqual({ type: 'flow_answer', data: { flow: 'incubation', field: 'stage', value: 'clear' } });
    expect(JSON.stringify(events)).not.toContain('Zebra');
    const reached = await sim.app.flowStore.reachedSteps('incubation');
    expect(reached.find((r) => r.step === 'stage')).toEqual({ step: 'stage', people: 1 });
    expect(reached.find((r) => r.step === 'work_before')).toBeUndefined(); // not on the "clear" path
  });

  it('deletes the card on request', async () => {
    await say({ choice: 'flow:incubation' });
    await say({ choice: 'flow:card:delete' });
    await say({ choice: 'flow:card:deleteyes' });
    const person = await sim.app.store.findPerson('web', 'sim:p1');
    expect(await sim.app.flowStore.latestCard(person!.id)).toBeUndefined();
    expect((await sim.app.store.getPerson(person!.id))!.consents).toMatchObject({ share_project_card: false });
  });
});
