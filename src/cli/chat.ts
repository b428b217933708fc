import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createApp } from '../app.js';
import { parseDbTarget } from '../storage/db.js';
import type { Command } from './command.js';

export const chatCommand: Command = {
  summary: 'chat with the bot in this terminal',
  help: `Usage: coworkbot chat [--db memory|DIR|URL] [--lang CODE]

An interactive chat in the terminal. Choices are numbered: type the number to choose.
Uses a fresh in-memory database unless --db is given (the embedded database of a running
"coworkbot start" is locked by it; use --db memory or the same DATABASE_URL). Type /quit to leave.`,
  async run(args, config) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, lang: { type: 'string' } } });
    const app = await createApp({ config, db: parseDbTarget(values.db ?? 'memory'), embeddedQueue: true });
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    const address = `terminal:${randomUUID()}`;
    process.stdout.write('Write a message (e.g. "hello"), or /quit to leave.\n');
    for await (const line of rl) {
      const text = line.trim();
      if (!text) continue;
      if (text === '/quit' || text === '/exit') break;
      const result = await app.bot.handle({
        channel: 'terminal',
        address,
        externalId: randomUUID(),
        receivedAt: new Date(),
        content: { type: 'text', text },
        languageHint: values.lang,
      });
      for (const r of result.replies) process.stdout.write(`\n🤖 ${r.text ?? ''}\n`);
      if (result.handoff) process.stdout.write('\n(a person will answer here)\n');
      process.stdout.write('\n> ');
    }
    rl.close();
    await app.close();
    return 0;
  },
};
