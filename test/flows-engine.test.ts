import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { continuePrompt, holds, resume, shouldAskToContinue, start, type EngineContext, type EngineInput, type EngineResult } from '../src/flows/engine.js';
import { CURRENT_FORMAT, migrateDocument, type Flow, type Text } from '../src/flows/format.js';
import { FlowError, loadFlowFile, parseFlow } from '../src/flows/load.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'flows');
const en = (t: Text) => (typeof t === 'string' ? t : t.en!);
const at = (iso: string): EngineContext => ({ now: new Date(iso), label: en, words: (k) => (k === 'yes' ? ['yes', 'y'] : ['no', 'n']) });
const T0 = '2026-11-24T10:00:00Z';

/** Every step type, every question kind, one of each action. */
const flow: Flow = parseFlow(
  `
format: 2
id: every
version: 1
title: { en: "Every step" }
askToContinueAfterHours: 12
expiresAfterHours: 72
steps:
  - { id: hi, type: say, text: { en: "Hi" } }
  - { id: name, type: ask, kind: text, field: name, prompt: { en: "Name?" }, card: { en: "Name" } }
  - id: stage
    type: ask
    kind: choice
    field: stage
    prompt: { en: "Stage?" }
    insight: true
    card: { en: "Stage" }
    options:
      - { value: none, label: { en: "No idea" } }
      - { value: clear, label: { en: "Clear" } }
  - id: by_stage
    type: branch
    cases: [{ when: { field: stage, is: clear }, goto: level2 }]
    else: level1
  - { id: level1, type: set, field: support_level, value: 1, next: needs }
  - { id: level2, type: set, field: support_level, value: 2, next: needs }
  - id: needs
    type: ask
    kind: multi
    field: needs
    prompt: { en: "Needs?" }
    freeText: true
    skippable: true
    card: { en: "Needs" }
    options:
      - { value: focus, label: { en: "Quiet place" } }
      - { value: people, label: { en: "People" } }
  - { id: kids, type: ask, kind: yesno, field: kids, prompt: { en: "Kids?" }, insight: true }
  - { id: hours, type: ask, kind: number, field: hours, prompt: { en: "Hours?" }, min: 0, max: 24 }
  - { id: where, type: ask, kind: location, field: where, prompt: { en: "Where?" }, freeText: true, skippable: true }
  - id: district
    type: ask
    kind: district
    field: district
    prompt: { en: "District?" }
    options:
      - { value: centre, label: { en: "Centre" } }
      - { value: east, label: { en: "East" } }
  - { id: card, type: action, action: card }
  - { id: matches, type: action, action: matches }
  - { id: sub, type: action, action: subscribe }
  - { id: handoff, type: action, action: handoff }
  - { id: lang, type: action, action: language }
  - { id: menu, type: action, action: menu }
  - { id: end, type: action, action: end }
`,
  'every.yaml',
);

function walk(inputs: EngineInput[], ctx = at(T0)): EngineResult {
  let r = start(flow, ctx);
  for (const i of inputs) r = resume(flow, r.state, i, ctx);
  return r;
}
const text = (t: string): EngineInput => ({ type: 'text', text: t });
const opt = (v: string): EngineInput => ({ type: 'option', value: v });
const ctl = (c: 'back' | 'skip' | 'restart' | 'pause' | 'stop' | 'done'): EngineInput => ({ type: 'control', control: c });
const texts = (r: EngineResult) => r.messages.map((m) => (Array.isArray(m.text) ? m.text.map(en).join('\n\n') : en(m.text)));

describe('flow engine', () => {
  it('says, then asks the first question, and records the start', () => {
    const r = start(flow, at(T0));
    expect(texts(r)).toEqual(['Hi', 'Name?']);
    expect(r.state).toMatchObject({ status: 'running', step: 'name', history: [] });
    expect(r.events.map((e) => e.type)).toEqual(['flow_started', 'flow_step']);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state); // serializable
  });

  it('runs every step type to the end: text, choice, branch, set, multi, yes/no, number, location, district, actions', () => {
    const r = walk([text('Amal'), opt('clear'), opt('focus'), opt('people'), ctl('done'), text('yes'), text('about 10 hours'), { type: 'location', lat: 41.9, lng: 12.5 }, text('east')]);
    expect(r.state.status).toBe('done');
    expect(r.state.answers).toEqual({
      name: { value: 'text', text: 'Amal' },
      stage: { value: 'clear' },
      support_level: { value: 2 },
      needs: { value: ['focus', 'people'] },
      kids: { value: true },
      hours: { value: 10 },
      where: { value: { lat: 41.9, lng: 12.5 } },
      district: { value: 'east' },
    });
    expect(r.actions.map((a) => a.type)).toEqual(['card', 'matches', 'subscribe', 'handoff', 'language', 'menu', 'end']);
    expect(r.events.map((e) => e.type)).toContain('flow_completed');
  });

  it('branches the other way and sets the other value', () => {
    const r = walk([text('A'), opt('none')]);
    expect(r.state.answers.support_level).toEqual({ value: 1 });
    expect(r.state.step).toBe('needs');
  });

  it('toggles several choices and shows ticks; typed words match labels and keep own words', () => {
    const picked = walk([text('A'), opt('none'), opt('focus')]);
    expect(picked.messages[0]!.choices!.find((c) => c.id === 'flow:a:focus')!.selected).toBe(true);
    const unpicked = resume(flow, picked.state, opt('focus'), at(T0));
    expect(unpicked.messages[0]!.choices!.some((c) => c.selected)).toBe(false);
    const typed = resume(flow, picked.state, text('people, a big desk'), at(T0));
    expect(typed.state.answers.needs).toEqual({ value: ['focus', 'people', 'other'], text: 'a big desk' });
  });

  it('goes back to the previous question and forgets its answer', () => {
    const r = walk([text('A'), opt('clear'), ctl('back')]);
    expect(texts(r)).toEqual(['Stage?']);
    expect(r.state.step).toBe('stage');
    expect(r.state.answers.stage).toBeUndefined();
    const first = walk([ctl('back')]);
    expect(texts(first)).toEqual(['flows:engine.noBack', 'Name?']);
  });

  it('skips only where allowed', () => {
    const refused = walk([ctl('skip')]);
    expect(texts(refused)).toEqual(['flows:engine.noSkip', 'Name?']);
    const skipped = walk([text('A'), opt('clear'), ctl('skip')]);
    expect(skipped.state.answers.needs).toEqual({ value: null });
    expect(skipped.state.step).toBe('kids');
  });

  it('asks again kindly with the options, and offers a person after two misses', () => {
    const once = walk([text('A'), text('banana')]);
    expect(texts(once)).toEqual(['flows:engine.invalid.choice', 'Stage?']);
    expect(once.messages[1]!.choices!.map((c) => c.id)).toEqual(['flow:a:none', 'flow:a:clear', 'flow:x:back']);
    expect(once.actions).toEqual([]);
    const twice = resume(flow, once.state, text('banana'), at(T0));
    expect(texts(twice)).toEqual(['flows:engine.invalid.choice', 'flows:engine.offerHuman', 'Stage?']);
    expect(twice.actions).toEqual([{ type: 'offer_human' }]);
    const fixed = resume(flow, twice.state, text('Clear'), at(T0));
    expect(fixed.state.misses).toBe(0);
    expect(fixed.state.answers.stage).toEqual({ value: 'clear' });
  });

  it('checks yes/no, numbers (also Arabic-Indic digits) and their range', () => {
    const kids = walk([text('A'), opt('clear'), ctl('skip')]);
    expect(texts(resume(flow, kids.state, text('maybe'), at(T0)))[0]).toBe('flows:engine.invalid.yesno');
    const hours = resume(flow, kids.state, text('n'), at(T0));
    expect(hours.state.answers.kids).toEqual({ value: false });
    expect(texts(resume(flow, hours.state, text('many'), at(T0)))[0]).toBe('flows:engine.invalid.number');
    expect(texts(resume(flow, hours.state, text('30'), at(T0)))[0]).toBe('flows:engine.invalid.numberRange');
    expect(resume(flow, hours.state, text('١٢'), at(T0)).state.answers.hours).toEqual({ value: 12 });
  });

  it('takes a place name as own words for a location, and a location for a district', () => {
    const where = walk([text('A'), opt('clear'), ctl('skip'), text('no'), text('8')]);
    expect(where.state.step).toBe('where');
    const named = resume(flow, where.state, text('Pigneto'), at(T0));
    expect(named.state.answers.where).toEqual({ value: 'place', text: 'Pigneto' });
    const loc = resume(flow, named.state, { type: 'location', lat: 41.89, lng: 12.53 }, at(T0));
    expect(loc.state.answers.district).toEqual({ value: { lat: 41.89, lng: 12.53 } });
    expect(texts(resume(flow, named.state, text('Mars'), at(T0)))[0]).toBe('flows:engine.invalid.district');
  });

  it('restarts, pauses, stops', () => {
    const mid = walk([text('A'), opt('clear')]);
    const restarted = resume(flow, mid.state, ctl('restart'), at(T0));
    expect(restarted.state.answers).toEqual({});
    expect(restarted.events.map((e) => e.type)).toEqual(['flow_abandoned', 'flow_started', 'flow_step']);
    const paused = resume(flow, mid.state, ctl('pause'), at(T0));
    expect(paused.state.status).toBe('paused');
    expect(texts(paused)).toEqual(['flows:engine.paused']);
    const stopped = resume(flow, mid.state, ctl('stop'), at(T0));
    expect(stopped.state.status).toBe('stopped');
    expect(stopped.events).toEqual([{ type: 'flow_abandoned', data: { flow: 'every', step: 'needs', reason: 'stop' } }]);
  });

  it('after a pause or a long silence asks "continue where you left off?", then re-asks the question', () => {
    const mid = walk([text('A')]);
    const paused = resume(flow, mid.state, ctl('pause'), at(T0));
    expect(shouldAskToContinue(flow, paused.state, new Date(T0))).toBe(true);
    const idle = resume(flow, mid.state, text('Clear'), at('2026-11-26T10:00:00Z'));
    expect(texts(idle)).toEqual(['flows:engine.continueAsk']);
    expect(idle.state.answers.stage).toBeUndefined();
    expect(idle.messages[0]).toEqual(continuePrompt(flow, idle.state));
    const back = resume(flow, idle.state, { type: 'continue' }, at('2026-11-26T10:01:00Z'));
    expect(texts(back)).toEqual(['Stage?']);
    expect(back.state.status).toBe('running');
  });

  it('expires after the configured time and starts again', () => {
    const mid = walk([text('A')]);
    const late = resume(flow, mid.state, text('Clear'), at('2026-11-28T10:00:01Z'));
    expect(texts(late)).toEqual(['flows:engine.expired', 'Hi', 'Name?']);
    expect(late.events[0]).toEqual({ type: 'flow_abandoned', data: { flow: 'every', step: 'stage', reason: 'expired' } });
  });

  it('corrects one answer from the card and shows the card again, without a second round of actions', () => {
    const done = walk([text('A'), opt('clear'), ctl('skip'), text('no'), text('8'), ctl('skip'), opt('centre')]);
    expect(done.state.status).toBe('done');
    const editing = resume(flow, done.state, { type: 'edit', step: 'stage' }, at(T0));
    expect(texts(editing)).toEqual(['Stage?']);
    const edited = resume(flow, editing.state, opt('none'), at(T0));
    expect(edited.state.answers.stage).toEqual({ value: 'none' });
    expect(edited.actions).toEqual([{ type: 'card', step: 'card' }]);
    expect(edited.state.status).toBe('done');
    expect(edited.events.map((e) => e.type)).not.toContain('flow_completed');
    expect(editing.messages[0]!.choices!.map((c) => c.id)).not.toContain('flow:x:back');
  });

  it('recomputes set fields (the support level) after a correction', () => {
    const cardFlow = parseFlow(
      `format: 2\nid: lvl\nversion: 1\ntitle: { en: L }\nsteps:
  - { id: q, type: ask, kind: yesno, field: expert, prompt: { en: "Expert?" }, card: { en: "Expert" } }
  - { id: b, type: branch, cases: [{ when: { field: expert, is: true }, goto: l3 }], else: l1 }
  - { id: l3, type: set, field: support_level, value: 3, next: card }
  - { id: l1, type: set, field: support_level, value: 1, next: card }
  - { id: card, type: action, action: card }
  - { id: m, type: action, action: matches }`,
      'lvl.yaml',
    );
    let r = start(cardFlow, at(T0));
    r = resume(cardFlow, r.state, opt('yes'), at(T0));
    expect(r.state.answers.support_level).toEqual({ value: 3 });
    r = resume(cardFlow, r.state, { type: 'edit', step: 'q' }, at(T0));
    r = resume(cardFlow, r.state, opt('no'), at(T0));
    expect(r.state.answers.support_level).toEqual({ value: 1 });
    expect(r.actions).toEqual([{ type: 'card', step: 'card' }]);
  });

  it('records enum answers for insights, never free text', () => {
    const r = walk([text('My secret idea'), opt('clear')]);
    const all = [start(flow, at(T0)), r].flatMap((x) => x.events);
    expect(JSON.stringify(all)).not.toContain('secret');
    expect(r.events).toContainEqual({ type: 'flow_answer', data: { flow: 'every', field: 'stage', value: 'clear' } });
  });

  it('evaluates any / all / has / answered conditions', () => {
    const answers = { a: { value: ['x', 'y'] }, b: { value: null }, c: { value: 2 } };
    expect(holds({ field: 'a', has: 'y' }, answers)).toBe(true);
    expect(holds({ field: 'b', answered: false }, answers)).toBe(true);
    expect(
      holds(
        {
          all: [
            { field: 'c', is: [1, 2] },
            { field: 'a', has: 'z' },
          ],
        },
        answers,
      ),
    ).toBe(false);
    expect(
      holds(
        {
          any: [
            { field: 'c', is: 3 },
            { field: 'a', answered: true },
          ],
        },
        answers,
      ),
    ).toBe(true);
  });
});

describe('flow format', () => {
  it('migrates a format-1 flow forward and runs it', () => {
    const old = loadFlowFile(join(fixtures, 'v1-sample.yaml'));
    expect(old.format).toBe(CURRENT_FORMAT);
    expect(old.title).toEqual({ en: 'Sample' });
    expect(old.steps[1]).toMatchObject({ type: 'ask', kind: 'choice', prompt: { en: 'Which colour?' } });
    let r = start(old, at(T0));
    r = resume(old, r.state, { type: 'text', text: 'blue' }, at(T0));
    r = resume(old, r.state, { type: 'text', text: '33' }, at(T0));
    expect(r.state.answers).toEqual({ colour: { value: 'blue' }, age: { value: 33 } });
    expect(migrateDocument({ format: 2, id: 'x' })).toEqual({ format: 2, id: 'x' });
  });

  it('rejects broken flows with file, path and reason', () => {
    expect(() => loadFlowFile(join(fixtures, 'broken-ref.yaml'))).toThrow(FlowError);
    expect(() => loadFlowFile(join(fixtures, 'broken-ref.yaml'))).toThrow(/broken-ref\.yaml: steps\.0\.next: no step with id "nowhere"/);
    expect(() => parseFlow('format: 2\nid: x\n  bad: [', 'bad.yaml')).toThrow(/bad\.yaml: line \d+: not valid YAML/);
    expect(() => parseFlow('format: 3\nid: x\nversion: 1\ntitle: {en: x}\nsteps: []', 'future.yaml')).toThrow(/future\.yaml: format:/);
    const freeTextInsight = `format: 2\nid: y\nversion: 1\ntitle: {en: y}\nsteps:\n  - {id: q, type: ask, kind: text, field: q, prompt: {en: q}, insight: true}`;
    expect(() => parseFlow(freeTextInsight, 'y.yaml')).toThrow(/steps\.0\.insight: free-text answers must never go to insight events/);
  });
});
