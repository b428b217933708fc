/**
 * `GET /metrics` in the Prometheus text format, closed to the public: with `METRICS_TOKEN` set, only a
 * request carrying `Authorization: Bearer <token>`; without it, only a request from the loopback
 * address that did not pass through a proxy (a reverse proxy on the same host connects from loopback
 * too, so a forwarding header means "from outside").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { Config } from '../config.js';
import type { RouteMounter } from '../web/server.js';
import type { Metrics } from './metrics.js';

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'cf-connecting-ip', 'true-client-ip'];

/** Whether an address is on the loopback range (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Equal secrets, compared in constant time (hashes first, so lengths do not leak). */
function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

/** The access rule of operator-only endpoints: `ok`, or the status and reason to answer. */
export function operatorAccess(
  req: { remoteAddress: string | undefined; header: (name: string) => string | undefined },
  token: string | undefined,
): { ok: true } | { ok: false; status: 401 | 403; reason: string } {
  if (token) {
    const auth = req.header('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (given && sameSecret(given, token)) return { ok: true };
    return { ok: false, status: 401, reason: 'a valid bearer token is required' };
  }
  if (!isLoopback(req.remoteAddress)) return { ok: false, status: 403, reason: 'only from this machine (set METRICS_TOKEN to allow scrapes from elsewhere)' };
  if (FORWARDING_HEADERS.some((h) => req.header(h) !== undefined)) return { ok: false, status: 403, reason: 'not through a proxy (set METRICS_TOKEN to allow scrapes from elsewhere)' };
  return { ok: true };
}

/** The socket address of a request served by @hono/node-server (undefined in `app.request()` tests). */
export function remoteAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** What `/metrics` needs of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface MetricsRoutePorts {
  /** `METRICS_TOKEN`. */
  readonly config: Pick<Config, 'ops'>;
  readonly metrics: Pick<Metrics, 'render'>;
}

/** Mounts `GET /metrics`. */
export function metricsRoute(app: MetricsRoutePorts): RouteMounter {
  return (web) => {
    web.get('/metrics', async (c) => {
      const access = operatorAccess({ remoteAddress: remoteAddressOf(c), header: (n) => c.req.header(n) }, app.config.ops.metricsToken);
      if (!access.ok) {
        if (access.status === 401) c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return c.text(`${access.reason}\n`, access.status);
      }
      const { contentType, body } = await app.metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    });
  };
}
