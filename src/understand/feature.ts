/**
 * The understanding step's own answers (choice prefix `und`): a greeting or thanks in the middle of a
 * conversation, the honest answer to out-of-scope questions (papers, housing, health, money, jobs:
 * "I can't advise on that", a person, and what the directory has on it), and the clarifying question
 * when the bot is unsure — whose buttons always include "Shape my idea" and "Talk to a person".
 * Registered last: its `other` handler answers whatever nobody else could.
 */
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import type { Choice } from '../core/types.js';
import { offerPerson } from '../handoff/handoff.js';
import type { TopicTag } from '../knowledge/content.js';
import { outOfScope, type Intent, type OutOfScope, type Understanding } from './intents.js';

export interface UnderstandFeatureDeps {
  /** Lists upcoming events on some topics with a heading; false (nothing said) when there are none. */
  eventsAbout?: (turn: Turn, topics: TopicTag[], heading: string) => Promise<boolean>;
}

/** Which events from the directory can help with an out-of-scope question. */
const helpfulTopics: Record<OutOfScope, TopicTag[]> = {
  oos_papers: ['legal_info'],
  oos_jobs: ['jobs'],
  oos_housing: [],
  oos_health: [],
  oos_money: [],
};

/** The button that does what an intent asks (for the clarifying question). */
function choiceFor(turn: Turn, intent: Intent): Choice | undefined {
  const t = turn.t;
  switch (intent) {
    case 'find_space':
      return { id: 'know:spaces', label: t('core:menu.spaces') };
    case 'events':
      return { id: 'know:events', label: t('core:menu.events') };
    case 'explain':
      return { id: 'know:explain', label: t('core:menu.explain') };
    case 'language':
      return { id: 'cmd:language', label: t('core:menu.language') };
    case 'privacy_info':
    case 'privacy_export':
    case 'privacy_delete':
      return { id: 'cmd:privacy', label: t('understand:buttons.privacy') };
    case 'subscribe':
      return { id: 'bc:my', label: t('understand:buttons.news') };
    case 'unsubscribe':
      return { id: 'cmd:stop', label: t('understand:buttons.stop') };
    case 'oos_papers':
    case 'oos_housing':
    case 'oos_health':
    case 'oos_money':
    case 'oos_jobs':
      return { id: `und:${intent}`, label: t(`understand:buttons.${intent}`) };
    default:
      return undefined; // incubation and human are always there; greeting, thanks, menu, other need no button
  }
}

export function understandFeature(deps: UnderstandFeatureDeps = {}): Feature {
  async function outOfScopeAnswer(turn: Turn, intent: OutOfScope): Promise<void> {
    turn.event('out_of_scope', { intent });
    turn.say({
      text: turn.t(`understand:oos.${intent}`),
      choices: [
        { id: 'cmd:human', label: turn.t('core:menu.human') },
        { id: 'cmd:menu', label: turn.t('core:menu.menu') },
      ],
    });
    const topics = helpfulTopics[intent];
    if (topics.length && deps.eventsAbout) await deps.eventsAbout(turn, topics, turn.t('understand:oos.events'));
  }

  /** Not sure what the person wants: ask, with the likeliest readings as buttons, and always a person. */
  function clarify(turn: Turn, u: Understanding): void {
    if (turn.misses >= 1) {
      offerPerson(turn, [{ id: 'flow:incubation', label: turn.t('core:menu.project') }]);
      return;
    }
    turn.event('not_understood', { kind: turn.content.type });
    const guesses = [u, ...u.alternatives]
      .filter((a) => a.intent !== 'other' && a.confidence >= 0.15)
      .map((a) => choiceFor(turn, a.intent))
      .filter((c): c is Choice => !!c)
      .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
      .slice(0, 2);
    turn.say({
      text: turn.t(guesses.length ? 'understand:clarify' : 'core:notUnderstood'),
      choices: [...guesses, { id: 'flow:incubation', label: turn.t('core:menu.project') }, { id: 'cmd:human', label: turn.t('core:menu.human') }, { id: 'cmd:menu', label: turn.t('core:menu.menu') }],
    });
  }

  const intents: Feature['intents'] = {
    greeting: async (turn) => {
      turn.say({ text: turn.t('understand:greeting'), choices: turn.menuChoices() });
      return true;
    },
    thanks: async (turn) => {
      turn.say({ text: turn.t('understand:thanks'), choices: [{ id: 'cmd:menu', label: turn.t('core:menu.menu') }] });
      return true;
    },
    other: async (turn, u) => {
      clarify(turn, u);
      return true;
    },
  };
  for (const intent of outOfScope) intents[intent] = async (turn) => (await outOfScopeAnswer(turn, intent), true);

  return {
    name: 'understand',
    // Last: the out-of-scope answers and the clarifying question when nobody else could answer.
    phase: FeaturePhase.clarify,
    prefixes: ['und'],
    intents,
    async onChoice(turn, id) {
      const intent = id.slice(4);
      if ((outOfScope as readonly string[]).includes(intent)) return outOfScopeAnswer(turn, intent as OutOfScope);
      turn.say({ text: turn.t('core:whatCanIDo'), choices: turn.menuChoices() });
    },
  };
}
