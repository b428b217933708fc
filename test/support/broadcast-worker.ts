// A broadcast worker in its own process, for test/broadcast-kill.test.ts: opens the database, starts
// the queue workers (which resume any broadcast still sending) and sends through the fake Telegram and
// WhatsApp APIs. Prints "ready" once started and "done" (then exits) when every broadcast is finished.
// The test kills it with SIGKILL mid-way. Arguments: a JSON object { db, tg, wa, redis?, queueName? }.
import type { DbTarget } from '../../src/storage/db.js';
import { broadcastApp } from '../broadcast-support.js';
import type { FakeApi } from '../channels/fakes.js';

const args = JSON.parse(process.argv[2]!) as { db: DbTarget; tg: string; wa: string; redis?: string; queueName?: string; rate: number };
const fakes = { tg: { url: args.tg } as FakeApi, wa: { url: args.wa } as FakeApi };
// A killed worker's claims are stale at once: the test runs one worker at a time.
const app = await broadcastApp(args.db, fakes, { rate: args.rate, redisUrl: args.redis, queueName: args.queueName, staleMs: 0 });
await app.start(4);
process.stdout.write('ready\n');
for (;;) {
  const rows = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM broadcasts WHERE status = 'sending'`);
  if (rows[0]!.n === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
await app.close();
process.stdout.write('done\n');
process.exit(0);
