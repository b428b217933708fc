/**
 * The optional LLM path: with an OpenAI-compatible server configured, a confident offline answer is
 * rewritten by the model from the retrieved records only. The person's text travels in its own
 * message, apart from the instructions; the records travel as JSON data. Every space or event name
 * in the reply must belong to the retrieved records, and every time, price or phone-like number must
 * appear in them; otherwise (or on any error or timeout) the caller keeps the offline answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type OpenAI from 'openai';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { getLanguage } from '../i18n/languages.js';
import { dataDir } from './content.js';
import { leaksSecret } from '../core/secrets.js';
import { configuredLlm } from '../llm/client.js';

/** One retrieved record passed to the model as data. */
export interface LlmRecord {
  kind: 'topic' | 'space' | 'event';
  name: string;
  facts: Record<string, string | string[] | boolean | undefined>;
}

export const promptPath = join(dataDir, '..', 'prompts', 'knowledge-answer.md');

export class LlmAnswerer {
  private readonly instructions: string;

  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    private readonly log?: Logger,
    private readonly timeoutMs = 15_000,
    /** Configured secrets an answer must never contain (the server sees the API key). */
    private readonly secrets: readonly string[] = [],
  ) {
    this.instructions = readFileSync(promptPath, 'utf8');
  }

  /** An answerer when OPENAI_API_KEY or OPENAI_BASE_URL is set, else undefined (offline only). */
  static fromConfig(config: Config, log?: Logger): LlmAnswerer | undefined {
    const llm = configuredLlm(config);
    return llm && new LlmAnswerer(llm.client, llm.model, log, undefined, llm.secrets);
  }

  /**
   * The model's answer, or undefined when it failed or did not pass the checks.
   * @param knownNames every space and event name in the content (to spot names outside the records)
   */
  async answer(question: string, lang: string, records: LlmRecord[], knownNames: string[]): Promise<string | undefined> {
    try {
      const res = await this.client.chat.completions.create(
        {
          model: this.model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: this.instructions },
            { role: 'system', content: `LANGUAGE: ${getLanguage(lang)?.englishName ?? lang} (${lang})` },
            { role: 'system', content: `RECORDS (JSON data):\n${JSON.stringify(records)}` },
            { role: 'user', content: `QUESTION:\n${question}` },
          ],
        },
        { timeout: this.timeoutMs },
      );
      const text = res.choices[0]?.message?.content?.trim();
      if (!text) return undefined;
      if (leaksSecret(text, this.secrets)) {
        this.log?.warn({ problem: 'contains a configured secret' }, 'knowledge: LLM answer rejected, using the offline answer');
        return undefined;
      }
      const problem = checkAnswer(text, records, knownNames);
      if (problem) {
        this.log?.warn({ problem }, 'knowledge: LLM answer rejected, using the offline answer');
        return undefined;
      }
      return text;
    } catch (err) {
      this.log?.warn({ err: errorMessage(err) }, 'knowledge: LLM failed, using the offline answer');
      return undefined;
    }
  }
}

/** Why an answer may not be sent, or undefined when it passes. */
export function checkAnswer(text: string, records: LlmRecord[], knownNames: string[]): string | undefined {
  const lower = text.toLowerCase();
  const allowed = new Set(records.map((r) => r.name.toLowerCase()));
  for (const name of knownNames) {
    const n = name.toLowerCase();
    if (n.length >= 4 && lower.includes(n) && ![...allowed].some((a) => a.includes(n))) return `names "${name}", which is not in the retrieved records`;
  }
  const data = JSON.stringify(records);
  const dataDigits = data.replace(/\D/g, '');
  // Times, prices and phone-like numbers must come from the records.
  for (const m of text.matchAll(/(\d{1,2})[:.](\d{2})\b/g)) {
    if (!data.includes(`${m[1]!.padStart(2, '0')}:${m[2]}`)) return `contains the time "${m[0]}", which is not in the records`;
  }
  for (const m of text.matchAll(/\d+(?:[.,]\d+)?\s?(?:€|euro)|\+?\d[\d ]{6,}\d/gi)) {
    if (!dataDigits.includes(m[0].replace(/\D/g, ''))) return `contains "${m[0]}", which is not in the records`;
  }
  return undefined;
}
