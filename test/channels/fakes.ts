/**
 * Local fakes of the Telegram Bot API and the WhatsApp Graph API on 127.0.0.1 (node:http, port 0).
 * They record every request and answer like the real APIs (fixture bodies), or with a queued failure.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** When it arrived (performance.now(), ms). */
  at: number;
  /** The HTTP status it was answered with. */
  status?: number;
}

interface Reply {
  status: number;
  body: string;
  type?: string;
  /** Answer after this many ms (long polling). */
  delay?: number;
}

export function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
}
export function fixtureText(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}

/** What to call both channels' settings in a test. */
export interface ChannelSecrets {
  token: string;
  secret: string;
  appSecret: string;
  verify: string;
  phoneId: string;
}

/** The environment turning both channels on against the fakes (webhook mode for Telegram). */
export function channelEnv(tg: FakeApi, graph: FakeApi, s: ChannelSecrets): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: s.token,
    TELEGRAM_WEBHOOK_SECRET: s.secret,
    TELEGRAM_API_ROOT: tg.url,
    TELEGRAM_RATE_PER_CHAT: '1000',
    WHATSAPP_ACCESS_TOKEN: 'WA-TOKEN',
    WHATSAPP_PHONE_NUMBER_ID: s.phoneId,
    WHATSAPP_APP_SECRET: s.appSecret,
    WHATSAPP_VERIFY_TOKEN: s.verify,
    WHATSAPP_API_URL: graph.url,
  };
}

/** A Telegram fixture with its chat / sender moved to a fresh address, so tests do not share people. */
export function telegramUpdate(file: string, chatId: number, updateId = chatId): Record<string, unknown> {
  const u = fixture(`telegram/${file}`) as Record<string, Record<string, unknown>>;
  u.update_id = updateId as unknown as Record<string, unknown>;
  for (const key of ['message', 'edited_message', 'callback_query', 'my_chat_member']) {
    const part = u[key];
    if (!part) continue;
    const m = (key === 'callback_query' ? part.message : part) as Record<string, Record<string, unknown>> | undefined;
    if (m?.chat) m.chat.id = chatId;
    if (part.from) (part.from as Record<string, unknown>).id = chatId;
  }
  return u;
}

/** The Telegram text fixture from `chatId` saying `text`, as update (and message) `updateId`. */
export function telegramText(chatId: number, updateId: number, text: string): Record<string, unknown> {
  const u = telegramUpdate('text.json', chatId, updateId) as { message: { text: string; message_id: number } };
  u.message.message_id = updateId;
  u.message.text = text;
  return u;
}

/** A WhatsApp fixture with its sender(s) moved to a fresh number and fresh wamids (the raw body to sign). */
export function whatsappBody(file: string, from: string, tag: string): string {
  const b = fixture(`whatsapp/${file}`) as { entry: { changes: { value: { messages?: Record<string, unknown>[]; contacts?: Record<string, unknown>[] } }[] }[] };
  for (const e of b.entry)
    for (const c of e.changes)
      for (const [i, m] of (c.value.messages ?? []).entries()) {
        m.from = i === 0 ? from : `${from}${i}`;
        m.id = `wamid.${tag}.${i}`;
      }
  return JSON.stringify(b);
}

/** Keys whose values identify a WhatsApp user (phone numbers and business-scoped user ids). */
const WA_IDENTITY_KEYS = new Set(['from', 'wa_id', 'from_user_id', 'user_id', 'recipient_id', 'recipient_user_id', 'new_wa_id', 'parent_user_id', 'from_parent_user_id']);

/**
 * Any WhatsApp fixture with every person's identifiers replaced consistently (`map(old)` gives the
 * new one; the same old value always maps to the same new one) and the message and status ids made
 * unique with `tag`. The business's own number (`metadata`, `context.from`) is left alone.
 */
export function whatsappRemapped(file: string, map: (old: string) => string, tag: string): string {
  const seen = new Map<string, string>();
  const mapped = (v: string) => seen.get(v) ?? (seen.set(v, map(v)), seen.get(v)!);
  const walk = (v: unknown, key: string, parent: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key, parent));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, key)]));
    if (typeof v !== 'string') return v;
    if (WA_IDENTITY_KEYS.has(key) && parent !== 'context' && parent !== 'metadata') return mapped(v);
    if ((key === 'id' && (parent === 'messages' || parent === 'statuses')) || key === 'original_message_id') return `${v}.${tag}`;
    return v;
  };
  return JSON.stringify(walk(fixture(`whatsapp/${file}`), '', ''));
}

/** `X-Hub-Signature-256` for a raw body, as Meta signs it with the app secret. */
export function hubSignature(raw: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** The shared server: records requests, answers queued failures first, then the default answer. */
export class FakeApi {
  readonly requests: Recorded[] = [];
  private readonly failures: { match: (r: Recorded) => boolean; reply: Reply }[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  private server!: Server;
  url = '';

  constructor(private readonly answer: (r: Recorded) => Reply) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          body = { raw };
        }
        const r: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: performance.now() };
        this.requests.push(r);
        const i = this.failures.findIndex((f) => f.match(r));
        const reply = i >= 0 ? this.failures.splice(i, 1)[0]!.reply : this.answer(r);
        r.status = reply.status;
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' });
          res.end(reply.body);
        };
        if (this.holding) this.held.push(answer);
        else if (reply.delay) setTimeout(answer, reply.delay).unref();
        else answer();
        this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next request whose path contains `pathPart` gets this answer instead of the default. */
  failNext(pathPart: string, status: number, body: string | object, type?: string): void {
    this.failures.push({ match: (r) => r.path.includes(pathPart), reply: { status, body: typeof body === 'string' ? body : JSON.stringify(body), type } });
  }

  /** The next request that `match` accepts gets this answer instead of the default. */
  failWhen(match: (r: Recorded) => boolean, status: number, body: string | object): void {
    this.failures.push({ match, reply: { status, body: typeof body === 'string' ? body : JSON.stringify(body) } });
  }

  /** Resolves when at least `n` requests have been received in total. */
  waitForCount(n: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake API: ${this.requests.length} of ${n} requests after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private holding = false;
  private held: (() => void)[] = [];

  /** Keeps every answer from now on (requests are recorded, the sender waits): a sender with all its requests in flight. */
  hold(): void {
    this.holding = true;
  }

  /** Answers what was held (to senders still alive) and answers at once again. */
  release(): void {
    this.holding = false;
    for (const a of this.held.splice(0)) a();
  }

  clear(): void {
    this.requests.length = 0;
    this.failures.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A fake Bot API: `/bot<token>/<method>`. Sends answer with a Message with a fresh message_id. */
export function fakeTelegram(updates: unknown[] = []): FakeApi {
  let nextId = 5000;
  const pending = [...updates];
  const okMessage = fixture('telegram/api-responses/ok-sendMessage.json') as { result: Record<string, unknown> };
  return new FakeApi((r) => {
    const method = r.path.split('/').pop() ?? '';
    if (method === 'getFile') {
      return { status: 200, body: JSON.stringify({ ok: true, result: { file_id: r.body.file_id, file_unique_id: 'u1', file_size: 4, file_path: 'voice/file_1.oga' } }) };
    }
    if (r.path.includes('/file/bot')) return { status: 200, body: 'OggS', type: 'audio/ogg' };
    if (method === 'getMe') return { status: 200, body: fixtureText('telegram/api-responses/getMe.json') };
    if (method.startsWith('send')) {
      const result = { ...okMessage.result, message_id: ++nextId, chat: { id: Number(r.body.chat_id), type: 'private', first_name: 'X' } };
      return { status: 200, body: JSON.stringify({ ok: true, result }) };
    }
    if (method === 'getUpdates') {
      // Long polling: hand out the queued updates once, then hold the request like Telegram does.
      const offset = Number(r.body.offset ?? 0);
      const result = pending.filter((u) => Number((u as { update_id: number }).update_id) >= offset);
      pending.length = 0;
      return result.length ? { status: 200, body: JSON.stringify({ ok: true, result }) } : { status: 200, body: JSON.stringify({ ok: true, result: [] }), delay: 200 };
    }
    return { status: 200, body: JSON.stringify({ ok: true, result: true }) };
  });
}

/** A fake Graph API: `POST /<version>/<phone-number-id>/messages` answers a fresh wamid. */
export function fakeGraph(): FakeApi {
  let n = 0;
  const fake: FakeApi = new FakeApi((r) => {
    const media = /^\/v24\.0\/(\d+)$/.exec(r.path);
    if (r.method === 'GET' && media) {
      const info = { ...fixture('whatsapp/api-responses/media-url.json'), id: media[1], url: `${fake.url}/media/${media[1]}`, file_size: 4 };
      return { status: 200, body: JSON.stringify(info) };
    }
    if (r.method === 'GET' && r.path.startsWith('/media/')) return { status: 200, body: 'OggS', type: 'audio/ogg' };
    if (r.method === 'POST' && r.path.endsWith('/messages')) {
      // A phone number comes back as `wa_id`, a business-scoped user id (sent as `recipient`) as `user_id`.
      const contact = r.body.to !== undefined ? { input: String(r.body.to), wa_id: String(r.body.to) } : { input: String(r.body.recipient), user_id: String(r.body.recipient) };
      const body = { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: `wamid.FAKE${++n}` }] };
      return { status: 200, body: JSON.stringify(body) };
    }
    return { status: 404, body: JSON.stringify({ error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } }) };
  });
  return fake;
}

/** A fake OpenAI-compatible server: `POST /v1/audio/transcriptions` answers `{ text }`. */
export function fakeOpenAi(text: string): FakeApi {
  return new FakeApi((r) => (r.path === '/v1/audio/transcriptions' ? { status: 200, body: JSON.stringify({ text }) } : { status: 404, body: JSON.stringify({ error: { message: 'not found' } }) }));
}
