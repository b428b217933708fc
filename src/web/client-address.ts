/**
 * Who is asking: the client address every per-address limit counts (staff logins, web chat sessions
 * and messages). It comes from the socket; `X-Forwarded-For` is read only when the operator says how
 * many reverse proxies of theirs stand in front (TRUSTED_PROXIES), and then only the entry the
 * outermost trusted proxy appended: anything a client writes into the header itself is ignored.
 */
import { isIP } from 'node:net';
import type { Context } from 'hono';

/** The socket's address (`unknown` when served without a socket, e.g. `app.request` in a test). */
function socketAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return normalize(env?.incoming?.socket?.remoteAddress) ?? 'unknown';
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything that is not an IP address → undefined. */
function normalize(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const a = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(a) ? a.toLowerCase() : undefined;
}

/**
 * The client's address. With `trustedProxies` = 0 (the default) it is the socket's. With N > 0 the
 * chain is `X-Forwarded-For` entries followed by the socket address, and the client is the entry
 * N places from the right (each trusted proxy appended the address it was connected from): e.g. with
 * one proxy, `X-Forwarded-For: forged, 203.0.113.7` from the proxy's socket gives `203.0.113.7`.
 * A chain shorter than that (a request that skipped a proxy) gives its leftmost entry.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  const socket = socketAddress(c);
  if (trustedProxies <= 0) return socket;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, socket];
  const picked = chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
  // A trusted proxy writes an address; anything else is treated as unknown, in one bucket.
  return normalize(picked) ?? 'invalid';
}

/** Whether the request reached us over https (the scheme header counts only from a trusted proxy). */
export function viaHttps(c: Context, trustedProxies: number): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustedProxies > 0 && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
