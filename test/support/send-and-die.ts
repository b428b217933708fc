// Receives one Telegram message from each of 8 people on an embedded database, starts the send
// workers, and is killed (SIGKILL) by test/reliability/killed-worker.test.ts while replies are
// being sent. Arguments: the data directory and the fake Bot API URL.
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

const [dir, apiRoot] = process.argv.slice(2) as [string, string];
const config = parseConfig({ LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: '123:TEST', TELEGRAM_API_ROOT: apiRoot, TELEGRAM_RATE_PER_CHAT: '1000' });
const app = await createApp({ config, db: { kind: 'dir', dir }, embeddedQueue: true, sweepMs: 0 });
for (let i = 0; i < 8; i++) {
  await app.bot.handle({ channel: 'telegram', address: String(6100 + i), externalId: `6100${i}:1`, receivedAt: new Date(), content: { type: 'text', text: 'hello' } });
}
process.stdout.write('queued\n');
await app.start(4);
