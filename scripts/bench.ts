/**
 * `npm run bench [-- NAME…]` prints throughput, latency and memory figures. Parts: `pipeline`,
 * `insights` (alias `dashboard`), `profile`, `broadcast`, `trigram`, `start` (`npm start` and the simulator
 * as real processes: time to the first reply and idle RSS). With TEST_DATABASE_URL / TEST_REDIS_URL (or DATABASE_URL / REDIS_URL)
 * set, each part also runs on PostgreSQL + Redis.
 *
 * Options (environment): BENCH_PEOPLE (default 200), BENCH_MESSAGES (default 10); for `broadcast`:
 * BENCH_SUBSCRIBERS (default 5000), BENCH_RATE (messages per second, default 500), BENCH_LIVE (people
 * chatting during the broadcast, default 10); BENCH_VERBOSE=1 adds requests per second and the event
 * loop's delay, BENCH_QUERIES=1 the database round trips. BENCH_PROCESSES=2 (or a list, `1,2,3,4`)
 * runs `pipeline` on PostgreSQL + Redis as that many bot processes instead of one app in the bench's
 * own process (see `pipelineProcesses`). BENCH_TARGET=embedded or BENCH_TARGET=postgres runs only
 * that target. BENCH_WARMUP=N: `pipeline` first runs N other people's messages unmeasured.
 */
import { scratchDatabase } from '../src/storage/scratch.js';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { databaseThread, openDatabase, type Db, type DbTarget, type Queryable } from '../src/storage/db.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Hono } from 'hono';
import { insightsRoutes } from '../src/insights/dashboard.js';
import { InsightsStore } from '../src/storage/insights-store.js';
import { seedHistory, seedInto } from '../test/insights/seed.js';
import { TelegramAdapter } from '../src/channels/telegram/telegram-adapter.js';
import { fakeTelegram } from '../test/channels/fakes.js';
import { maxPerSecond } from '../test/broadcast-support.js';
import { questions, searchDifference, similarityMismatches, similarityStrings } from '../test/trigram-support.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import type { FromWorker, ToWorker } from './bench-worker.js';
import { actorOf } from '../src/core/pipeline.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Part = (target: Target) => Promise<void>;
interface Target {
  label: string;
  db: DbTarget;
  redisUrl?: string;
}

let peakRss = 0;
// `rss()` alone: the full `memoryUsage()` walks the heap spaces, and every 20 ms it cost the bench
// process ~0.1 ms of CPU per message in the pipeline part.
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
sampler.unref();

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const pipeline: Part = async (target) => {
  const processes = (process.env.BENCH_PROCESSES ?? '').split(',').filter(Boolean).map(Number);
  if (processes.length) {
    if (target.db.kind !== 'postgres') return console.log(`pipeline [${target.label}] BENCH_PROCESSES: one process owns the embedded database; skipped`);
    for (const n of processes) await pipelineProcesses(target, n);
    return;
  }
  const people = Number(process.env.BENCH_PEOPLE ?? 200);
  const perPerson = Number(process.env.BENCH_MESSAGES ?? 10);
  const config = parseConfig({ LOG_LEVEL: 'silent', ...(target.redisUrl ? { REDIS_URL: target.redisUrl } : {}) });
  // BENCH_QUERIES=1: also the statements that took the most database time, summed.
  const counted = process.env.BENCH_QUERIES ? countingDb(await openDatabase(target.db), new AsyncLocalStorage<string>()) : undefined;
  if (counted) counted.trips = [];
  const app = await createApp({ config, db: target.db, ...(counted ? { openDb: counted } : {}) });
  await app.start(4);
  const texts = ['hello', 'menu', 'help', 'what is coworking?', 'events this weekend', 'free space near Termini', 'Italiano', 'grazie'];
  // BENCH_WARMUP=N: N people (other than the measured ones) send the same messages first, unmeasured:
  // a server that has run a while has its code compiled; a 2,000-message burst on a fresh process
  // also pays V8's optimising compiler (a fifth of the process's CPU in a perf profile).
  const warmPeople = Number(process.env.BENCH_WARMUP ?? 0);
  /** `count` people each send `perPerson` messages in order, all people at once; `each` gets every message's time. */
  const burst = (prefix: string, count: number, each?: (ms: number) => void) =>
    Promise.all(
      Array.from({ length: count }, async (_, p) => {
        for (let m = 0; m < perPerson; m++) {
          const start = performance.now();
          await app.bot.handle({
            channel: 'web',
            address: `${prefix}-${p}`,
            externalId: `${prefix}-${p}-${m}-${Math.random()}`,
            receivedAt: new Date(),
            content: { type: 'text', text: texts[(p + m) % texts.length]! },
          });
          each?.(performance.now() - start);
        }
      }),
    );
  await burst('warm', warmPeople);
  if (warmPeople) await app.queue.drain(120_000).catch(() => undefined);
  if (counted?.trips) counted.trips = [];
  const latencies: number[] = [];
  peakRss = process.memoryUsage().rss;
  // This process's CPU time (user + system) over the burst: on a shared machine the wall-clock rate
  // follows the share of the cores the bench gets; the CPU time per message much less so.
  const cpu0 = process.cpuUsage();
  // Each thread's CPU time too: the embedded database runs on a thread of its own, and on two cores
  // the busier of the two bounds the rate.
  const dbThread = databaseThread(app.db);
  const mainCpu0 = threadCpuMs(process.pid);
  const dbCpu0 = threadCpuMs(dbThread?.osThreadId);
  // On PostgreSQL + Redis, the servers' CPU too (this database's backends; the whole Redis server).
  const dbName = target.db.kind === 'postgres' ? ` ${new URL(target.db.url).pathname.slice(1)} ` : undefined;
  const servers = () => (dbName ? { pg: serverCpuMs('postgres', dbName), redis: serverCpuMs('redis-server') } : undefined);
  const servers0 = servers();
  const t0 = performance.now();
  await burst('bench', people, (ms) => latencies.push(ms));
  const elapsed = (performance.now() - t0) / 1000;
  await app.queue.drain(120_000).catch(() => undefined);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const mainCpu = minus(threadCpuMs(process.pid), mainCpu0);
  const dbCpu = minus(threadCpuMs(dbThread?.osThreadId), dbCpu0);
  const servers1 = servers();
  await app.close();
  latencies.sort((a, b) => a - b);
  const total = people * perPerson;
  if (counted?.trips) {
    const by = new Map<string, { n: number; ms: number }>();
    for (const t of counted.trips) {
      const k = t.sql.slice(0, 90);
      const e = by.get(k) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += t.ms;
      by.set(k, e);
    }
    console.log(`pipeline [${target.label}] ${counted.trips.length} round trips (${(counted.trips.length / total).toFixed(1)} per message); the costliest statements:`);
    for (const [k, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`  ${String(e.n).padStart(6)} × ${(e.ms / e.n).toFixed(1).padStart(6)} ms  ${k}`);
  }
  console.log(
    `pipeline [${target.label}] ${people} people × ${perPerson} messages = ${total}: ${(total / elapsed).toFixed(0)} msg/s, ` +
      `inbound→replies sent p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(percentile(latencies, 95))}, p99 ${fmt(percentile(latencies, 99))}; ` +
      `bench process CPU ${(cpuMs / total).toFixed(2)} ms per message (replies sent included${target.db.kind === 'postgres' ? '; the database and Redis servers not' : ''}); ` +
      (mainCpu === undefined ? '' : `of which main thread ${(mainCpu / total).toFixed(1)} ms${dbCpu === undefined ? '' : `, database thread ${(dbCpu / total).toFixed(1)} ms`}; `) +
      (servers0 && servers1
        ? `PostgreSQL ${((servers1.pg - servers0.pg) / total).toFixed(2)} ms (this database's backends), Redis ${((servers1.redis - servers0.redis) / total).toFixed(2)} ms (the whole server) per message, burst and drain; `
        : '') +
      `peak RSS ${(peakRss / 1e6).toFixed(0)} MB`,
  );
};

/**
 * CPU time (ms, user + system) of the processes named `comm` on this machine whose command line
 * contains `marker` (a PostgreSQL backend's names its database), from /proc.
 */
function serverCpuMs(comm: string, marker = ''): number {
  const tick = 100; // USER_HZ on Linux
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== comm) continue;
      if (marker && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      const fields = stat.slice(close + 2).split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick; // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ms;
}

/**
 * `BENCH_PROCESSES=N[,M…]`: the same burst spread over N bot processes (each a full app on the same
 * PostgreSQL + Redis, scripts/bench-worker.ts); a person's consecutive messages go to different
 * processes, so their order is kept across processes (the turn lease) or not. Measures msg/s and
 * inbound→replies sent as the one-process bench, each process's CPU, and the PostgreSQL and Redis
 * servers' CPU (from /proc: other users of the same servers count too); then checks in the database
 * that every message was answered, once, in the order it arrived.
 */
async function pipelineProcesses(target: Target, n: number): Promise<void> {
  if (target.db.kind !== 'postgres') return;
  const people = Number(process.env.BENCH_PEOPLE ?? 200);
  const perPerson = Number(process.env.BENCH_MESSAGES ?? 10);
  const run = `bench${n}p-${Date.now().toString(36)}`;
  // Migrated once here: N processes starting together on a new database would race to create the schema table.
  await (await openDatabase(target.db)).close();
  const workers = Array.from({ length: n }, () =>
    fork('scripts/bench-worker.ts', [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_WORKER_DB: (target.db as { url: string }).url, BENCH_WORKER_REDIS: target.redisUrl ?? '', BENCH_WORKER_QUEUE: run },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const waiting = new Map<number, (m: FromWorker & { type: 'done' }) => void>();
  const next = (w: ChildProcess, type: FromWorker['type']) =>
    new Promise<FromWorker>((resolve) =>
      w.once('message', function on(m: FromWorker) {
        if (m.type === type) resolve(m);
        else w.once('message', on);
      }),
    );
  for (const w of workers)
    w.on('message', (m: FromWorker) => {
      if (m.type === 'done') waiting.get(m.seq)?.(m);
    });
  const ask = (w: ChildProcess, m: ToWorker) => w.send(m);
  try {
    await Promise.all(workers.map((w) => next(w, 'ready')));
    const cpuOf = async () =>
      Promise.all(
        workers.map(async (w) => {
          const r = next(w, 'cpu');
          ask(w, { type: 'cpu' });
          return ((await r) as { ms: number }).ms;
        }),
      );
    const texts = ['hello', 'menu', 'help', 'what is coworking?', 'events this weekend', 'free space near Termini', 'Italiano', 'grazie'];
    const latencies: number[] = [];
    let seq = 0;
    let errors = 0;
    const cpu0 = await cpuOf();
    // The PostgreSQL backends serving this database (other users of the server, its background writers: not).
    const dbName = new URL((target.db as { url: string }).url).pathname.slice(1);
    const pg0 = serverCpuMs('postgres', ` ${dbName} `);
    const redis0 = serverCpuMs('redis-server');
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: people }, async (_, p) => {
        for (let m = 0; m < perPerson; m++) {
          const id = seq++;
          const w = workers[(p + m) % n]!;
          const start = performance.now();
          const done = new Promise<FromWorker & { type: 'done' }>((resolve) => waiting.set(id, resolve));
          ask(w, { type: 'message', seq: id, inbound: { channel: 'web', address: `${run}-${p}`, externalId: `${run}-${p}-${m}`, content: { type: 'text', text: texts[(p + m) % texts.length]! } } });
          const r = await done;
          waiting.delete(id);
          if (r.error) errors++;
          latencies.push(performance.now() - start);
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const pgMs = serverCpuMs('postgres', ` ${dbName} `) - pg0;
    const redisMs = serverCpuMs('redis-server') - redis0;
    await Promise.all(
      workers.map(async (w) => {
        const r = next(w, 'drained');
        ask(w, { type: 'drain' });
        await r;
      }),
    );
    const cpu1 = await cpuOf();
    const total = people * perPerson;
    const perProcess = cpu1.map((c, i) => (c - cpu0[i]!) / total);
    latencies.sort((a, b) => a - b);
    const check = await checkOrder(target.db, run, people, perPerson);
    console.log(
      `pipeline [${target.label}, ${n} process${n > 1 ? 'es' : ''}] ${people} people × ${perPerson} messages = ${total}: ${(total / elapsed).toFixed(0)} msg/s, ` +
        `inbound→replies sent p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(percentile(latencies, 95))}, p99 ${fmt(percentile(latencies, 99))}; ` +
        `bot CPU ${perProcess.reduce((a, b) => a + b, 0).toFixed(2)} ms per message (per process ${perProcess.map((c) => c.toFixed(2)).join(' + ')}; replies sent included), ` +
        `PostgreSQL ${(pgMs / total).toFixed(2)} ms (this database's backends), Redis ${(redisMs / total).toFixed(2)} ms (the whole server) per message during the burst; ` +
        `${errors ? `${errors} failed; ` : ''}${check}`,
    );
  } finally {
    await Promise.all(
      workers.map(async (w) => {
        if (w.exitCode !== null) return;
        const r = exited(w);
        ask(w, { type: 'close' });
        await Promise.race([r, new Promise((res) => setTimeout(res, 15_000))]);
        if (w.exitCode === null) w.kill('SIGKILL');
      }),
    );
  }
}

/**
 * Every person of run `run` sent `perPerson` messages: each stored, handled once (one `message_in`
 * event per message: events are written only by a committed turn), answered, and handled in the
 * order it arrived (processed marks and replies in the order of the messages). A sentence.
 */
async function checkOrder(dbTarget: DbTarget, run: string, people: number, perPerson: number): Promise<string> {
  const db = await openDatabase(dbTarget, { migrate: false });
  try {
    const rows = await db.query<{ person_id: string; id: string; direction: 'in' | 'out'; external_id: string | null; in_reply_to: string | null; processed_at: Date | null }>(
      `SELECT m.person_id, m.id, m.direction, m.external_id, m.in_reply_to, m.processed_at FROM messages m
       JOIN channel_addresses a ON a.person_id = m.person_id AND a.channel = 'web' WHERE a.address LIKE $1 ORDER BY m.id`,
      [`${run}-%`],
    );
    const byPerson = new Map<string, typeof rows>();
    for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r]);
    const events = await db.query<{ actor: string; n: string }>(`SELECT actor, count(*) AS n FROM events WHERE type = 'message_in' AND actor = ANY($1::text[]) GROUP BY actor`, [
      [...byPerson.keys()].map(actorOf),
    ]);
    const turns = new Map(events.map((e) => [e.actor, Number(e.n)]));
    const problems: string[] = [];
    if (byPerson.size !== people) problems.push(`${byPerson.size} of ${people} people stored`);
    for (const [personId, ms] of byPerson) {
      const inbound = ms.filter((m) => m.direction === 'in');
      const out = ms.filter((m) => m.direction === 'out');
      const sent = inbound.map((m) => Number(m.external_id!.split('-').pop()));
      if (inbound.length !== perPerson || sent.some((k, i) => k !== i)) problems.push(`${personId}: messages stored ${sent.join(',')}`);
      if (inbound.some((m) => !m.processed_at)) problems.push(`${personId}: a message not handled`);
      const marks = inbound.map((m) => m.processed_at?.getTime() ?? 0);
      if (marks.some((t, i) => i > 0 && t < marks[i - 1]!)) problems.push(`${personId}: handled out of order`);
      const answered = out.map((m) => Number(m.in_reply_to));
      if (answered.some((x, i) => i > 0 && x < answered[i - 1]!)) problems.push(`${personId}: replies out of order`);
      if (inbound.some((m) => !answered.includes(Number(m.id)))) problems.push(`${personId}: a message without a reply`);
      if (turns.get(actorOf(personId)) !== perPerson) problems.push(`${personId}: ${turns.get(actorOf(personId)) ?? 0} turns for ${perPerson} messages`);
    }
    return problems.length ? `ORDER CHECK FAILED (${problems.length}): ${problems.slice(0, 5).join('; ')}` : 'every message answered once, in order';
  } finally {
    await db.close();
  }
}

/**
 * The coordinators' dashboard over a seeded event log (BENCH_EVENTS, default 100,000): the full
 * page (every chart of every section) rendered several times; p50 is the figure in the README.
 */
const insights: Part = async (target) => {
  const wanted = Number(process.env.BENCH_EVENTS ?? 100_000);
  const now = new Date();
  // The seed makes ~11 events per person; grow the people until the log is big enough.
  let people = Math.ceil(wanted / 10);
  let seeded = seedHistory({ people, days: 90, now });
  while (seeded.events.length < wanted) seeded = seedHistory({ people: (people = Math.ceil(people * 1.1)), days: 90, now });
  const db = await openDatabase(target.db);
  try {
    const store = new InsightsStore(db);
    const t0 = performance.now();
    await seedInto(store, seeded);
    const seedMs = performance.now() - t0;
    const web = new Hono().route('/insights', insightsRoutes({ store, guard: async (_c, next) => next(), minGroupSize: 5, timezone: 'Europe/Rome', now: () => now }));
    const times: Record<string, number[]> = {};
    for (const period of ['30d', '90d']) {
      times[period] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        const res = await web.request(`/insights?period=${period}`);
        await res.text();
        if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`);
        if (i > 0) times[period]!.push(performance.now() - start); // the first run warms caches
      }
      times[period]!.sort((a, b) => a - b);
    }
    console.log(
      `insights [${target.label}] ${seeded.events.length} events, ${people} people (seeded in ${(seedMs / 1000).toFixed(1)} s): ` +
        `full dashboard page, last 30 days p50 ${fmt(percentile(times['30d']!, 50))} (max ${fmt(times['30d']!.at(-1)!)}), ` +
        `last 90 days p50 ${fmt(percentile(times['90d']!, 50))} (max ${fmt(times['90d']!.at(-1)!)})`,
    );
  } finally {
    await db.close();
  }
};

/**
 * A broadcast to BENCH_SUBSCRIBERS Telegram subscribers (a local fake Bot API) at BENCH_RATE per
 * second while BENCH_LIVE people chat: the achieved rate as a fraction of the limit, and how long a
 * live reply takes to reach the platform (bot.handle → the fake receives the reply) meanwhile.
 */
const broadcast: Part = async (target) => {
  const n = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
  const rate = Number(process.env.BENCH_RATE ?? 500);
  const live = Number(process.env.BENCH_LIVE ?? 10);
  const fake = await fakeTelegram().start();
  const config = parseConfig({ LOG_LEVEL: 'silent', ...(target.redisUrl ? { REDIS_URL: target.redisUrl } : {}) });
  const tg = new TelegramAdapter({ token: '1:BENCH', apiRoot: fake.url, rate: { perSecond: rate, perAddress: 1 } });
  const counted = process.env.BENCH_QUERIES ? countingDb(await openDatabase(target.db), new AsyncLocalStorage<string>()) : undefined;
  const app = await createApp({ config, db: target.db, channels: [tg], floodControl: false, queueName: `bench-${Date.now()}`, ...(counted ? { openDb: counted } : {}) });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  try {
    await app.broadcastStore.seedSubscribers(n, { channel: 'telegram', idPrefix: `P-B${Date.now() % 1000}`, addressBase: 800_000_000 });
    await app.start(4);
    const b = await app.broadcastStore.createBroadcast({ spaceId: null, createdBy: 'bench', audience: { allEvents: true }, messages: { text: { en: 'Open day on Saturday.' } } }, new Date());
    if (counted) counted.trips = [];
    loopDelay.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await app.broadcasts.start(b.id);
    const recordsWritten = performance.now();
    let done = false;
    const latencies: number[] = [];
    const chats = Array.from({ length: live }, async (_, i) => {
      const address = String(900_000_000 + i);
      for (let m = 0; !done; m++) {
        let seen = fake.requests.length;
        const start = performance.now();
        await app.bot.handle({ channel: 'telegram', address, externalId: `live-${i}-${m}-${Math.random()}`, receivedAt: new Date(), content: { type: 'text', text: m % 2 ? 'help' : 'menu' } });
        // Only the requests not looked at yet (copying the whole log every 2 ms cost the process CPU).
        const arrived = () => {
          for (; seen < fake.requests.length; seen++) if (String(fake.requests[seen]!.body.chat_id) === address) return true;
          return false;
        };
        while (!arrived()) await new Promise((r) => setTimeout(r, 2));
        latencies.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 1100)); // a person writes about once a second at most
      }
    });
    while ((await app.broadcastStore.getBroadcast(b.id))!.status !== 'done') await new Promise((r) => setTimeout(r, 50));
    const doneSeen = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const seconds = (doneSeen - t0) / 1000;
    loopDelay.disable();
    done = true;
    await Promise.all(chats);
    latencies.sort((a, c) => a - c);
    const sent = (await app.broadcastStore.report(b.id)).byStatus.sent ?? 0;
    const sends = fake.requests.filter((r) => r.method === 'POST' && /sendMessage$/.test(r.path));
    const ids = sends.map((r) => String(r.body.chat_id)).filter((id) => Number(id) >= 800_000_000 && Number(id) < 900_000_000);
    const first = Math.min(...sends.map((r) => r.at));
    const last = Math.max(...sends.map((r) => r.at));
    const sending = (last - first) / 1000;
    if (process.env.BENCH_VERBOSE) {
      const perSecond = new Map<number, number>();
      for (const r of sends) perSecond.set(Math.floor((r.at - first) / 1000), (perSecond.get(Math.floor((r.at - first) / 1000)) ?? 0) + 1);
      console.log(`  requests per second from the first: ${[...perSecond.values()].join(' ')}`);
      const ms = (ns: number) => `${(ns / 1e6).toFixed(0)} ms`;
      console.log(
        `  records written in ${fmt(recordsWritten - t0)}; first request ${fmt(first - t0)} after start, last ${fmt(doneSeen - last)} before "done" was seen; ` +
          `event loop delay p50 ${ms(loopDelay.percentile(50))}, p99 ${ms(loopDelay.percentile(99))}, max ${ms(loopDelay.max)}`,
      );
    }
    if (counted?.trips) {
      const by = new Map<string, { n: number; ms: number }>();
      for (const t of counted.trips) {
        const e = by.get(t.sql.slice(0, 90)) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += t.ms;
        by.set(t.sql.slice(0, 90), e);
      }
      console.log(`broadcast [${target.label}] ${counted.trips.length} round trips during the broadcast; the costliest statements:`);
      for (const [k, e] of [...by].sort((a, c) => c[1].ms - a[1].ms).slice(0, 12)) console.log(`  ${String(e.n).padStart(6)} × ${(e.ms / e.n).toFixed(1).padStart(6)} ms  ${k}`);
      counted.trips = undefined;
    }
    console.log(
      `broadcast [${target.label}] ${sent} of ${n} sent in ${seconds.toFixed(1)} s = ${(sent / seconds).toFixed(0)}/s at a limit of ${rate}/s ` +
        `(${((sent / seconds / rate) * 100).toFixed(0)} %; first to last request ${(ids.length / sending).toFixed(0)}/s = ${((ids.length / sending / rate) * 100).toFixed(0)} %); ` +
        `most requests in any one second ${maxPerSecond(sends)}; duplicates ${ids.length - new Set(ids).size}, never sent ${n - new Set(ids).size}; ` +
        `live replies meanwhile (${latencies.length}): p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(percentile(latencies, 95))}; ` +
        `bench process CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms per subscriber (the fake API and the chat included${target.db.kind === 'postgres' ? '; the database and Redis servers not' : ''})`,
    );
  } finally {
    await app.close();
    await fake.close();
  }
};

/** A thread's CPU time so far (user + system, in ms; Linux: /proc/self/task/ID/stat), if known. */
function threadCpuMs(tid: number | undefined): number | undefined {
  if (tid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks: 100 per second on Linux
  } catch {
    return undefined;
  }
}

function minus(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

/** One database round trip seen by {@link countingDb}. */
interface Trip {
  sql: string;
  startMs: number;
  ms: number;
  /** The label of the work that made it (an AsyncLocalStorage scope), or `other` (queue workers, timers). */
  scope: string;
}

/**
 * Wraps a database so every round trip (a query, and BEGIN / COMMIT of a transaction) is recorded
 * with its duration and the scope that made it, while `trips` is an array (set it to undefined to stop).
 */
function countingDb(db: Db, scopes: AsyncLocalStorage<string>): Db & { trips?: Trip[] } {
  // PGlite runs one statement at a time: queued here (as PGlite would queue them), a statement's
  // time is its own cost, not its wait behind the others. A transaction holds the line throughout.
  let line: Promise<unknown> = Promise.resolve();
  const inLine = <T>(run: () => Promise<T>): Promise<T> => {
    if (db.kind !== 'pglite') return run();
    const next = line.then(run, run);
    line = next.catch(() => undefined);
    return next;
  };
  const inTx = new AsyncLocalStorage<boolean>();
  const record = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const timed = async () => {
      const startMs = performance.now();
      try {
        return await run();
      } finally {
        wrapped.trips?.push({ sql: sql.replace(/\s+/g, ' ').trim(), startMs, ms: performance.now() - startMs, scope: scopes.getStore() ?? 'other' });
      }
    };
    return inTx.getStore() ? timed() : inLine(timed);
  };
  const wrapped: Db & { trips?: Trip[] } = {
    kind: db.kind,
    query: (sql, params) => record(sql, () => db.query(sql, params)),
    tx: (fn) => {
      const t0 = performance.now();
      let first = true;
      return inLine(() =>
        inTx.run(true, () =>
          db
            .tx((q: Queryable) => {
              return fn({
                query: (sql, params) => {
                  if (first) {
                    first = false;
                    wrapped.trips?.push({ sql: 'BEGIN', startMs: t0, ms: 0, scope: scopes.getStore() ?? 'other' });
                  }
                  return record(sql, () => q.query(sql, params));
                },
              });
            })
            .finally(() => {
              if (!first) wrapped.trips?.push({ sql: 'COMMIT', startMs: performance.now(), ms: 0, scope: scopes.getStore() ?? 'other' });
            }),
        ),
      );
    },
    close: () => db.close(),
    ...(db.snapshot ? { snapshot: () => db.snapshot!() } : {}),
  };
  return wrapped;
}

/**
 * One message at a time, on a quiet bot: every database round trip it makes (inside the turn, and
 * the send job's afterwards), with its time, and the time spent outside the database. The first
 * message of a new person, then typical messages of a known person.
 */
const profile: Part = async (target) => {
  const scopes = new AsyncLocalStorage<string>();
  const db = countingDb(await openDatabase(target.db), scopes);
  const config = parseConfig({ LOG_LEVEL: 'silent', ...(target.redisUrl ? { REDIS_URL: target.redisUrl } : {}) });
  const app = await createApp({ config, db: target.db, openDb: db, floodControl: false, sweepMs: 0, queueName: `bench-${Date.now()}` });
  await app.start(4);
  const send = (address: string, text: string) => app.bot.handle({ channel: 'web', address, externalId: `${address}-${Math.random()}`, receivedAt: new Date(), content: { type: 'text', text } });
  try {
    // Warm up (JIT, caches, the planner) with another person.
    for (const text of ['hello', 'menu', 'what is coworking?', 'events this weekend', 'free space near Termini', 'help']) await send('warm', text);
    await app.queue.drain(30_000);
    const cases: [string, string][] = [
      ['first message (new person)', 'hello'],
      ['menu', 'menu'],
      ['question (knowledge)', 'what is coworking?'],
      ['events this weekend', 'events this weekend'],
      ['spaces near a place', 'free space near Termini'],
    ];
    const address = `profile-${Date.now()}`;
    const summary: string[] = [];
    for (const [label, text] of cases) {
      await app.queue.drain(30_000);
      const trips: Trip[] = [];
      db.trips = trips;
      const t0 = performance.now();
      await scopes.run('turn', () => send(address, text));
      const turnMs = performance.now() - t0;
      await app.queue.drain(30_000);
      db.trips = undefined;
      const turn = trips.filter((t) => t.scope === 'turn');
      // Statements outside the turn, but for the queue's own polling and the drain's count: a send the
      // turn handed to the queue (none when all went well: the turn sends its replies itself).
      const after = trips.filter(
        (t) => t.scope !== 'turn' && !/^(WITH done AS \(DELETE FROM jobs WHERE id = \$4::bigint\)\s+)?UPDATE jobs SET status = 'active'|^SELECT count\(\*\) AS n FROM jobs/.test(t.sql),
      );
      const dbMs = turn.reduce((n, t) => n + t.ms, 0);
      console.log(
        `\nprofile [${target.label}] ${label} ("${text}"): handled in ${fmt(turnMs)}, ${turn.length} round trips in the turn, its replies sent and marked (${fmt(dbMs)} in the database, ${fmt(turnMs - dbMs)} elsewhere); ${after.length} more by send jobs`,
      );
      for (const t of turn) console.log(`  ${(t.startMs - t0).toFixed(1).padStart(7)} ms +${t.ms.toFixed(1).padStart(5)}  ${t.sql.slice(0, 110)}`);
      // BENCH_PROFILE_SEND=1: the send jobs' round trips too.
      if (process.env.BENCH_PROFILE_SEND) for (const t of after) console.log(`  send ${(t.startMs - t0).toFixed(1).padStart(7)} ms +${t.ms.toFixed(1).padStart(5)}  ${t.sql.slice(0, 105)}`);
      summary.push(`${label}: ${turn.length} + ${after.length} round trips, ${fmt(turnMs)}`);
    }
    console.log(`\nprofile [${target.label}] summary (round trips in the turn + by send jobs, time to the replies sent):\n  ${summary.join('\n  ')}`);
  } finally {
    await app.close();
  }
};

/**
 * The full trigram equivalence (test/knowledge-trigram.test.ts runs a sample): every retrieval
 * question (normalized, a fifth also as typed), the edge strings and 30 random ones against every
 * short document, `similarity` and `word_similarity` in memory and in the database; and the knowledge
 * search against the former all-SQL search for every question. Exits non-zero on a difference.
 */
const trigram: Part = async (target) => {
  const db = await openDatabase(target.db);
  try {
    const kb = new KnowledgeBase(db, 'Europe/Rome');
    await kb.importDir('data/demo', new Date('2026-11-26T10:00:00+01:00'));
    const t0 = performance.now();
    const strings = similarityStrings(questions, 5, 30);
    const sim = await similarityMismatches(db, kb, strings);
    const simMs = performance.now() - t0;
    const t1 = performance.now();
    const differing: string[] = [];
    for (const q of questions) if (await searchDifference(db, kb, q)) differing.push(q.q);
    const searchMs = performance.now() - t1;
    console.log(
      `trigram [${target.label}] ${sim.compared} pairs (${strings.length} strings × ${sim.docs} documents) × 2 functions in ${(simMs / 1000).toFixed(1)} s: ` +
        `${sim.failures.length} different, largest difference ${sim.worst}; search of ${questions.length} questions in ${(searchMs / 1000).toFixed(1)} s: ${differing.length} different`,
    );
    for (const f of [...sim.failures, ...differing.slice(0, 10)]) console.log(`  ${f}`);
    if (sim.failures.length > 0 || sim.worst >= 1e-6 || differing.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
};

/** A process's resident memory (Linux /proc), in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null ? r() : child.on('exit', () => r())));

/** `npm start` on DATA_DIR: ms from spawn until POST /api/chat/message answers, and RSS after `idleMs` idle. */
async function timeStart(dataDir: string, idleMs: number): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], { env: { ...process.env, LOG_LEVEL: 'silent', PORT: String(port), DATA_DIR: dataDir }, stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}`;
    let session: string | undefined;
    while (!session) {
      if (child.exitCode !== null) throw new Error(`coworkbot start exited with ${child.exitCode}`);
      session = await fetch(`${base}/api/chat/session`, { method: 'POST' }).then(
        async (r) => ((await r.json()) as { session: string }).session,
        () => undefined,
      );
      if (!session) await new Promise((r) => setTimeout(r, 20));
    }
    const reply = await fetch(`${base}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello' }) });
    if (!reply.ok) throw new Error(`the first message answered ${reply.status}`);
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, idleMs));
    return { ms, rss: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

/** `coworkbot simulate`: ms from spawn until the first reply line, and RSS then. */
async function timeSimulator(): Promise<{ ms: number; rss: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/coworkbot.js', 'simulate'], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin!.write(`${JSON.stringify({ user: 'u1', text: 'hello' })}\n`);
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', () => resolve(performance.now() - t0));
    child.on('exit', (code) => reject(new Error(`coworkbot simulate exited with ${code}`)));
  });
  const rss = rssMb(child.pid!);
  child.stdin!.end();
  await exited(child);
  return { ms, rss };
}

/** Start-up as people run it: a fresh DATA_DIR, the same one again, and the simulator (embedded only). */
const start: Part = async (target) => {
  if (target.db.kind !== 'memory') return;
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const idleMs = Number(process.env.BENCH_IDLE_MS ?? 5000);
  const rows: Record<string, { ms: number; rss: number }[]> = { fresh: [], existing: [], simulator: [] };
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cwb-bench-start-'));
    try {
      rows.fresh!.push(await timeStart(dir, idleMs));
      rows.existing!.push(await timeStart(dir, idleMs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    rows.simulator!.push(await timeSimulator());
  }
  const range = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  for (const [name, r] of Object.entries(rows)) {
    console.log(
      `start [${name}] ${runs} runs: first reply ${range(
        r.map((x) => x.ms / 1000),
        (x) => `${x.toFixed(2)} s`,
      )}, ` +
        `RSS ${name === 'simulator' ? 'at the reply' : `after ${idleMs / 1000} s idle`} ${range(
          r.map((x) => x.rss),
          (x) => `${x.toFixed(0)} MB`,
        )}`,
    );
  }
};

export const parts: Record<string, Part> = { pipeline, profile, insights, broadcast, trigram, start };

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = (wanted.length ? wanted : Object.keys(parts)).map((n) => (n === 'dashboard' ? 'insights' : n));
  const unknown = names.filter((n) => !parts[n]);
  if (unknown.length) {
    console.error(`Unknown bench part: ${unknown.join(', ')}. Parts: ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
  // BENCH_TARGET=embedded or postgres: only that target (default both).
  const only = process.env.BENCH_TARGET;
  if (only && only !== 'embedded' && only !== 'postgres') {
    console.error(`BENCH_TARGET must be embedded or postgres, not ${only}`);
    process.exit(2);
  }
  const targets: Target[] = only === 'postgres' ? [] : [{ label: 'embedded: PGlite + in-process queue', db: { kind: 'memory' } }];
  const pgUrl = only === 'embedded' ? undefined : (process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
  let dropDb: (() => Promise<void>) | undefined;
  if (pgUrl) {
    // A scratch database, so the benchmark leaves nothing behind.
    const scratch = await scratchDatabase(pgUrl, 'bench');
    dropDb = scratch.drop;
    targets.push({ label: `PostgreSQL${redisUrl ? ' + Redis/BullMQ' : ''}`, db: { kind: 'postgres', url: scratch.url }, redisUrl });
  } else console.log('(set TEST_DATABASE_URL and TEST_REDIS_URL to also measure PostgreSQL + Redis)');
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  try {
    for (const name of names) for (const t of targets) await parts[name]!(t);
  } finally {
    await dropDb?.();
  }
}

await main();
// A client library's timer or socket left open must not keep a finished benchmark running.
process.exit(process.exitCode ?? 0);
