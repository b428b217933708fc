/**
 * The flow feature: runs flows (the project interview, subscriptions, onboarding) for a person. It
 * owns the choice prefix `flow` (`flow:incubation` starts the interview), keeps the engine state with
 * `turn.setState('flows', …)`, takes free text while a flow runs (`turn.setFocus('flows')`), and
 * performs the engine's actions: the project card, matches, subscribing, handing off to a person.
 */
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import { normalizeForMatch, words as wordsOf } from '../core/text.js';
import type { Choice } from '../core/types.js';
import { formatterFor } from '../i18n/format.js';
import type { Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import { requestedLanguage } from '../i18n/names.js';
import type { FlowStore } from '../storage/flow-store.js';
import type { Store } from '../storage/store.js';
import type { Llm } from '../llm/client.js';
import type { Logger } from '../logger.js';
import { cardSteps, criteriaOf, renderCard, supportLevelOf, textIn } from './card.js';
import { continuePrompt, isExpired, resume, start, type Control, type EngineContext, type EngineInput, type EngineMessage, type EngineResult, type FlowState } from './engine.js';
import type { Flow } from './format.js';
import { noMatches, type MatchProvider } from './matches.js';
import { summaryData, writeSummary, type CardSummary } from './summary.js';

export const FEATURE = 'flows';
/** The flow a brand-new person's first message starts (`flows/onboarding.yaml`). */
export const ONBOARDING = 'onboarding';

/** What the feature keeps per person. */
interface FlowsState {
  /** One run per flow (finishing the subscriptions flow must not lose the project interview). */
  runs?: Record<string, FlowState>;
  /** The run that takes the person's answers. */
  active?: string;
  /** The language the run speaks (a detected language never switches it mid-interview). */
  lang?: string;
}

export interface FlowFeatureDeps {
  flows: Map<string, Flow>;
  store: Store;
  flowStore: FlowStore;
  translator: Translator;
  matches?: MatchProvider;
  /**
   * The configured model: with it, the card opens with a summary the model writes from the answers
   * (checked, marked as machine-written). Without it, the card is assembled from templates only.
   */
  llm?: Llm;
  log?: Logger;
  /** The time zone event times are shown in: the configured one (`server.timezone`, TIMEZONE). */
  timezone: string;
}

/** The flow feature (the project interview); its match provider is given when it is built. */
export type FlowFeature = Feature;

/** First messages the onboarding answers by itself (they ask for nothing else). */
const asksForNothing = new Set<string>(['greeting', 'thanks', 'menu']);

/** Typed words that act as controls inside a flow, from `flows:words.*` in every language. */
const controlWords: Control[] = ['back', 'skip', 'restart', 'pause', 'stop', 'done'];

export function createFlowFeature(deps: FlowFeatureDeps): FlowFeature {
  const matches = deps.matches ?? noMatches;
  // Control words per language: only the person's language and English count, so an ordinary
  // answer in one language is never taken for a command word of another.
  const words = new Map<string, Map<string, Control | 'continue'>>();
  for (const lang of languageCodes) {
    const map = new Map<string, Control | 'continue'>();
    for (const c of [...controlWords, 'continue' as const]) {
      for (const w of deps.translator.list(lang, `flows:words.${c}`)) {
        const key = normalizeForMatch(w);
        if (key && !map.has(key)) map.set(key, c);
      }
    }
    words.set(lang, map);
  }
  const wordFor = (lang: string, text: string): Control | 'continue' | undefined => {
    const key = normalizeForMatch(text);
    return words.get(lang)?.get(key) ?? words.get('en')?.get(key);
  };

  const ctxOf = (turn: Turn): EngineContext => ({
    now: turn.now,
    label: (text) => textIn(turn.t, turn.lang, text),
    words: (kind) => [...deps.translator.list(turn.lang, `flows:words.${kind}`), ...deps.translator.list('en', `flows:words.${kind}`)],
  });

  const stateOf = (turn: Turn): FlowsState => turn.state<FlowsState>(FEATURE) ?? {};
  const activeRun = (turn: Turn): FlowState | undefined => {
    const st = stateOf(turn);
    return st.active ? st.runs?.[st.active] : undefined;
  };
  const runOf = (turn: Turn, flowId: string): FlowState | undefined => stateOf(turn).runs?.[flowId];
  /** Stores a run and makes it the active one (or drops it with `undefined`). */
  const saveRun = (turn: Turn, flowId: string, run: FlowState | undefined): void => {
    const st = stateOf(turn);
    const runs = { ...(st.runs ?? {}) };
    if (run) runs[flowId] = run;
    else delete runs[flowId];
    const active = run ? flowId : st.active === flowId ? undefined : st.active;
    turn.setState(FEATURE, { runs, active, lang: turn.lang } satisfies FlowsState);
  };

  function say(turn: Turn, m: EngineMessage, extra: Choice[] = []): void {
    const choices = (m.choices ?? []).map((c) => ({ id: c.id, label: `${c.selected ? '✓ ' : ''}${textIn(turn.t, turn.lang, c.label)}` }));
    const all = [...choices, ...extra];
    turn.say({ text: textIn(turn.t, turn.lang, m.text, m.vars), ...(all.length ? { choices: all } : {}) });
  }

  /** Stores the engine's result, says its messages and performs its actions. */
  async function apply(turn: Turn, flow: Flow, result: EngineResult): Promise<void> {
    saveRun(turn, flow.id, result.state);
    for (const e of result.events) turn.event(e.type, e.data);
    const offerHuman = result.actions.some((a) => a.type === 'offer_human');
    result.messages.forEach((m, i) => {
      const last = i === result.messages.length - 1;
      const ended = result.state.status === 'paused' || result.state.status === 'stopped';
      const extra: Choice[] = [];
      if (last && offerHuman) extra.push({ id: 'cmd:human', label: turn.t('flows:engine.human') });
      if (last && ended && !m.choices?.length) extra.push(...turn.menuChoices());
      say(turn, m, extra);
    });
    turn.setFocus(result.state.status === 'running' ? FEATURE : undefined);
    for (const action of result.actions) {
      switch (action.type) {
        case 'card':
          await saveAndShowCard(turn, flow, result.state);
          break;
        case 'matches':
          await showMatches(turn, result.state);
          break;
        case 'subscribe':
          await deps.flowStore.savePreferences(turn.person.id, flow.id, enumsOnly(result.state), turn.now);
          await deps.store.setConsent(turn.person.id, 'subscriptions', true);
          turn.event('subscribed', { via: flow.id });
          break;
        case 'handoff':
          await turn.command('human');
          break;
        case 'language':
          await turn.command('language');
          break;
        case 'menu':
          await turn.command('menu');
          break;
        case 'end':
          if (cardSteps(flow, result.state.answers).length > 0 && result.state.cardStep) showNextSteps(turn);
          break;
        case 'offer_human':
          break;
      }
    }
  }

  /** The model's summary of the answers, or undefined (no model, or its answer was refused). */
  async function modelSummary(turn: Turn, flow: Flow, state: FlowState): Promise<CardSummary | undefined> {
    if (!deps.llm) return undefined;
    const spaces = await matches.spaces(criteriaOf(state.answers, turn.lang)).catch(() => []);
    const data = summaryData(
      flow,
      state.answers,
      turn.t,
      turn.lang,
      spaces.map((s) => s.name),
    );
    const res = await writeSummary(deps.llm, data, turn.lang, matches.spaceNames?.() ?? []);
    if (res.ok) return res.value;
    deps.log?.warn({ reason: res.reason }, 'flows: model summary refused; the template card is used');
    return undefined;
  }

  async function saveAndShowCard(turn: Turn, flow: Flow, state: FlowState): Promise<void> {
    const it = deps.translator.for('it');
    const en = deps.translator.for('en');
    const consent = state.answers.consent?.value === true;
    const summary = await modelSummary(turn, flow, state);
    const saved = await deps.flowStore.saveCard(
      {
        personId: turn.person.id,
        flow: flow.id,
        lang: turn.lang,
        stage: typeof state.answers.stage?.value === 'string' ? state.answers.stage.value : null,
        supportLevel: supportLevelOf(state.answers),
        answers: state.answers,
        cardPerson: renderCard(flow, state.answers, turn.t, turn.lang, summary?.person),
        cardIt: renderCard(flow, state.answers, it, 'it', summary?.it),
        cardEn: renderCard(flow, state.answers, en, 'en', summary?.en),
        shareConsent: consent,
        summaryKind: summary ? 'model' : 'template',
      },
      turn.now,
    );
    await deps.store.setConsent(turn.person.id, 'share_project_card', consent);
    turn.event('card_saved', { flow: flow.id, level: supportLevelOf(state.answers), consent, summary: saved.summaryKind });
    showCard(turn, saved.cardPerson);
  }

  function showCard(turn: Turn, text: string): void {
    turn.say({ text });
    turn.say({
      text: turn.t('flows:card.whatNow'),
      choices: [
        { id: 'flow:card:edit', label: turn.t('flows:card.edit') },
        { id: 'flow:card:delete', label: turn.t('flows:card.delete') },
      ],
    });
  }

  async function showMatches(turn: Turn, state: FlowState): Promise<void> {
    const criteria = criteriaOf(state.answers, turn.lang);
    const [spaces, events] = await Promise.all([matches.spaces(criteria), matches.events(criteria, turn.now)]);
    turn.event('matches_shown', { spaces: spaces.length, events: events.length, level: criteria.supportLevel });
    const level = turn.t(`flows:card.level${criteria.supportLevel}`);
    if (spaces.length === 0 && events.length === 0) {
      turn.say({ text: `${turn.t('flows:matches.none')}\n\n${turn.t('flows:matches.askFor', { level })}` });
      return;
    }
    const lines: string[] = [];
    if (spaces.length) lines.push(turn.t('flows:matches.spaces'), ...spaces.slice(0, 5).map((s) => `• ${s.name}${s.why ? ` — ${s.why}` : ''}`));
    if (events.length) {
      const fmt = formatterFor(turn.lang, deps.timezone);
      lines.push('', turn.t('flows:matches.events'), ...events.slice(0, 5).map((e) => `• ${fmt.dateTime(e.startsAt, turn.now)} — ${e.title}${e.spaceName ? ` (${e.spaceName})` : ''}`));
    }
    lines.push('', turn.t('flows:matches.askFor', { level }));
    turn.say({ text: lines.join('\n') });
  }

  function showNextSteps(turn: Turn): void {
    turn.say({
      text: turn.t('flows:card.next'),
      choices: [
        { id: 'flow:card:human', label: turn.t('flows:card.human') },
        { id: 'flow:subscriptions', label: turn.t('flows:card.remind') },
        { id: 'flow:card:later', label: turn.t('flows:card.later') },
      ],
    });
  }

  async function startFlow(turn: Turn, flow: Flow): Promise<void> {
    const prior = activeRun(turn);
    if (prior && prior.flow !== flow.id && prior.status === 'running') {
      turn.event('flow_abandoned', { flow: prior.flow, step: prior.step, reason: 'switched' });
    }
    await apply(turn, flow, start(flow, ctxOf(turn)));
  }

  /** The person asked for a flow (menu button): continue, show their card, or start. */
  async function open(turn: Turn, flow: Flow): Promise<void> {
    const run = runOf(turn, flow.id);
    if (run?.flow === flow.id && !isExpired(flow, run, turn.now) && run.version === flow.version && (run.status === 'running' || run.status === 'paused')) {
      keepLanguage(turn);
      const paused: FlowState = { ...run, status: 'paused' };
      saveRun(turn, flow.id, paused);
      turn.setFocus(undefined);
      say(turn, continuePrompt(flow, paused));
      return;
    }
    if (run?.flow === flow.id && (run.status === 'running' || run.status === 'paused')) {
      turn.event('flow_abandoned', { flow: flow.id, step: run.step, reason: run.version === flow.version ? 'expired' : 'changed' });
    }
    const card = flow.id === 'incubation' ? await deps.flowStore.latestCard(turn.person.id) : undefined;
    if (card) {
      turn.say({ text: card.cardPerson });
      turn.say({
        text: turn.t('flows:card.existing'),
        choices: [
          { id: 'flow:card:edit', label: turn.t('flows:card.edit') },
          { id: 'flow:card:delete', label: turn.t('flows:card.delete') },
          { id: 'flow:go:new', label: turn.t('flows:card.startAgain') },
          { id: 'flow:card:human', label: turn.t('flows:card.human') },
        ],
      });
      return;
    }
    await startFlow(turn, flow);
  }

  /**
   * Answers are short and full of names ("Italian, Tigrinya"), so language detection often guesses
   * wrong on them: inside a run, only an explicit choice changes the language. The flow does not
   * write it: it pins the run's language, and the turn weighs the pin (src/core/turn-language.ts).
   */
  function keepLanguage(turn: Turn): void {
    const { lang } = stateOf(turn);
    if (lang) turn.pinLanguage(lang);
  }

  async function step(turn: Turn, input: EngineInput): Promise<void> {
    keepLanguage(turn);
    const run = activeRun(turn);
    const flow = run ? deps.flows.get(run.flow) : undefined;
    if (!run || !flow) {
      turn.say({ text: turn.t('core:staleChoice'), choices: turn.menuChoices() });
      return;
    }
    const result = resume(flow, run, input, ctxOf(turn));
    if (result.messages.length === 0 && result.actions.length === 0) {
      // An old button of a finished or stopped run: never answer with silence.
      turn.say({ text: turn.t('core:staleChoice'), choices: turn.menuChoices() });
      return;
    }
    await apply(turn, flow, result);
  }

  async function cardChoice(turn: Turn, op: string): Promise<void> {
    const card = await deps.flowStore.latestCard(turn.person.id);
    const flow = deps.flows.get(card?.flow ?? 'incubation');
    switch (op) {
      case 'edit': {
        if (!card || !flow) break;
        // Correct from the stored card (the run may be gone or older): the card's answers are the truth.
        const cardStep = flow.steps.find((s) => s.type === 'action' && s.action === 'card')?.id;
        const prior = runOf(turn, flow.id);
        const base: FlowState =
          prior?.status === 'done'
            ? prior
            : {
                flow: flow.id,
                version: flow.version,
                status: 'done',
                step: cardStep ?? flow.steps[0]!.id,
                history: [],
                misses: 0,
                answers: {},
                completed: true,
                startedAt: turn.now.toISOString(),
                updatedAt: turn.now.toISOString(),
              };
        const run: FlowState = { ...base, answers: card.answers as FlowState['answers'], cardStep, updatedAt: turn.now.toISOString() };
        saveRun(turn, flow.id, run);
        const steps = cardSteps(flow, run.answers);
        turn.say({
          text: turn.t('flows:card.editWhich'),
          choices: steps.map((s) => ({ id: `flow:e:${s.id}`, label: textIn(turn.t, turn.lang, s.card!) })),
        });
        return;
      }
      case 'delete':
        if (!card) break;
        turn.say({
          text: turn.t('flows:card.deleteAsk'),
          choices: [
            { id: 'flow:card:deleteyes', label: turn.t('flows:card.deleteYes') },
            { id: 'flow:card:keep', label: turn.t('flows:card.keep') },
          ],
        });
        return;
      case 'deleteyes': {
        await deps.flowStore.deleteCards(turn.person.id);
        if (card) saveRun(turn, card.flow, undefined);
        await deps.store.setConsent(turn.person.id, 'share_project_card', false);
        turn.event('card_deleted', {});
        turn.say({ text: turn.t('flows:card.deleted'), choices: turn.menuChoices() });
        return;
      }
      case 'keep':
        turn.say({ text: turn.t('flows:card.kept'), choices: turn.menuChoices() });
        return;
      case 'human':
        turn.event('card_handoff', { hasCard: !!card });
        await turn.command('human');
        return;
      case 'later':
        turn.say({ text: turn.t('flows:card.seeYou'), choices: turn.menuChoices() });
        return;
    }
    turn.say({ text: turn.t('flows:card.noCard'), choices: turn.menuChoices() });
  }

  return {
    name: FEATURE,
    phase: FeaturePhase.conversation,
    menu: [{ id: 'flow:incubation', label: 'core:menu.project', order: 40 }],
    prefixes: ['flow'],
    async exportData(personId, t) {
      const card = await deps.flowStore.latestCard(personId);
      return card ? [`${t('flows:card.title')}:\n${card.cardPerson}`] : [];
    },

    /**
     * A brand-new person: the onboarding flow greets them (greeting, privacy line, then the menu or
     * the language picker). A real question as the first message is answered right after by the
     * other features (returns false), so nobody's first question is ignored.
     */
    async onFirstContact(turn) {
      const flow = deps.flows.get(ONBOARDING);
      if (!flow) return false;
      const c = turn.content;
      const asked = c.type === 'text' ? requestedLanguage(c.text) : undefined;
      if (asked) turn.setLanguage(asked);
      // The language was told (asked for, platform hint, or detected) or not ("👍", a sticker).
      const known = !!turn.person.languageSource;
      // The message asks for nothing (a greeting, `/start`, thanks, "what can you do", a sticker):
      // the onboarding answers it. Anything else is answered right after the welcome.
      const intent = (await turn.understand())?.intent;
      const nothing = c.type === 'sticker' || c.type === 'unsupported' || (c.type === 'text' && (intent === undefined ? wordsOf(c.text, turn.lang).length <= 2 : asksForNothing.has(intent)));
      await apply(turn, flow, start(flow, ctxOf(turn), { language_known: known, language_asked: !!asked, question: !nothing }));
      return nothing;
    },

    intents: {
      // "I have an idea", "voglio aprire una sartoria": the interview (or the card, or "continue?").
      incubation: async (turn) => {
        const flow = deps.flows.get('incubation');
        if (!flow) return false;
        await open(turn, flow);
        return true;
      },
    },

    async onChoice(turn, id) {
      const [, kind, arg = ''] = id.split(':');
      if (kind === 'a') return step(turn, { type: 'option', value: arg });
      if (kind === 'x') return step(turn, { type: 'control', control: arg as Control });
      if (kind === 'e') return step(turn, { type: 'edit', step: arg });
      if (kind === 'card') return cardChoice(turn, arg);
      if (kind === 'go') {
        if (arg === 'continue') return step(turn, { type: 'continue' });
        if (arg === 'restart') return step(turn, { type: 'control', control: 'restart' });
        if (arg === 'new') {
          const flow = deps.flows.get('incubation');
          if (flow) return startFlow(turn, flow);
        }
      }
      const flow = kind ? deps.flows.get(kind) : undefined;
      if (flow) return open(turn, flow);
      turn.say({ text: turn.t('core:comingSoon'), choices: turn.menuChoices() });
    },

    async onInput(turn) {
      const run = activeRun(turn);
      if (!run) return false;
      const flow = deps.flows.get(run.flow);
      if (!flow) return false;
      const c = turn.content;
      const word = c.type === 'text' ? wordFor(turn.lang, c.text) : undefined;
      const active = run.status === 'running' || run.status === 'paused';
      if (turn.focus !== FEATURE) {
        // Not in the flow right now (the person went to the menu): only "continue" brings them back.
        if (word === 'continue' && active) {
          await open(turn, flow);
          return true;
        }
        return false;
      }
      if (!active) return false;
      if (word === 'continue') return step(turn, { type: 'continue' }).then(() => true);
      if (word) return step(turn, { type: 'control', control: word }).then(() => true);
      if (c.type === 'text') return step(turn, { type: 'text', text: c.text }).then(() => true);
      if (c.type === 'location') return step(turn, { type: 'location', lat: c.lat, lng: c.lng }).then(() => true);
      return false;
    },
  };
}

/** Only enum answers (no person's own words) for stored preferences. */
function enumsOnly(state: FlowState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, a] of Object.entries(state.answers)) out[field] = a.value;
  return out;
}
