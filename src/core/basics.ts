/**
 * What every conversation needs before any capability: the first greeting, the menu, help, the
 * language picker, and honest answers to content the bot cannot read (voice, pictures, stickers).
 */
import { languages, getLanguage } from '../i18n/languages.js';
import { requestedLanguage } from '../i18n/names.js';
import { words } from './text.js';
import type { Feature, Turn } from './feature.js';
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

  async onChoice(turn, id) {
    if (id === 'core:stale') {
      turn.say({ text: turn.t('core:staleChoice'), choices: turn.menuChoices() });
      return;
    }
    // `lang:<code>` is the picker's button; `lang:<code>:text` is a request written in words (the router).
    const [prefix, code, how] = id.split(':');
    if (prefix === 'lang' && code && getLanguage(code)) {
      await turn.setLanguage(code, 'explicit');
      turn.event('language_set', { how: how === 'text' ? 'text' : 'button' });
      turn.say({ text: turn.t('core:languageSet') });
      if (turn.conversation.mode === 'bot') showMenu(turn); // while a person answers, no bot menu
      return;
    }
    showMenu(turn);
  },

  async onFirstContact(turn) {
    const c = turn.content;
    const asked = c.type === 'text' ? requestedLanguage(c.text) : undefined;
    if (asked) await turn.setLanguage(asked, 'explicit');
    // The language was told (asked for, platform hint, or detected): welcome in it, with a one-tap way
    // to change it. It could not be told ("👍", a sticker): welcome in the default language, then the
    // picker with every language's name in its own script.
    const known = !!turn.person.languageSource;
    const welcome = `${turn.t('core:welcome')}\n\n${turn.t('core:privacyNotice')}`;
    const isGreeting = c.type !== 'text' || words(c.text, turn.lang).length <= 2; // segmenter: Chinese has no spaces
    if (!known) {
      turn.say({ text: welcome });
      turn.say({ text: turn.t('core:languageAsk'), choices: languageChoices() });
      return isGreeting;
    }
    // A greeting or a command-like first message gets the menu (its "Language" button is the one tap
    // to change a guessed language); a real question goes to the features after the welcome, so it is
    // answered, not ignored, and the welcome itself carries the button.
    if (isGreeting) {
      turn.say({ text: welcome });
      showMenu(turn);
      return true;
    }
    turn.say({ text: welcome, choices: asked ? undefined : [{ id: 'cmd:language', label: turn.t('core:languageChange') }] });
    return false;
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
