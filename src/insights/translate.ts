/**
 * Optional LLM translation of knowledge-gap texts into the coordinator's language, through any
 * OpenAI-compatible endpoint. Only already redacted texts are sent. Without an LLM configured the
 * dashboard shows gaps in their own language, with the language named.
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import { getLanguage } from '../i18n/languages.js';
import { chatJson, configuredLlm } from '../llm/client.js';
import type { GapTranslator } from './queries.js';

const answer = z.object({ translations: z.array(z.string()) });

/** A translator when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else undefined. */
export function llmGapTranslator(config: Config, timeoutMs = 8000): GapTranslator | undefined {
  const llm = configuredLlm(config, { timeoutMs });
  if (!llm) return undefined;
  const cache = new Map<string, string>();
  return async (items, target) => {
    const todo = items.filter((i) => !cache.has(`${target}|${i.text}`));
    if (todo.length > 0) {
      const res = await chatJson(
        llm,
        [
          {
            role: 'system',
            content:
              `Translate each question into ${target === 'it' ? 'Italian' : 'English'}. Keep placeholders like [phone] or [name] as they are. ` +
              'Answer only with JSON: {"translations": ["…", …]} in the same order.',
          },
          { role: 'user', content: JSON.stringify(todo.map((i) => ({ language: getLanguage(i.lang)?.englishName ?? i.lang, text: i.text }))) },
        ],
        answer,
      );
      if (!res.ok || res.value.translations.length !== todo.length) return items.map(() => null);
      todo.forEach((i, n) => cache.set(`${target}|${i.text}`, res.value.translations[n]!));
    }
    return items.map((i) => cache.get(`${target}|${i.text}`) ?? null);
  };
}
