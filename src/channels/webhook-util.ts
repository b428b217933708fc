/** What the Telegram and WhatsApp webhooks share: constant-time comparison and the body limit. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { bodyLimit } from 'hono/body-limit';

/** Compares two secrets in constant time (for equal lengths; a length mismatch is simply false). */
export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks `X-Hub-Signature-256: sha256=<hex>` against the HMAC-SHA256 of the raw body. */
export function validHubSignature(header: string | undefined | null, rawBody: Uint8Array | string, appSecret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const hex = header.slice('sha256='.length).trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** A hono body limit that answers 413 with a short JSON error. */
export function limitBody(maxBytes: number) {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: 'payload too large' }, 413) });
}
