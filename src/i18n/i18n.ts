/**
 * Every word the bot says comes from `locales/<lang>/<feature>.json` through i18next. Keys are
 * grouped by feature (one file per feature = one i18next namespace).
 */
import { errorMessage } from '../logger.js';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { languageCodes } from './languages.js';

/** Translates `ns:key` (or `key` in the `core` namespace) into one language. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export const localesDir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'locales');

/** Reads every `locales/<lang>/<ns>.json`. */
export function readLocales(dir = localesDir): { resources: Resource; namespaces: string[] } {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lang of readdirSync(dir)) {
    const langDir = join(dir, lang);
    if (!/^[a-z]{2,3}$/.test(lang) || !existsSync(langDir)) continue;
    resources[lang] = {};
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      const ns = file.replace(/\.json$/, '');
      namespaces.add(ns);
      try {
        resources[lang]![ns] = JSON.parse(readFileSync(join(langDir, file), 'utf8'));
      } catch (err) {
        throw new Error(`locales/${lang}/${file}: not valid JSON (${errorMessage(err)})`);
      }
    }
  }
  return { resources, namespaces: [...namespaces] };
}

export { isolate } from './bidi.js';

export class Translator {
  /**
   * Texts without variables, per language and key (issue #17): the resources never change after
   * `create`, so a key's text in a language is always the same, and a turn asks for the same menu
   * labels and sentences again and again (i18next resolves namespaces and fallbacks on every call).
   */
  private readonly plain = new Map<string, Map<string, string>>();

  private constructor(private readonly i18n: I18n) {}

  static async create(dir = localesDir): Promise<Translator> {
    const { resources, namespaces } = readLocales(dir);
    const instance = i18next.createInstance();
    await instance.init({
      resources,
      ns: namespaces,
      defaultNS: 'core',
      fallbackLng: (code) => (code === 'en' ? ['it'] : ['en']),
      supportedLngs: [...languageCodes],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<I18n['init']>[0]);
    return new Translator(instance);
  }

  /**
   * A translate function bound to one language. Right-to-left isolation of Latin names and numbers
   * happens later, once, for the whole outgoing text (`finishText` in `bidi.ts`, called by the renderer).
   */
  for(lang: string): Translate {
    const fixed = this.i18n.getFixedT(lang);
    let plain = this.plain.get(lang);
    if (!plain) {
      plain = new Map();
      // Bounded by the keys times the languages asked for (a language code comes from our data, or a
      // platform's hint: an unsupported one falls back, and at most a few hundred are kept).
      if (this.plain.size < 500) this.plain.set(lang, plain);
    }
    const texts = plain;
    return (key, vars) => {
      if (vars !== undefined) return String(fixed(key, vars as never));
      let text = texts.get(key);
      if (text === undefined) {
        text = String(fixed(key));
        texts.set(key, text);
      }
      return text;
    };
  }

  /** A list of strings under a key (command words, examples), or [] when absent. */
  list(lang: string, key: string): string[] {
    const v = this.i18n.getFixedT(lang)(key, { returnObjects: true, defaultValue: [] }) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /** Whether a key exists in that exact language (no fallback). */
  has(lang: string, key: string): boolean {
    const [ns, k] = key.includes(':') ? key.split(':', 2) : ['core', key];
    return this.i18n.exists(k!, { lng: lang, ns, fallbackLng: false } as never);
  }
}
