// A burst: 120 people write to the bot within about half a second (stored the way the Telegram
// webhook stores them), with the send workers running. When the 40th turn is about to be marked
// committed (replies stored and the message marked handled, in one statement), the process kills itself (SIGKILL, like `kill -9`): the other turns are then at every
// step of their handling (stored, being handled, replies stored but the message not yet marked).
// Used by test/reliability/killed-worker.test.ts. Arguments: the data directory and the fake Bot API URL.
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

const [dir, apiRoot] = process.argv.slice(2) as [string, string];
const config = parseConfig({ LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: '123:TEST', TELEGRAM_API_ROOT: apiRoot, TELEGRAM_RATE_PER_CHAT: '1000', TELEGRAM_RATE_PER_SECOND: '1000' });
const app = await createApp({ config, db: { kind: 'dir', dir }, embeddedQueue: true, sweepMs: 0 });
await app.start(4);
let marked = 0;
// A turn's effects (replies, the processed mark) are written by one statement: die right before the 40th.
const commitTurn = app.store.commitTurn.bind(app.store);
app.store.commitTurn = (...args) => {
  if (++marked === 40) process.kill(process.pid, 'SIGKILL');
  return commitTurn(...args);
};
await Promise.all(
  Array.from({ length: 120 }, async (_, i) => {
    await new Promise((r) => setTimeout(r, i * 4));
    await app.bot.receive({ channel: 'telegram', address: String(7000 + i), externalId: `7000${i}:1`, receivedAt: new Date(), content: { type: 'text', text: 'hello' } });
  }),
);
