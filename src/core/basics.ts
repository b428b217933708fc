/**
 * What every conversation needs before any capability: the menu, help, the language picker, and
 * honest answers to content the bot cannot read (voice, pictures, stickers).
 */
import { languages, getLanguage } from '../i18n/languages.js';
import { FeaturePhase, type Feature, type Turn } from './feature.js';
import type { Choice } from './types.js';

/** The language picker: each language's name in its own script. */
export function languageChoices(): Choice[] {
  return languages.map((l) => ({ id: `lang:${l.code}`, label: l.nativeName }));
}

function showMenu(turn: Turn): void {
  turn.say({ text: turn.t('core:whatCanIDo'), choices: turn.menuChoices() });
}

export const basics: Feature = {
  name: 'core',
  phase: FeaturePhase.core,
  menu: [{ id: 'cmd:language', label: 'core:menu.language', order: 60 }],
  prefixes: ['lang', 'core'],
  commands: {
    menu: async (turn) => {
      turn.setFocus(undefined);
      showMenu(turn);
    },
    help: async (turn) => {
      turn.say({ text: turn.t('core:help'), choices: turn.menuChoices() });
    },
    language: async (turn) => {
      turn.say({ text: turn.t('core:languageAsk'), choices: languageChoices() });
    },
  },

  // The first greeting is the onboarding flow (flows/onboarding.yaml, run by the flow feature).
  intents: {
    menu: async (turn) => {
      turn.setFocus(undefined);
      showMenu(turn);
      return true;
    },
    language: async (turn, u) => {
      const code = u.entities.requested_language;
      if (code && getLanguage(code)) await turn.choose(`lang:${code}:text`);
      else turn.say({ text: turn.t('core:languageAsk'), choices: languageChoices() });
      return true;
    },
  },

  async onChoice(turn, id) {
    if (id === 'core:stale') {
      turn.say({ text: turn.t('core:staleChoice'), choices: turn.menuChoices() });
      return;
    }
    // `lang:<code>` is the picker's button; `lang:<code>:text` is a request written in words (the router).
    const [prefix, code, how] = id.split(':');
    if (prefix === 'lang' && code && getLanguage(code)) {
      turn.setLanguage(code);
      turn.event('language_set', { how: how === 'text' ? 'text' : 'button' });
      turn.say({ text: turn.t('core:languageSet') });
      if (turn.conversation.mode === 'bot') showMenu(turn); // while a person answers, no bot menu
      return;
    }
    showMenu(turn);
  },

  async onInput(turn) {
    const c = turn.content;
    switch (c.type) {
      case 'voice':
        turn.say({ text: turn.t('core:media.voice'), choices: turn.menuChoices() });
        return true;
      case 'image':
      case 'document':
        turn.say({ text: turn.t(`core:media.${c.type}`), choices: turn.menuChoices() });
        return true;
      case 'sticker':
        turn.say({ text: turn.t('core:media.sticker'), choices: turn.menuChoices() });
        return true;
      case 'unsupported':
        turn.say({ text: turn.t('core:media.unsupported'), choices: turn.menuChoices() });
        return true;
      default:
        return false;
    }
  },
};
