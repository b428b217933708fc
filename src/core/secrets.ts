/**
 * An output guard for model answers: the model server receives the API key (it is how it
 * authenticates us), so a malicious or compromised server could put it, or another configured
 * secret, into an answer. Answers that contain one are dropped, never shown to a person or staff.
 */
import type { Config } from '../config.js';

/** The configured secrets (values from the environment) worth guarding; short values are skipped. */
export function configSecrets(config: Config): string[] {
  const values = [config.llm.apiKey, config.telegram.token, config.telegram.webhookSecret, config.whatsapp.accessToken, config.whatsapp.appSecret, config.whatsapp.verifyToken];
  const out = new Set<string>();
  for (const v of values) {
    if (!v || v.length < 8) continue;
    out.add(v);
    // A bot token `123:ABC…` is a secret in its second half alone.
    const tail = v.split(':').at(-1);
    if (tail && tail.length >= 8) out.add(tail);
  }
  return [...out];
}

/** True when `text` contains one of `secrets` (ignoring case and the spaces or zero-width characters a model may slip in). */
export function leaksSecret(text: string, secrets: readonly string[]): boolean {
  if (secrets.length === 0) return false;
  const squash = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/[\s\u200b-\u200f\u2060-\u2064\ufeff]|[\u{e0000}-\u{e007f}]/gu, '')
      .toLowerCase();
  const flat = squash(text);
  return secrets.some((s) => flat.includes(squash(s)));
}
