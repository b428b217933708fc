/**
 * Decides who answers a turn: silence while a human owns the conversation (but for a few commands),
 * a deep link, **safety** (the offline check, before anything else), first contact, global commands
 * (they work everywhere, even in the middle of a flow), a language asked by name, the chosen option's
 * feature, the focused feature, every feature's own input (locations, media, exact words), then the
 * **intent** the understanding step read (`src/understand/`): the features that handle it, in order;
 * an unsure reading goes to the `other` handlers, the last of which asks with buttons. Without an
 * understanding step, a plain "I did not understand".
 */
import type { Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import { requestedLanguage } from '../i18n/names.js';
import { UNSURE, type Intent, type Understanding } from '../understand/intents.js';
import { globalCommands, type Feature, type GlobalCommand, type Turn } from './feature.js';
import { normalizeForMatch } from './text.js';

/** Commands a person can still use while a facilitator owns the conversation. */
const allowedDuringHandoff: readonly GlobalCommand[] = ['language', 'stop', 'delete', 'privacy'];
/** Choice prefixes of the buttons those commands offer. */
const choicesDuringHandoff: readonly string[] = ['lang:', 'privacy:'];

export class Router {
  private readonly commandWords = new Map<string, GlobalCommand>();

  constructor(
    private readonly features: readonly Feature[],
    translator: Translator,
  ) {
    // Every language's command words work for everyone: someone writing "menu" in a Persian chat
    // still gets the menu.
    for (const lang of languageCodes) {
      for (const cmd of globalCommands) {
        for (const word of translator.list(lang, `core:commands.${cmd}`)) {
          const key = normalizeForMatch(word);
          if (key && !this.commandWords.has(key)) this.commandWords.set(key, cmd);
        }
      }
    }
  }

  /** A global command the text asks for, if the whole message is one of the command words. */
  commandFor(text: string): GlobalCommand | undefined {
    const key = normalizeForMatch(text.replace(/^\//, ''));
    return this.commandWords.get(key) ?? this.commandWords.get(normalizeForMatch(text));
  }

  async route(turn: Turn): Promise<void> {
    const c = turn.content;
    const command = c.type === 'choice' && c.id.startsWith('cmd:') ? (c.id.slice(4) as GlobalCommand) : c.type === 'text' ? this.commandFor(c.text) : undefined;

    if (turn.conversation.mode !== 'bot') {
      if (command && allowedDuringHandoff.includes(command)) return this.runCommand(turn, command);
      // The buttons those commands offer (language picker, privacy confirmations) work too.
      if (c.type === 'choice' && choicesDuringHandoff.some((p) => c.id.startsWith(p))) return this.choose(turn, c.id);
      for (const f of this.features) if (f.onHumanModeInput) await f.onHumanModeInput(turn);
      return; // a person answers; the bot stays silent
    }

    const payload = turn.inbound.startPayload;
    if (payload) {
      for (const f of this.features) if (f.onDeepLink && (await f.onDeepLink(turn, payload))) return;
    }

    // Someone may be in danger: a person and the emergency numbers first, whatever else is said.
    const u = turn.understanding;
    if (u?.intent === 'safety' && (await this.answerIntent(turn, 'safety', u))) return;

    if (turn.isNewPerson) {
      for (const f of this.features) if (f.onFirstContact && (await f.onFirstContact(turn))) return;
    }

    if (command && (globalCommands as readonly string[]).includes(command)) return this.runCommand(turn, command);

    // "English please", "بالعربية", "українською": switches at once, even in the middle of a flow.
    const asked = c.type === 'text' ? requestedLanguage(c.text) : undefined;
    if (asked) return this.choose(turn, `lang:${asked}:text`);

    if (c.type === 'choice') return this.choose(turn, c.id);

    const focused = turn.focus ? this.features.find((f) => f.name === turn.focus) : undefined;
    if (focused?.onInput && (await focused.onInput(turn))) return;
    for (const f of this.features) {
      if (f === focused || !f.onInput) continue;
      if (await f.onInput(turn)) return;
    }
    const reading = await turn.understand();
    if (reading) {
      if (reading.confidence >= UNSURE && reading.intent !== 'other' && (await this.answerIntent(turn, reading.intent, reading))) return;
      // Unsure, or nobody answered it: the `other` handlers (retrieval, then a question with buttons).
      if (await this.answerIntent(turn, 'other', reading)) return;
    }
    this.notUnderstood(turn);
  }

  /** Asks every feature that handles `intent`, in order, until one answers. */
  async answerIntent(turn: Turn, intent: Intent, u: Understanding): Promise<boolean> {
    for (const f of this.features) {
      const handler = f.intents?.[intent];
      if (handler && (await handler(turn, u))) return true;
    }
    return false;
  }

  async runCommand(turn: Turn, command: GlobalCommand): Promise<void> {
    turn.event('command', { command });
    for (const f of this.features) {
      const handler = f.commands?.[command];
      if (handler) return handler(turn);
    }
    turn.say({ text: turn.t('core:comingSoon'), choices: turn.menuChoices() });
  }

  async choose(turn: Turn, id: string): Promise<void> {
    if (id.startsWith('cmd:')) {
      const cmd = id.slice(4) as GlobalCommand;
      if ((globalCommands as readonly string[]).includes(cmd)) return this.runCommand(turn, cmd);
    }
    const prefix = id.split(':', 1)[0]!;
    const owner = this.features.find((f) => f.prefixes?.includes(prefix));
    if (owner?.onChoice) return owner.onChoice(turn, id);
    turn.say({ text: turn.t('core:comingSoon'), choices: turn.menuChoices() });
  }

  private notUnderstood(turn: Turn): void {
    turn.event('not_understood', { kind: turn.content.type });
    turn.say({ text: turn.t('core:notUnderstood'), choices: turn.menuChoices() });
  }
}
