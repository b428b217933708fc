/**
 * The flow engine: pure functions. {@link start} and {@link resume} take a flow, the stored state and
 * the person's input, and return the new state plus the messages to say, the actions to perform and
 * the insight events to record. No I/O, no clock (the time comes in `ctx.now`), no translation (texts
 * are keys or per-language maps, translated by the caller). The state is plain JSON.
 */
import { normalizeForMatch } from '../core/text.js';
import type { ActionKind, AskStep, Condition, Flow, SayText, Step, Text } from './format.js';

/** A stored answer. `text` holds the person's own words (free text), never sent to insight events. */
export type AnswerValue = string | string[] | number | boolean | { lat: number; lng: number } | null;
export interface Answer {
  value: AnswerValue;
  text?: string;
}

export interface FlowState {
  flow: string;
  version: number;
  status: 'running' | 'paused' | 'done' | 'stopped';
  /** The question waiting for an answer (or the last step reached). */
  step: string;
  answers: Record<string, Answer>;
  /** Questions answered before the current one, oldest first ("back" pops it). */
  history: string[];
  /** Answers that did not fit the current question, in a row. */
  misses: number;
  /** A several-choices question: the options picked so far. */
  picked?: string[];
  /** The card step to go back to after correcting one answer. */
  editing?: string;
  /** The last card step reached. */
  cardStep?: string;
  completed?: boolean;
  startedAt: string;
  updatedAt: string;
}

export type Control = 'back' | 'skip' | 'restart' | 'pause' | 'stop' | 'done';

export type EngineInput =
  | { type: 'text'; text: string }
  | { type: 'option'; value: string }
  | { type: 'location'; lat: number; lng: number }
  | { type: 'control'; control: Control }
  /** Correct one answer from the card: ask `step` again, then show the card again. */
  | { type: 'edit'; step: string }
  /** "Continue where you left off": ask the waiting question again. */
  | { type: 'continue' };

export interface EngineChoice {
  id: string;
  label: Text;
  /** A several-choices option already picked (shown with a tick). */
  selected?: boolean;
}
export interface EngineMessage {
  /** One text, or several shown as paragraphs of one message. */
  text: SayText;
  vars?: Record<string, string | number>;
  choices?: EngineChoice[];
}
export type EngineAction = { type: ActionKind; step: string } | { type: 'offer_human' };
export interface EngineEvent {
  type: 'flow_started' | 'flow_step' | 'flow_answer' | 'flow_completed' | 'flow_abandoned';
  data: Record<string, string | number | boolean>;
}
export interface EngineResult {
  state: FlowState;
  messages: EngineMessage[];
  actions: EngineAction[];
  events: EngineEvent[];
}

export interface EngineContext {
  now: Date;
  /** Translates a label into the person's language, so typed words can match options. */
  label?: (text: Text) => string;
  /** Words meaning yes / no in the person's language. */
  words?: (kind: 'yes' | 'no') => string[];
}

/** Choice ids the engine produces (the feature owns the `flow` prefix). */
export const ids = {
  option: (value: string) => `flow:a:${value}`,
  control: (c: Control) => `flow:x:${c}`,
  continue: 'flow:go:continue',
  restart: 'flow:go:restart',
};

const k = (key: string): Text => `flows:engine.${key}`;
const HOUR = 3_600_000;

class Out {
  messages: EngineMessage[] = [];
  actions: EngineAction[] = [];
  events: EngineEvent[] = [];
  say(text: SayText, choices?: EngineChoice[], vars?: EngineMessage['vars']) {
    this.messages.push({ text, ...(choices?.length ? { choices } : {}), ...(vars ? { vars } : {}) });
  }
  result(state: FlowState): EngineResult {
    return { state, messages: this.messages, actions: this.actions, events: this.events };
  }
}

function stepById(flow: Flow, id: string): Step | undefined {
  return flow.steps.find((s) => s.id === id);
}

function nextOf(flow: Flow, step: Step): string | undefined {
  if (step.next) return step.next;
  const i = flow.steps.indexOf(step);
  return flow.steps[i + 1]?.id;
}

/** Whether a condition holds for the answers so far. */
export function holds(cond: Condition, answers: Record<string, Answer>): boolean {
  if ('any' in cond) return cond.any.some((c) => holds(c, answers));
  if ('all' in cond) return cond.all.every((c) => holds(c, answers));
  const v = answers[cond.field]?.value;
  if (cond.answered !== undefined && (v !== undefined && v !== null) !== cond.answered) return false;
  if (cond.is !== undefined) {
    const allowed = Array.isArray(cond.is) ? cond.is : [cond.is];
    if (!allowed.some((a) => a === v)) return false;
  }
  if (cond.has !== undefined && !(Array.isArray(v) && v.includes(cond.has))) return false;
  return true;
}

/** The question message: prompt, options, and the controls that apply. */
function question(flow: Flow, step: AskStep, state: FlowState): EngineMessage {
  const choices: EngineChoice[] = [];
  if (step.kind === 'yesno') {
    choices.push({ id: ids.option('yes'), label: k('yes') }, { id: ids.option('no'), label: k('no') });
  }
  for (const o of step.options ?? []) {
    choices.push({ id: ids.option(o.value), label: o.label, ...(state.picked?.includes(o.value) ? { selected: true } : {}) });
  }
  if (step.kind === 'multi') choices.push({ id: ids.control('done'), label: k('done') });
  if (state.history.length > 0 && !state.editing) choices.push({ id: ids.control('back'), label: k('back') });
  if (step.skippable) choices.push({ id: ids.control('skip'), label: k('skip') });
  if (!step.options && step.kind !== 'yesno') choices.push({ id: ids.control('pause'), label: k('pause') });
  return { text: step.prompt, choices };
}

function ask(flow: Flow, step: AskStep, state: FlowState, out: Out): void {
  state.step = step.id;
  state.status = 'running';
  const m = question(flow, step, state);
  out.messages.push(m);
}

/** Runs steps from `from` until a question waits or the flow ends. */
function run(flow: Flow, state: FlowState, from: string | undefined, out: Out): void {
  let id = from;
  for (let guard = 0; guard < 1000; guard++) {
    const step = id === undefined ? undefined : stepById(flow, id);
    if (!step) return complete(flow, state, out);
    switch (step.type) {
      case 'say':
        // Command buttons are global (`cmd:…`): they work anywhere, even after the flow ended.
        out.say(
          step.text,
          step.commands?.map((c) => ({ id: `cmd:${c.command}`, label: c.label })),
        );
        id = nextOf(flow, step);
        break;
      case 'set':
        state.answers[step.field] = { value: step.value };
        id = nextOf(flow, step);
        break;
      case 'branch': {
        const hit = step.cases.find((c) => holds(c.when, state.answers));
        id = hit ? hit.goto : (step.else ?? nextOf(flow, step));
        break;
      }
      case 'action':
        out.events.push({ type: 'flow_step', data: { flow: flow.id, step: step.id } });
        if (step.text) out.say(step.text);
        out.actions.push({ type: step.action, step: step.id });
        state.step = step.id;
        if (step.action === 'card') state.cardStep = step.id;
        if (step.action === 'end') return complete(flow, state, out);
        id = nextOf(flow, step);
        break;
      case 'ask':
        out.events.push({ type: 'flow_step', data: { flow: flow.id, step: step.id } });
        return ask(flow, step, state, out);
    }
  }
  throw new Error(`flow ${flow.id}: more than 1000 steps without a question (a loop?)`);
}

function complete(flow: Flow, state: FlowState, out: Out): void {
  state.status = 'done';
  state.editing = undefined;
  if (!state.completed) out.events.push({ type: 'flow_completed', data: { flow: flow.id } });
  state.completed = true;
}

function fresh(flow: Flow, now: Date, given: Record<string, AnswerValue> = {}): FlowState {
  const at = now.toISOString();
  // Only the facts the flow declares in `given` are taken.
  const answers: Record<string, Answer> = {};
  for (const field of flow.given) if (given[field] !== undefined) answers[field] = { value: given[field]! };
  return { flow: flow.id, version: flow.version, status: 'running', step: flow.steps[0]!.id, answers, history: [], misses: 0, startedAt: at, updatedAt: at };
}

/**
 * Starts a flow from its first step. `given` holds facts the caller knows (only the fields the flow
 * declares in `given` are used); they are answers from the start, so branches can test them.
 */
export function start(flow: Flow, ctx: EngineContext, given?: Record<string, AnswerValue>): EngineResult {
  const out = new Out();
  const state = fresh(flow, ctx.now, given);
  out.events.push({ type: 'flow_started', data: { flow: flow.id } });
  run(flow, state, flow.steps[0]!.id, out);
  return out.result(state);
}

/** The facts a run was started with, to start it again with the same ones. */
function givenOf(flow: Flow, state: FlowState): Record<string, AnswerValue> {
  return Object.fromEntries(flow.given.filter((g) => state.answers[g]).map((g) => [g, state.answers[g]!.value]));
}

/** Whether a stored run is too old to continue (the caller then starts a new one). */
export function isExpired(flow: Flow, state: FlowState, now: Date): boolean {
  return now.getTime() - Date.parse(state.updatedAt) > flow.expiresAfterHours * HOUR;
}

/** Whether coming back now should first ask "Continue where you left off?". */
export function shouldAskToContinue(flow: Flow, state: FlowState, now: Date): boolean {
  if (state.status === 'paused') return true;
  return state.status === 'running' && now.getTime() - Date.parse(state.updatedAt) > flow.askToContinueAfterHours * HOUR;
}

/** The "Continue where you left off?" question for a paused or idle run. */
export function continuePrompt(flow: Flow, state: FlowState): EngineMessage {
  return {
    text: k('continueAsk'),
    vars: { done: state.history.length },
    choices: [
      { id: ids.continue, label: k('continue') },
      { id: ids.restart, label: k('restart') },
    ],
  };
}

/** Continues a run with the person's input. */
export function resume(flow: Flow, prior: FlowState, input: EngineInput, ctx: EngineContext): EngineResult {
  const out = new Out();
  if (prior.flow !== flow.id || prior.version !== flow.version || isExpired(flow, prior, ctx.now)) {
    // The flow changed or the run expired: say so and start again, nothing half-matched.
    out.events.push({ type: 'flow_abandoned', data: { flow: flow.id, step: prior.step, reason: prior.version !== flow.version ? 'changed' : 'expired' } });
    out.say(k('expired'));
    const restarted = start(flow, ctx, givenOf(flow, prior));
    return { ...restarted, messages: [...out.messages, ...restarted.messages], events: [...out.events, ...restarted.events] };
  }
  const state: FlowState = structuredClone(prior);
  const idle = shouldAskToContinue(flow, state, ctx.now);
  state.updatedAt = ctx.now.toISOString();

  if (input.type === 'control' && input.control === 'restart') {
    out.events.push({ type: 'flow_abandoned', data: { flow: flow.id, step: state.step, reason: 'restart' } });
    const restarted = start(flow, ctx, givenOf(flow, prior));
    return { ...restarted, events: [...out.events, ...restarted.events] };
  }
  if (input.type === 'edit') {
    const target = stepById(flow, input.step);
    if (!target || target.type !== 'ask' || !target.card) return out.result(state);
    state.editing = state.cardStep;
    state.picked = undefined;
    state.misses = 0;
    ask(flow, target, state, out);
    return out.result(state);
  }
  if (state.status === 'done' || state.status === 'stopped') return out.result(state);
  if (input.type === 'continue' || (idle && !(input.type === 'control' && input.control === 'stop'))) {
    if (input.type !== 'continue') {
      state.status = 'paused';
      out.messages.push(continuePrompt(flow, state));
      return out.result(state);
    }
    const step = stepById(flow, state.step);
    if (step?.type === 'ask') ask(flow, step, state, out);
    else run(flow, state, state.step, out);
    return out.result(state);
  }

  const step = stepById(flow, state.step);
  if (!step || step.type !== 'ask') {
    run(flow, state, step ? nextOf(flow, step) : undefined, out);
    return out.result(state);
  }

  if (input.type === 'control') {
    switch (input.control) {
      case 'pause':
        state.status = 'paused';
        out.say(k('paused'));
        return out.result(state);
      case 'stop':
        state.status = 'stopped';
        out.events.push({ type: 'flow_abandoned', data: { flow: flow.id, step: step.id, reason: 'stop' } });
        out.say(k('stopped'));
        return out.result(state);
      case 'back': {
        const prev = state.editing ? undefined : state.history.pop();
        if (!prev) {
          out.say(k('noBack'));
          ask(flow, step, state, out);
          return out.result(state);
        }
        delete state.answers[step.field];
        const target = stepById(flow, prev) as AskStep;
        delete state.answers[target.field];
        state.picked = undefined;
        state.misses = 0;
        ask(flow, target, state, out);
        return out.result(state);
      }
      case 'skip':
        if (!step.skippable) {
          out.say(k('noSkip'));
          ask(flow, step, state, out);
          return out.result(state);
        }
        return accept(flow, step, state, { value: null }, out);
      case 'done':
        if (step.kind !== 'multi') break;
        if (state.picked?.length) return accept(flow, step, state, { value: state.picked }, out);
        if (step.skippable) return accept(flow, step, state, { value: null }, out);
        return miss(flow, step, state, 'multi', out);
    }
  }

  const answer = interpret(step, state, input, ctx);
  if (answer === 'picked') {
    ask(flow, step, state, out);
    return out.result(state);
  }
  if ('miss' in answer) return miss(flow, step, state, answer.miss, out);
  return accept(flow, step, state, answer, out);
}

type Interpretation = Answer | { miss: string } | 'picked';

const splitter = /\s*(?:[,;،、\n]|\band\b|\be\b|\bet\b|\by\b)\s*/u;

/** Turns the input into an answer for the question, or says why it does not fit. */
function interpret(step: AskStep, state: FlowState, input: EngineInput, ctx: EngineContext): Interpretation {
  const optionValues = (step.options ?? []).map((o) => o.value);
  const byLabel = (text: string): string | undefined => {
    const t = normalizeForMatch(text);
    if (!t || !ctx.label) return undefined;
    return step.options?.find((o) => normalizeForMatch(ctx.label!(o.label)) === t || o.value === t)?.value;
  };
  switch (step.kind) {
    case 'text':
      return input.type === 'text' && input.text.trim() ? { value: 'text', text: input.text.trim() } : { miss: 'text' };
    case 'yesno': {
      if (input.type === 'option' && (input.value === 'yes' || input.value === 'no')) return { value: input.value === 'yes' };
      if (input.type === 'text') {
        const t = normalizeForMatch(input.text);
        for (const kind of ['yes', 'no'] as const) {
          if ((ctx.words?.(kind) ?? [kind]).some((w) => normalizeForMatch(w) === t)) return { value: kind === 'yes' };
        }
      }
      return { miss: 'yesno' };
    }
    case 'number': {
      if (input.type !== 'text') return { miss: 'number' };
      const m = toWesternDigits(input.text).match(/-?\d+(?:[.,]\d+)?/);
      if (!m) return { miss: 'number' };
      const n = Number(m[0].replace(',', '.'));
      if ((step.min !== undefined && n < step.min) || (step.max !== undefined && n > step.max)) return { miss: 'numberRange' };
      return { value: n };
    }
    case 'location':
      if (input.type === 'location') return { value: { lat: input.lat, lng: input.lng } };
      if (input.type === 'text' && step.freeText && input.text.trim()) return { value: 'place', text: input.text.trim() };
      return { miss: 'location' };
    case 'choice':
    case 'district': {
      if (input.type === 'option' && optionValues.includes(input.value)) return { value: input.value };
      if (input.type === 'location' && step.kind === 'district') return { value: { lat: input.lat, lng: input.lng } };
      if (input.type === 'text') {
        const hit = byLabel(input.text);
        if (hit) return { value: hit };
        if (step.freeText && input.text.trim()) return { value: 'other', text: input.text.trim() };
      }
      return { miss: step.kind };
    }
    case 'multi': {
      if (input.type === 'option' && optionValues.includes(input.value)) {
        const picked = new Set(state.picked ?? []);
        if (picked.has(input.value)) picked.delete(input.value);
        else picked.add(input.value);
        state.picked = optionValues.filter((v) => picked.has(v));
        return 'picked';
      }
      if (input.type === 'text' && input.text.trim()) {
        const values = new Set(state.picked ?? []);
        // A whole label first (labels may hold commas: "Training, a course"), then comma-separated parts.
        const whole = byLabel(input.text);
        if (whole) return { value: optionValues.filter((v) => values.has(v) || v === whole) };
        const own: string[] = [];
        for (const part of input.text.split(splitter).filter((p) => p.trim())) {
          const hit = byLabel(part);
          if (hit) values.add(hit);
          else own.push(part.trim());
        }
        if (own.length && !step.freeText) return { miss: 'multi' };
        if (own.length) values.add('other');
        const value = [...optionValues, 'other'].filter((v) => values.has(v));
        return own.length ? { value, text: own.join(', ') } : { value };
      }
      return { miss: 'multi' };
    }
  }
}

function toWesternDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9\u09E6-\u09EF]/g, (d) => {
    const c = d.charCodeAt(0);
    const zero = c >= 0x09e6 ? 0x09e6 : c >= 0x06f0 ? 0x06f0 : 0x0660;
    return String(c - zero);
  });
}

function accept(flow: Flow, step: AskStep, state: FlowState, answer: Answer, out: Out): EngineResult {
  state.answers[step.field] = answer;
  state.misses = 0;
  state.picked = undefined;
  if (step.insight) {
    const v = answer.value;
    const safe = v === null ? 'skipped' : Array.isArray(v) ? v.join('+') : typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : 'given';
    out.events.push({ type: 'flow_answer', data: { flow: flow.id, field: step.field, value: safe } });
  }
  if (state.editing) {
    recomputeAndShowCard(flow, state, state.editing, out);
    return out.result(state);
  }
  state.history.push(step.id);
  run(flow, state, nextOf(flow, step), out);
  return out.result(state);
}

/**
 * After a correction from the card: re-run the silent steps between the last question and the card
 * (branches and set fields, e.g. the support level), then show the card again — no messages, no
 * second round of matches.
 */
function recomputeAndShowCard(flow: Flow, state: FlowState, cardStep: string, out: Out): void {
  state.editing = undefined;
  const ci = flow.steps.findIndex((s) => s.id === cardStep);
  let i = ci - 1;
  while (i >= 0 && flow.steps[i]!.type !== 'ask') i--;
  let id: string | undefined = flow.steps[i + 1]?.id;
  for (let guard = 0; guard < 1000 && id !== undefined && id !== cardStep; guard++) {
    const step: Step | undefined = stepById(flow, id);
    if (!step || step.type === 'ask') break;
    if (step.type === 'set') state.answers[step.field] = { value: step.value };
    id = step.type === 'branch' ? (step.cases.find((c) => holds(c.when, state.answers))?.goto ?? step.else ?? nextOf(flow, step)) : nextOf(flow, step);
  }
  state.step = cardStep;
  out.actions.push({ type: 'card', step: cardStep });
  complete(flow, state, out);
}

function miss(flow: Flow, step: AskStep, state: FlowState, kind: string, out: Out): EngineResult {
  state.misses += 1;
  out.say(k(`invalid.${kind}`));
  if (state.misses >= 2) {
    // Two misses in a row: a person may help better than a third try.
    out.say(k('offerHuman'));
    out.actions.push({ type: 'offer_human' });
  }
  ask(flow, step, state, out);
  return out.result(state);
}
