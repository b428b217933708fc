/**
 * The one door to an OpenAI-compatible model server. Every LLM use in the bot (answers, message
 * and content translation, card summaries, transcription) gets its client here, so configuration,
 * timeouts and the secret guard are the same everywhere. Without `OPENAI_API_KEY` or
 * `OPENAI_BASE_URL` there is no client and every caller keeps its offline path.
 */
import { createRequire } from 'node:module';
import type OpenAI from 'openai';
import type { z } from 'zod';
import type { Config } from '../config.js';
import { configSecrets, leaksSecret } from '../core/secrets.js';

/** A configured model server: the client, the chat model to ask, and the secrets no output may contain. */
export interface Llm {
  client: OpenAI;
  model: string;
  /** Configured secrets (the server sees the API key): an output containing one is dropped. */
  secrets: readonly string[];
}

/** The model server the configuration names, or undefined when none is configured (offline only). */
export function configuredLlm(config: Config, opts: { timeoutMs?: number; maxRetries?: number } = {}): Llm | undefined {
  const { apiKey, baseUrl, model } = config.llm;
  if (!apiKey && !baseUrl) return undefined;
  // Loaded on first use: the client library costs ~0.25 s of start-up, and most installs run offline.
  const OpenAIClient = createRequire(import.meta.url)('openai') as typeof import('openai');
  const client = new OpenAIClient.OpenAI({ apiKey: apiKey ?? 'none', baseURL: baseUrl, timeout: opts.timeoutMs ?? 20_000, maxRetries: opts.maxRetries ?? 0 });
  return { client, model, secrets: configSecrets(config) };
}

/** One chat message for {@link chatJson}. Untrusted text belongs in `user` messages only. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** What {@link chatJson} returns: the parsed value, or why there is none (for a log line, never for a person). */
export type JsonResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Asks the model for a JSON object and checks it against `schema`. Never throws: a timeout, a server
 * error, text that is not JSON, a value that does not fit the schema, or output that contains a
 * configured secret all come back as `{ ok: false, reason }`, and the caller keeps its offline path.
 */
export async function chatJson<T>(llm: Llm, messages: ChatMessage[], schema: z.ZodType<T>, opts: { temperature?: number; timeoutMs?: number } = {}): Promise<JsonResult<T>> {
  try {
    const res = await llm.client.chat.completions.create(
      { model: llm.model, temperature: opts.temperature ?? 0, response_format: { type: 'json_object' }, messages },
      opts.timeoutMs ? { timeout: opts.timeoutMs } : undefined,
    );
    const raw = res.choices[0]?.message?.content?.trim();
    if (!raw) return { ok: false, reason: 'empty answer' };
    if (leaksSecret(raw, llm.secrets)) return { ok: false, reason: 'contains a configured secret' };
    let json: unknown;
    try {
      // Some servers wrap JSON in a code fence even when asked not to.
      json = JSON.parse(raw.replace(/^```(?:json)?\s*|\s*```$/g, ''));
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: `does not fit the schema: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    return { ok: true, value: parsed.data };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.slice(0, 160) : 'unknown error' };
  }
}
