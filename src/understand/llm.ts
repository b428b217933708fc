/**
 * The understanding step with a model configured: the model reads the message and answers with
 * structured output (a JSON object checked with zod: exactly the offline intents, and entities from
 * the content's vocabularies). Anything else — an error, a timeout, text that is not JSON, an intent
 * that does not exist — comes back as `{ ok: false }` and the offline reading is used. Entities
 * outside the allowed values are dropped, never passed on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { languageCodes } from '../i18n/languages.js';
import { dataDir } from '../knowledge/content.js';
import { chatJson, type JsonResult, type Llm } from '../llm/client.js';
import { explainTopics, intents, serviceKeys, topicKeys, whenKeys, type Entities, type Intent } from './intents.js';

export const understandPromptPath = join(dataDir, '..', 'prompts', 'understand.md');
/** The model's time to answer before the offline reading is used. */
export const UNDERSTAND_TIMEOUT_MS = 6000;

/** One value of a vocabulary, or nothing (an unknown value is dropped, not an error). */
const oneOf = <T extends string>(values: readonly T[]) => z.unknown().transform((v): T | undefined => (typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined));

/** The model's answer: the intent must be one of ours (else the whole answer is refused). */
export const llmAnswerSchema = z.object({
  intent: z.enum(intents),
  confidence: z.number().min(0).max(1).catch(0.8),
  entities: z
    .object({
      place: z.string().max(80).optional().catch(undefined),
      services: z
        .array(z.unknown())
        .optional()
        .catch(undefined)
        .transform((list) => {
          const kept = (list ?? []).filter((s): s is (typeof serviceKeys)[number] => typeof s === 'string' && (serviceKeys as readonly string[]).includes(s));
          return kept.length ? [...new Set(kept)] : undefined;
        }),
      price: oneOf(['free', 'low'] as const).optional(),
      when: oneOf(whenKeys).optional(),
      topic: oneOf(topicKeys).optional(),
      staff_language: oneOf(languageCodes).optional(),
      children: z.boolean().optional().catch(undefined),
      explain_topic: oneOf(explainTopics).optional(),
      requested_language: oneOf(languageCodes).optional(),
    })
    .partial()
    .catch({}),
});

export interface LlmReading {
  intent: Intent;
  confidence: number;
  entities: Entities;
}

/** Asks the model what a message asks for; `ok: false` with a reason when its answer is not usable. */
export async function llmUnderstanding(llm: Llm, text: string, opts: { lang?: string; places: string[]; timeoutMs?: number }): Promise<JsonResult<LlmReading>> {
  const instructions = readPrompt();
  const res = await chatJson(
    llm,
    [
      { role: 'system', content: `${instructions}\n\nPLACES: ${opts.places.join('; ')}\nCONVERSATION LANGUAGE: ${opts.lang ?? 'unknown'}` },
      { role: 'user', content: JSON.stringify({ message: text.slice(0, 1000) }) },
    ],
    llmAnswerSchema,
    { timeoutMs: opts.timeoutMs ?? UNDERSTAND_TIMEOUT_MS },
  );
  if (!res.ok) return res;
  const places = new Set(opts.places);
  const raw = res.value.entities;
  const entities: Entities = {};
  for (const [k, v] of Object.entries(raw) as [keyof Entities, unknown][]) if (v !== undefined) (entities as Record<string, unknown>)[k] = v;
  // A place must be one of the gazetteer's names (or an honest "other:…"); anything else is dropped.
  if (entities.place && !places.has(entities.place) && !/^other:\S/.test(entities.place)) delete entities.place;
  return { ok: true, value: { intent: res.value.intent, confidence: res.value.confidence, entities } };
}

let prompt: string | undefined;
function readPrompt(): string {
  prompt ??= readFileSync(understandPromptPath, 'utf8');
  return prompt;
}
