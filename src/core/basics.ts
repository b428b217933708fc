/**
 * What every conversation needs before any capability: the first greeting, the menu, help, the
 * language picker, and honest answers to content the bot cannot read (voice, pictures, stickers).
 */
import { languages, getLanguage } from '../i18n/languages.js';
import { normalizeForMatch } from './text.js';
import type { Feature, Turn } from './feature.js';
import type { Choice } from './types.js';

/** The language picker: each language's name in its own script. */
export function languageChoices(): Choice[] {
  return languages.map((l) => ({ id: `lang:${l.code}`, label: l.nativeName }));
}

function showMenu(turn: Turn): void {
  turn.say({ text: turn.t('core:whatCanIDo'), choices: turn.menuChoices() });
}

/** Matches "English", "english please", "العربية", "українською"… against every language's names. */
function requestedLanguage(text: string): string | undefined {
  const t = normalizeForMatch(text).replace(/\b(please|per favore|por favor|s il vous plait|svp|pls)\b/g, '').trim();
  if (!t || t.length > 40) return undefined;
  for (const l of languages) {
    const names = [l.nativeName, l.englishName, ...l.nativeName.split('/'), ...l.englishName.split('/')].map((n) => normalizeForMatch(n));
    if (names.includes(t)) return l.code;
  }
  return undefined;
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
    const code = id.slice('lang:'.length);
    if (id.startsWith('lang:') && getLanguage(code)) {
      await turn.setLanguage(code, 'explicit');
      turn.event('language_set', { how: 'button' });
      turn.say({ text: turn.t('core:languageSet') });
      showMenu(turn);
      return;
    }
    showMenu(turn);
  },

  async onFirstContact(turn) {
    const c = turn.content;
    const asked = c.type === 'text' ? requestedLanguage(c.text) : undefined;
    if (asked) await turn.setLanguage(asked, 'explicit');
    // A greeting or a command-like first message gets the welcome; a real question goes to the features
    // after a short welcome, so the person's first question is answered, not ignored.
    turn.say({ text: `${turn.t('core:welcome')}\n\n${turn.t('core:privacyNotice')}` });
    const isGreeting = c.type !== 'text' || normalizeForMatch(c.text).split(' ').length <= 2;
    if (isGreeting) {
      showMenu(turn);
      return true;
    }
    return false;
  },

  async onInput(turn) {
    const c = turn.content;
    switch (c.type) {
      case 'text': {
        const code = requestedLanguage(c.text);
        if (!code) return false;
        await turn.setLanguage(code, 'explicit');
        turn.event('language_set', { how: 'text' });
        turn.say({ text: turn.t('core:languageSet') });
        showMenu(turn);
        return true;
      }
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
