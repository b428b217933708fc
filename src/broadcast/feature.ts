/**
 * Subscriptions, for people: "all events", following a space (from its card), topics and area (the
 * subscriptions flow), "my subscriptions" to see and change them, and the global `stop` command,
 * which ends every subscription at once and says so. Choice ids: `bc:stop`, `bc:my`, `bc:all:on|off`,
 * `bc:follow:<space>`, `bc:unfollow:<space>`.
 */
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import { normalizeForMatch } from '../core/text.js';
import type { Choice } from '../core/types.js';
import { formatterFor } from '../i18n/format.js';
import type { Translate, Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import type { BroadcastStore } from '../storage/broadcast-store.js';

/** Topic values of the subscriptions flow and the translation keys of their labels. */
const topicLabel: Record<string, string> = {
  networking: 'flows:sub.topics.networking',
  courses: 'flows:sub.topics.courses',
  italian: 'flows:sub.topics.italian',
  jobs: 'flows:sub.topics.jobs',
  digital: 'flows:inc.topic.digital',
  culture: 'flows:inc.topic.culture',
};

export interface SubscriptionDeps {
  store: BroadcastStore;
  translator: Translator;
  /** A space's name for people (the knowledge feature); undefined when unknown. */
  spaceName?: (spaceId: string, lang: string) => Promise<string | undefined>;
}

/** The "follow this space" button for a space card. */
export function followChoice(spaceId: string, t: Translate): Choice {
  return { id: `bc:follow:${spaceId}`, label: t('broadcast:followButton') };
}

export function subscriptionsFeature(deps: SubscriptionDeps): Feature {
  const { store } = deps;
  // "my subscriptions" in every language works for everyone, like the global commands.
  const myWords = new Set<string>();
  for (const lang of languageCodes) for (const w of deps.translator.list(lang, 'broadcast:words.my')) myWords.add(normalizeForMatch(w));

  const nameOf = async (spaceId: string, lang: string) => (await deps.spaceName?.(spaceId, lang)) ?? spaceId;

  async function describe(personId: string, t: Translate, lang: string): Promise<string[]> {
    const lines: string[] = [];
    const follows = await store.follows(personId);
    if (follows.some((f) => f.kind === 'all')) lines.push(t('broadcast:my.all'));
    for (const f of follows.filter((f) => f.kind === 'space')) lines.push(t('broadcast:my.space', { name: await nameOf(f.value, lang) }));
    const sub = await store.flowSubscription(personId);
    if (sub?.topics.length) lines.push(t('broadcast:my.topics', { list: formatterFor(lang).list(sub.topics.map((v) => (topicLabel[v] ? t(topicLabel[v]) : v))) }));
    if (sub?.district) lines.push(t('broadcast:my.district', { name: t(`flows:inc.district.${sub.district}`) }));
    return lines;
  }

  async function showMine(turn: Turn): Promise<void> {
    const { t } = turn;
    const lines = await describe(turn.person.id, t, turn.lang);
    const follows = await store.follows(turn.person.id);
    const choices: Choice[] = [];
    choices.push(follows.some((f) => f.kind === 'all') ? { id: 'bc:all:off', label: t('broadcast:btn.allOff') } : { id: 'bc:all:on', label: t('broadcast:btn.allOn') });
    choices.push({ id: 'flow:subscriptions', label: t('broadcast:btn.change') });
    for (const f of follows.filter((f) => f.kind === 'space')) {
      choices.push({ id: `bc:unfollow:${f.value}`, label: t('broadcast:btn.unfollow', { name: await nameOf(f.value, turn.lang) }) });
    }
    if (lines.length > 0) choices.push({ id: 'bc:stop', label: t('broadcast:btn.stopAll') });
    choices.push({ id: 'cmd:menu', label: t('core:menu.menu') });
    const text = lines.length ? `${t('broadcast:my.title')}\n${lines.map((l) => `• ${l}`).join('\n')}` : t('broadcast:my.none');
    turn.say({ text, choices });
  }

  async function stop(turn: Turn): Promise<void> {
    await store.stopAll(turn.person.id, turn.now);
    turn.event('unsubscribed', { via: 'stop' });
    turn.say({
      text: turn.t('broadcast:stopped'),
      choices: [
        { id: 'bc:my', label: turn.t('broadcast:myButton') },
        { id: 'cmd:menu', label: turn.t('core:menu.menu') },
      ],
    });
  }

  return {
    name: 'broadcast',
    // Before the content's answers: "my subscriptions" is a request to this feature, not a question to search.
    phase: FeaturePhase.requests,
    prefixes: ['bc'],
    commands: { stop },
    intents: {
      // "tell me when there are events": what they follow now, with one tap to follow all events.
      subscribe: async (turn) => (await showMine(turn), true),
      unsubscribe: async (turn) => (await stop(turn), true),
    },

    async onChoice(turn, id) {
      const [, action, ...rest] = id.split(':');
      const arg = rest.join(':');
      const { t } = turn;
      const back = [
        { id: 'bc:my', label: t('broadcast:myButton') },
        { id: 'cmd:menu', label: t('core:menu.menu') },
      ];
      switch (action) {
        case 'stop':
          return stop(turn);
        case 'my':
          return showMine(turn);
        case 'all':
          if (arg === 'on') {
            await store.follow(turn.person.id, 'all', '', turn.now);
            turn.event('subscribed', { via: 'all' });
            turn.say({ text: t('broadcast:allOn'), choices: back });
          } else {
            await store.unfollow(turn.person.id, 'all', '');
            turn.say({ text: t('broadcast:allOff'), choices: back });
          }
          return;
        case 'follow':
          if (arg) {
            await store.follow(turn.person.id, 'space', arg, turn.now);
            turn.event('subscribed', { via: 'space' });
            turn.say({ text: t('broadcast:followed', { name: await nameOf(arg, turn.lang) }), choices: back });
            return;
          }
          break;
        case 'unfollow':
          if (arg) {
            await store.unfollow(turn.person.id, 'space', arg);
            turn.say({ text: t('broadcast:unfollowed', { name: await nameOf(arg, turn.lang) }), choices: back });
            return;
          }
          break;
      }
      return showMine(turn);
    },

    /** `/start follow_<space>` (a poster's QR code): follow that space straight away. */
    async onDeepLink(turn, payload) {
      const m = /^follow_([a-z0-9_-]{1,40})$/i.exec(payload);
      if (!m) return false;
      await store.follow(turn.person.id, 'space', m[1]!, turn.now);
      turn.event('subscribed', { via: 'space' });
      turn.say({
        text: turn.t('broadcast:followed', { name: await nameOf(m[1]!, turn.lang) }),
        choices: [
          { id: 'bc:my', label: turn.t('broadcast:myButton') },
          { id: 'cmd:menu', label: turn.t('core:menu.menu') },
        ],
      });
      return true;
    },

    async onInput(turn) {
      const c = turn.content;
      if (c.type !== 'text' || !myWords.has(normalizeForMatch(c.text))) return false;
      await showMine(turn);
      return true;
    },

    async exportData(personId, t) {
      const lines = await describe(personId, t, 'en');
      return lines.length ? [t('broadcast:export', { list: lines.join('; ') })] : [];
    },
  };
}
