/**
 * Optional LLM translation of knowledge-gap texts into the coordinator's language, through any
 * OpenAI-compatible endpoint. Only already redacted texts are sent. Without an LLM configured the
 * dashboard shows gaps in their own language, with the language named.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../config.js';
import { getLanguage } from '../i18n/languages.js';
import type { GapTranslator } from './queries.js';

const answer = z.object({ translations: z.array(z.string()) });

/** A translator when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else undefined. */
export function llmGapTranslator(config: Config, timeoutMs = 8000): GapTranslator | undefined {
  if (!config.llm.apiKey && !config.llm.baseUrl) return undefined;
  const client = new OpenAI({ apiKey: config.llm.apiKey ?? 'none', baseURL: config.llm.baseUrl, timeout: timeoutMs, maxRetries: 0 });
  const cache = new Map<string, string>();
  return async (items, target) => {
    const todo = items.filter((i) => !cache.has(`${target}|${i.text}`));
    if (todo.length > 0) {
      const res = await client.chat.completions.create({
        model: config.llm.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          {
            role: 'system',
            content:
              `Translate each question into ${target === 'it' ? 'Italian' : 'English'}. Keep placeholders like [phone] or [name] as they are. ` +
              'Answer only with JSON: {"translations": ["…", …]} in the same order.',
          },
          { role: 'user', content: JSON.stringify(todo.map((i) => ({ language: getLanguage(i.lang)?.englishName ?? i.lang, text: i.text }))) },
        ],
      });
      const parsed = answer.safeParse(JSON.parse(res.choices[0]?.message.content ?? '{}'));
      if (!parsed.success || parsed.data.translations.length !== todo.length) return items.map(() => null);
      todo.forEach((i, n) => cache.set(`${target}|${i.text}`, parsed.data.translations[n]!));
    }
    return items.map((i) => cache.get(`${target}|${i.text}`) ?? null);
  };
}
