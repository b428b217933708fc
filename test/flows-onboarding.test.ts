/**
 * First contact is the onboarding flow (flows/onboarding.yaml): the greeting with the privacy line,
 * then the menu or the language picker; a real first question is still answered; nothing holds the
 * person; the steps reach the drop-off chart, and onboarding never counts as an incubation start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import { start } from '../src/flows/engine.js';
import { flowsDir, loadFlowFile } from '../src/flows/load.js';
import { localesDir } from '../src/i18n/i18n.js';
import { InsightsStore } from '../src/storage/insights-store.js';
import { testConfig } from './helpers.js';

const core = (lang: string) => JSON.parse(readFileSync(join(localesDir, lang, 'core.json'), 'utf8')) as Record<string, string>;
const hello = (lang: string) => `${core(lang).welcome}\n\n${core(lang).privacyNotice}`;

describe('onboarding flow', () => {
  let sim: Simulator;
  const say = async (user: string, input: Record<string, unknown>) => {
    const out = await sim.line(JSON.stringify({ user, ...input }));
    if ('error' in out) throw new Error(out.error);
    return out;
  };

  beforeAll(async () => {
    sim = await Simulator.create({ config: testConfig(), now: new Date('2026-11-24T18:00:00+01:00') });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('the engine picks the path from the facts it is given', () => {
    const flow = loadFlowFile(join(flowsDir, 'onboarding.yaml'));
    const ctx = { now: new Date() };
    const path = (given: Record<string, boolean>) =>
      start(flow, ctx, given)
        .events.filter((e) => e.type === 'flow_step')
        .map((e) => e.data.step);
    expect(path({ language_known: false, language_asked: false, question: false })).toEqual(['pick_language', 'done']);
    expect(path({ language_known: true, language_asked: false, question: false })).toEqual(['menu', 'done']);
    expect(path({ language_known: true, language_asked: false, question: true })).toEqual(['then_answer']);
    // Facts the flow does not declare are ignored.
    expect(start(flow, ctx, { language_known: true, secret: true } as Record<string, boolean>).state.answers).not.toHaveProperty('secret');
    const greet = start(flow, ctx, { language_known: true, language_asked: false, question: true });
    expect(greet.messages).toEqual([{ text: ['core:welcome', 'core:privacyNotice'], choices: [{ id: 'cmd:language', label: 'core:languageChange' }] }]);
    expect(greet.state.status).toBe('done'); // never waits: nobody is held in it
  });

  it('a greeting gets the welcome with the privacy line, then the menu; the next question is answered', async () => {
    const out = await say('g1', { text: 'ciao', lang: 'it' });
    expect(out.lang).toBe('it');
    expect(out.replies[0]!.text).toBe(hello('it'));
    expect(out.replies[1]!.choices!.map((c) => c.id)).toEqual(['know:explain', 'know:spaces', 'know:events', 'flow:incubation', 'cmd:human', 'cmd:language']);
    // Not trapped: a free question goes to the features, not to a flow asking again.
    const next = await say('g1', { text: 'che cos’è il coworking?' });
    expect(next.replies.length).toBeGreaterThan(0);
    expect(next.replies[0]!.text).not.toBe(core('it').notUnderstood);
    expect(next.replies[0]!.text).not.toBe(hello('it'));
    // A menu button from the welcome starts its feature.
    const project = await say('g1', { choice: 'flow:incubation' });
    expect(project.replies.map((r) => r.text).join('\n')).toContain(JSON.parse(readFileSync(join(localesDir, 'it', 'flows.json'), 'utf8')).inc.intro);
  });

  it('a real first question: the welcome carries the language button, then the answer follows', async () => {
    const out = await say('q1', { text: 'Hi, I am looking for a place to work in Rome, where can I go?' });
    expect(out.lang).toBe('en');
    expect(out.replies[0]).toEqual({ text: hello('en'), choices: [{ id: 'cmd:language', label: core('en').languageChange }] });
    expect(out.replies.length).toBeGreaterThan(1); // the question is answered too
    const picker = await say('q1', { choice: 'cmd:language' });
    expect(picker.replies[0]!.text).toBe(core('en').languageAsk);
  });

  it('a language asked for in words: welcome in it, and no button to change it', async () => {
    const out = await say('a1', { text: 'can you speak english please' });
    expect(out.lang).toBe('en');
    expect(out.replies[0]!.text).toBe(hello('en'));
    expect(out.replies[0]!.choices).toBeUndefined();
  });

  it('safety words still go to a person first', async () => {
    const out = await say('s1', { text: 'I want to kill myself' });
    const handoff = JSON.parse(readFileSync(join(localesDir, 'en', 'handoff.json'), 'utf8')) as { safety: { intro: string } };
    expect(out.replies.map((r) => r.text)).toContain(handoff.safety.intro);
    expect(out.replies.map((r) => r.text)).not.toContain(hello('en'));
  });

  it('records onboarding steps for the drop-off chart, but not as an incubation start', async () => {
    await say('i1', { text: '👍' });
    const reached = await sim.app.flowStore.reachedSteps('onboarding');
    expect(reached.find((r) => r.step === 'menu')?.people).toBeGreaterThanOrEqual(1);
    expect(reached.find((r) => r.step === 'pick_language')?.people).toBe(1);
    expect(reached.find((r) => r.step === 'then_answer')?.people).toBeGreaterThanOrEqual(1);
    const insights = new InsightsStore(sim.app.db);
    const scope = { from: new Date('2026-01-01'), to: new Date('2027-01-01'), timezone: 'Europe/Rome' };
    const totals = await insights.incubationTotals(scope);
    expect(totals.find((t) => t.key === 'started')!.people).toBe(1); // g1 opened the interview; nobody else
    const topics = await insights.topics(scope);
    expect(topics.find((t) => t.key === 'incubation')?.people).toBe(1);
  });
});
