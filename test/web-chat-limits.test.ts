/**
 * Per-client limits of the web chat on the assembly `coworkbot start` serves: new sessions and
 * messages per client address (the socket's; X-Forwarded-For only through a trusted proxy), so one
 * client opening hundreds of sessions is stopped while another person's chat goes on. (How much a
 * flood slows another person is measured by `npm run loadtest -- flood`, not timed here.)
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { assembleServer, type Assembly } from '../src/assembly.js';
import { WEB_CHAT_LIMITS } from '../src/web/client-limits.js';
import { testConfig } from './helpers.js';

interface Answer {
  status: number;
  retryAfter?: string;
  body: { session?: string; error?: string; replies?: unknown[] };
}

/** A POST from a chosen loopback source address (a real socket address, as a client's would be). */
function post(port: number, path: string, body: object, from = '127.0.0.1', headers: Record<string, string> = {}): Promise<Answer> {
  const raw = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(raw), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(raw);
  });
}

async function serve(env: Record<string, string> = {}): Promise<{ served: Assembly; port: number }> {
  const app = await createApp({ config: testConfig(env), db: { kind: 'memory' }, embeddedQueue: true });
  const served = assembleServer(app);
  const { port } = await served.listen(0, '127.0.0.1');
  return { served, port };
}

describe('web chat limits per client address (no trusted proxy)', () => {
  let served: Assembly;
  let port: number;
  beforeAll(async () => {
    ({ served, port } = await serve());
  });
  afterAll(() => served?.close());

  it('stops one address opening session after session, whatever X-Forwarded-For it sends; another address goes on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < WEB_CHAT_LIMITS.sessions.burst + 5; i++) statuses.push((await post(port, '/api/chat/session', {}, '127.0.0.1', { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses.slice(0, WEB_CHAT_LIMITS.sessions.burst).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(WEB_CHAT_LIMITS.sessions.burst)).toEqual([429, 429, 429, 429, 429]);
    const refused = await post(port, '/api/chat/session', {});
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body.error).toMatch(/Too many new chats/);

    const other = await post(port, '/api/chat/session', {}, '127.0.0.2');
    expect(other.status).toBe(200);
    const reply = await post(port, '/api/chat/message', { session: other.body.session, text: 'hello' }, '127.0.0.2');
    expect(reply.status).toBe(200);
    expect(reply.body.replies!.length).toBeGreaterThan(0);
  });

  it('limits messages per address over all its sessions, before any work is done', async () => {
    const { body } = await post(port, '/api/chat/session', {}, '127.0.0.3');
    const before = (await served.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in'`))[0]!.n;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: WEB_CHAT_LIMITS.messages.burst + 40 }, (_, i) => post(port, '/api/chat/message', { session: body.session, id: `m${i}`, text: `hi ${i}` }, '127.0.0.3')),
    );
    const ok = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toBeGreaterThanOrEqual(WEB_CHAT_LIMITS.messages.burst);
    // Tokens refill at the per-minute rate while the burst is being handled.
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * WEB_CHAT_LIMITS.messages.perMinute);
    expect(ok).toBeLessThanOrEqual(WEB_CHAT_LIMITS.messages.burst + refilled);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBe(answers.length - ok);
    expect(limited[0]!.body.error).toMatch(/Too many messages/);
    const after = (await served.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in'`))[0]!.n;
    expect(after - before).toBe(ok); // refused messages were never stored nor handled
    // Another address is not affected.
    const s2 = await post(port, '/api/chat/session', {}, '127.0.0.4');
    expect((await post(port, '/api/chat/message', { session: s2.body.session, text: 'ciao' }, '127.0.0.4')).status).toBe(200);
  });
});

describe('web chat limits behind one trusted proxy', () => {
  let served: Assembly;
  let port: number;
  beforeAll(async () => {
    ({ served, port } = await serve({ TRUSTED_PROXIES: '1' }));
  });
  afterAll(() => served?.close());

  it('counts the address the proxy appended: clients behind the same proxy are apart', async () => {
    for (let i = 0; i < WEB_CHAT_LIMITS.sessions.burst; i++) expect((await post(port, '/api/chat/session', {}, '127.0.0.1', { 'x-forwarded-for': `forged-${i}, 198.51.100.1` })).status).toBe(200);
    expect((await post(port, '/api/chat/session', {}, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    expect((await post(port, '/api/chat/session', {}, '127.0.0.1', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
  });
});
