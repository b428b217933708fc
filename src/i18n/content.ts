/**
 * Content (the coworking explainer, space and event descriptions) carries one field per language.
 * When the person's language is missing, the text comes from the language's fallback chain
 * (`languages.ts`: fa → en → it, uk → en → it — never Russian for Ukrainian) and the feature adds the
 * short note `core:fallbackNote` ("This text is in English.") so the person knows why.
 */
import type { Translate } from './i18n.js';
import { contentChain } from './languages.js';
import { languageName } from './names.js';

/** The text chosen for a reader, the language it is in, and whether it is not the reader's language. */
export interface PickedTranslation {
  text: string;
  lang: string;
  fallback: boolean;
}

/**
 * Picks the text for `lang` from per-language fields (`{ it: "...", en: "...", fa: undefined }`):
 * the reader's language, then its fallback chain, then any language present. Empty or blank fields
 * count as missing. Returns undefined when no field has text.
 *
 * @example
 * pickTranslation({ it: 'Aperto a tutti', en: 'Open to everyone' }, 'uk');
 * // → { text: 'Open to everyone', lang: 'en', fallback: true }
 */
export function pickTranslation(fields: Record<string, string | undefined>, lang: string): PickedTranslation | undefined {
  const has = (code: string) => typeof fields[code] === 'string' && fields[code]!.trim() !== '';
  const chosen = contentChain(lang).find(has) ?? Object.keys(fields).sort().find(has);
  if (!chosen) return undefined;
  return { text: fields[chosen]!, lang: chosen, fallback: chosen !== lang };
}

/**
 * The note to show after a fallback text, in the reader's language, naming the language of the text
 * in the reader's language ("Questo testo è in inglese."). Undefined when no fallback was used.
 */
export function fallbackNote(t: Translate, reader: string, picked: PickedTranslation): string | undefined {
  if (!picked.fallback) return undefined;
  return t('core:fallbackNote', { language: languageName(picked.lang, reader) });
}
