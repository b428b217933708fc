/**
 * `npm run loadtest`: Telegram webhook traffic from many simulated people at increasing rates,
 * against the app started in-process on 127.0.0.1 (embedded; and PostgreSQL + Redis when
 * TEST_DATABASE_URL / TEST_REDIS_URL are set). Loopback only, bounded in count and time.
 *
 * For each rate it reports the reply latency (from the moment the webhook request is sent until the
 * turn has sent its replies to the fake Bot API: it includes any wait before the server reads the
 * request, so an event loop that falls behind shows), the webhook round trip, and errors
 * (non-200 answers, failed requests, failed turns). The result is the highest rate held with
 * p99 < 100 ms and zero errors.
 *
 * Options (environment): LOADTEST_RATES (default 25,50,100,200,400), LOADTEST_STEP_S (default 5),
 * LOADTEST_PEOPLE (default 500), LOADTEST_P99_MS (default 100).
 *
 * `npm run loadtest -- flood`: one web chat client (127.0.0.1) opens 400 sessions and sends messages
 * from them as fast as the server takes them (50 requests in flight), while another person
 * (127.0.0.2) chats at one message every 500 ms; it reports that person's reply time (the web chat
 * answers with the replies, so the round trip is the reply time) with no flood, with the flood and
 * the per-client limits off (the old behaviour), and with the limits `coworkbot start` serves.
 * Options: LOADTEST_FLOOD_S (default 15).
 */
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import type { InboundMessage } from '../src/core/types.js';
import { BullQueue } from '../src/queue/bullmq-queue.js';
import type { DbTarget } from '../src/storage/db.js';
import { assembleServer } from '../src/assembly.js';
import { scratchDatabase } from '../src/storage/scratch.js';

const RATES = (process.env.LOADTEST_RATES ?? '25,50,100,200,400').split(',').map(Number);
const STEP_S = Number(process.env.LOADTEST_STEP_S ?? 5);
const PEOPLE = Number(process.env.LOADTEST_PEOPLE ?? 500);
const P99_MS = Number(process.env.LOADTEST_P99_MS ?? 100);
/** Requests in flight at most; more means the server is not keeping up (counted as errors). */
const MAX_IN_FLIGHT = 1000;
const SECRET = 'loadtest-secret';
const TEXTS = ['hello', 'menu', 'help', 'what is coworking?', 'events this weekend', 'ciao', 'مرحبا', 'bonjour', 'Привіт', 'I need a desk near Termini'];

interface Target {
  label: string;
  db: DbTarget;
  redisUrl?: string;
  cleanup: () => Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A local Bot API that accepts every send (the replies really go out through the adapter). */
async function fakeBotApi(): Promise<{ url: string; sends: () => number; close: () => Promise<void> }> {
  let sends = 0;
  let nextId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let chatId = 0;
      try {
        chatId = Number((JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { chat_id?: number }).chat_id ?? 0);
      } catch {
        // not JSON (multipart media): fine
      }
      if (req.url?.includes('/send')) sends++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: nextId++, date: 0, chat: { id: chatId, type: 'private' } } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sends: () => sends,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function update(updateId: number, chatId: number, text: string): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: chatId, is_bot: false, first_name: 'Load', language_code: 'en' },
      chat: { id: chatId, first_name: 'Load', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  });
}

interface StepResult {
  rate: number;
  sent: number;
  replyP50: number;
  replyP99: number;
  roundTripP99: number;
  errors: number;
  held: boolean;
}

async function step(app: App, url: string, rate: number, seq: { next: number }, seconds = STEP_S): Promise<StepResult> {
  const reply: number[] = [];
  const roundTrip: number[] = [];
  let errors = 0;
  let inFlight = 0;
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Open loop: request i goes at t0 + i/rate whatever the server does.
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      errors++;
      continue;
    }
    const n = seq.next++;
    const chatId = 700_000_000 + (n % PEOPLE);
    const body = update(n, chatId, TEXTS[n % TEXTS.length]!);
    inFlight++;
    const started = performance.now();
    sentAt.set(`${chatId}:${n}`, started);
    pending.push(
      fetch(`${url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          roundTrip.push(performance.now() - started);
        })
        .catch(() => void errors++)
        .finally(() => void inFlight--),
    );
  }
  await Promise.all(pending);
  // Every turn of this step finishes (bounded) before the next step.
  await Promise.race([app.bot.idle(), new Promise((r) => setTimeout(r, 30_000))]);
  for (const [key, at] of sentAt) {
    const done = doneAt.get(key);
    if (done !== undefined) reply.push(done - at);
  }
  sentAt.clear();
  doneAt.clear();
  errors += failures.splice(0).length;
  reply.sort((a, b) => a - b);
  roundTrip.sort((a, b) => a - b);
  const replyP99 = percentile(reply, 99);
  return {
    rate,
    sent: total,
    replyP50: percentile(reply, 50),
    replyP99,
    roundTripP99: percentile(roundTrip, 99),
    errors,
    held: errors === 0 && reply.length === total && replyP99 < P99_MS,
  };
}

/** When each update (by external id) was sent, and when its turn had sent its replies; failed turns. */
const sentAt = new Map<string, number>();
const doneAt = new Map<string, number>();
const failures: unknown[] = [];

/** Wraps `bot.receive` to note when each message's turn is done (its replies sent). */
function instrument(app: App): void {
  const receive = app.bot.receive.bind(app.bot);
  app.bot.receive = async (inbound: InboundMessage) => {
    const r = await receive(inbound);
    r.done.then(
      () => void doneAt.set(inbound.externalId, performance.now()),
      (err: unknown) => void failures.push(err),
    );
    return r;
  };
}

async function run(target: Target): Promise<StepResult[]> {
  const api = await fakeBotApi();
  const queueName = `loadtest_${randomBytes(4).toString('hex')}`;
  const config = parseConfig({
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: '123:LOAD',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.url,
    TELEGRAM_RATE_PER_SECOND: '1000',
    TELEGRAM_RATE_PER_CHAT: '100',
    ...(target.redisUrl ? { REDIS_URL: target.redisUrl } : {}),
  });
  const app = await createApp({ config, db: target.db, queueName });
  await app.start(4);
  instrument(app);
  // The assembly `coworkbot start` serves (its workers were started above).
  const { server, port } = await assembleServer(app).listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const results: StepResult[] = [];
  const seq = { next: 1 };
  try {
    // Warm-up (not measured): loads the language models, JIT-compiles, fills the connection pools.
    await step(app, url, 20, seq, 2);
    for (const rate of RATES) {
      const r = await step(app, url, rate, seq);
      results.push(r);
      console.log(
        `  ${target.label.padEnd(22)} ${String(rate).padStart(4)}/s  sent ${String(r.sent).padStart(5)}  replies p50 ${r.replyP50.toFixed(1)} ms  p99 ${r.replyP99.toFixed(1)} ms  round trip p99 ${r.roundTripP99.toFixed(1)} ms  errors ${r.errors}  ${r.held ? 'held' : 'NOT held'}`,
      );
      if (!r.held) break; // higher rates only get worse; keep the run bounded
    }
    await Promise.race([app.queue.drain(60_000).catch(() => undefined), new Promise((r) => setTimeout(r, 60_000))]);
    console.log(`  ${target.label.padEnd(22)} replies delivered to the fake Bot API: ${api.sends()}`);
  } finally {
    server.close();
    await app.close();
    await api.close();
    if (target.redisUrl) {
      const q = new BullQueue(target.redisUrl, queueName);
      await q.obliterate();
      await q.close();
    }
    await target.cleanup();
  }
  return results;
}

const freshPostgres = (base: string) => scratchDatabase(base, 'cwb_load');

const targets: (() => Promise<Target>)[] = [async () => ({ label: 'embedded (PGlite)', db: { kind: 'memory' }, cleanup: async () => undefined })];
const pgUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
if (pgUrl && redisUrl) {
  targets.push(async () => {
    const { url, drop } = await freshPostgres(pgUrl);
    return { label: 'PostgreSQL + Redis', db: { kind: 'postgres', url }, redisUrl, cleanup: drop };
  });
}

// ── flood: one web chat client against another person ─────────────────────

const FLOOD_S = Number(process.env.LOADTEST_FLOOD_S ?? 15);

/** A JSON POST from a chosen loopback source address (the server sees it as the client's socket address). */
function postFrom(port: number, from: string, path: string, body: object): Promise<{ status: number; body: { session?: string } }> {
  const raw = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(raw) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let parsed = {};
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', () => resolve({ status: 0, body: {} }));
    req.end(raw);
  });
}

interface FloodResult {
  label: string;
  p50: number;
  p95: number;
  max: number;
  victimErrors: number;
  flooderAccepted: number;
  flooderRefused: number;
}

/** One person's reply times while `flood` runs (or alone), with the web chat limits on or off. */
async function floodRun(label: string, limitsOn: boolean, flood: boolean): Promise<FloodResult> {
  const app = await createApp({ config: parseConfig({ LOG_LEVEL: 'silent' }), db: { kind: 'memory' } });
  await app.start(4);
  const served = assembleServer(app, limitsOn ? {} : { webChatLimits: false });
  const { port } = await served.listen(0, '127.0.0.1');
  const times: number[] = [];
  let victimErrors = 0;
  let flooderAccepted = 0;
  let flooderRefused = 0;
  let stop = false;
  try {
    // Warm-up (not measured).
    const warm = await postFrom(port, '127.0.0.9', '/api/chat/session', {});
    for (const text of ['hello', 'menu', 'what is coworking?']) await postFrom(port, '127.0.0.9', '/api/chat/message', { session: warm.body.session, text });
    const flooder = async () => {
      const sessions: string[] = [];
      for (let i = 0; i < 400 && !stop; i++) {
        const r = await postFrom(port, '127.0.0.1', '/api/chat/session', {});
        if (r.status === 200 && r.body.session) sessions.push(r.body.session);
        else flooderRefused++;
      }
      if (sessions.length === 0) sessions.push('w_floodfloodfloodfloodflood');
      let n = 0;
      const lane = async () => {
        while (!stop) {
          const session = sessions[n++ % sessions.length]!;
          const r = await postFrom(port, '127.0.0.1', '/api/chat/message', { session, text: TEXTS[n % TEXTS.length] });
          if (r.status === 200) flooderAccepted++;
          else flooderRefused++;
        }
      };
      await Promise.all(Array.from({ length: 50 }, lane));
    };
    const flooding = flood ? flooder() : Promise.resolve();
    await new Promise((r) => setTimeout(r, flood ? 1000 : 0)); // the flood is under way
    const victim = await postFrom(port, '127.0.0.2', '/api/chat/session', {});
    const end = performance.now() + FLOOD_S * 1000;
    let i = 0;
    while (performance.now() < end) {
      const t = performance.now();
      const r = await postFrom(port, '127.0.0.2', '/api/chat/message', { session: victim.body.session, text: TEXTS[i++ % TEXTS.length] });
      if (r.status === 200) times.push(performance.now() - t);
      else victimErrors++;
      const wait = 500 - (performance.now() - t);
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    }
    stop = true;
    await flooding;
  } finally {
    stop = true;
    await served.close();
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? Number.NaN, victimErrors, flooderAccepted, flooderRefused };
}

if (process.argv[2] === 'flood') {
  console.log(`loadtest flood: another person's web chat reply time, ${FLOOD_S} s per run (embedded database)`);
  for (const [label, limitsOn, flood] of [
    ['no flood', true, false],
    ['flood, limits off', false, true],
    ['flood, limits on', true, true],
  ] as const) {
    const r = await floodRun(label, limitsOn, flood);
    console.log(
      `  ${r.label.padEnd(18)} reply p50 ${r.p50.toFixed(0)} ms  p95 ${r.p95.toFixed(0)} ms  max ${r.max.toFixed(0)} ms  person's errors ${r.victimErrors}` +
        (flood ? `  flooder: ${r.flooderAccepted} accepted, ${r.flooderRefused} refused (429)` : ''),
    );
  }
  process.exit(0);
}

console.log(`loadtest: rates ${RATES.join(', ')} /s, ${STEP_S} s each, ${PEOPLE} people, goal p99 < ${P99_MS} ms and zero errors`);
for (const make of targets) {
  const target = await make();
  const results = await run(target);
  const best = results.filter((r) => r.held).at(-1);
  console.log(`=> ${target.label}: highest rate held: ${best ? `${best.rate}/s (p99 ${best.replyP99.toFixed(1)} ms)` : 'none'}`);
}
process.exit(0);
