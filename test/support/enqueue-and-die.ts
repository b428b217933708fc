// Receives one message on an embedded database, lets the bot queue its replies, then dies with
// SIGKILL before any worker sends them. Used by test/crash.test.ts.
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

const dir = process.argv[2]!;
const app = await createApp({ config: parseConfig({ LOG_LEVEL: 'silent' }), db: { kind: 'dir', dir }, embeddedQueue: true });
const r = await app.bot.handle({ channel: 'web', address: 'w-crash', externalId: 'crash-1', receivedAt: new Date(), content: { type: 'text', text: 'hello' } });
process.stdout.write(`${JSON.stringify(r.replyIds)}\n`);
process.kill(process.pid, 'SIGKILL');
