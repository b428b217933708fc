import { configuredDb, createApp } from '../app.js';
import { assembleServer } from '../assembly.js';
import { createLogger } from '../logger.js';
import { serveBackupRequests } from '../storage/backup.js';
import type { Command } from './command.js';
import { mark } from '../timing.js';

export const startCommand: Command = {
  summary: 'start the bot: web chat, webhooks and staff pages on PORT',
  help: `Usage: coworkbot start

Starts the bot with the configuration from the environment (and .env): the web chat on
http://HOST:PORT/, the channels whose tokens are set, and the background workers.
With no configuration it uses an embedded database in DATA_DIR (./data/db) and the demo content.
Stops cleanly on SIGTERM / SIGINT: stops accepting, finishes messages in progress, exits.`,
  async run(_args, config) {
    const log = createLogger(config.server.logLevel);
    const app = await createApp({ config, log });
    const served = assembleServer(app);
    await served.start();
    await served.listen(config.server.port, config.server.host);
    mark('start: listening');
    const db = configuredDb(config);
    // `coworkbot backup` asks this process for the snapshot while it owns the embedded database.
    if (db.kind === 'dir') serveBackupRequests(app.db, db.dir, log);
    const url = `http://${config.server.host === '0.0.0.0' ? 'localhost' : config.server.host}:${config.server.port}/`;
    process.stdout.write(
      [
        'coworkbot is running',
        `  web chat     ${url}`,
        `  console      ${url}console (create an account with: coworkbot user add)`,
        `  translations ${url}translations (coordinators: review content translations)`,
        `  database     ${db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.database.dataDir}`}`,
        `  queue        ${app.queue.kind === 'bullmq' ? 'BullMQ on Redis (REDIS_URL)' : 'in-process, stored in the database'}`,
        `  channels     ${[...app.channels.keys()].join(', ')}`,
        ...[...app.channelSetups].map(([name, channel]) => `  ${name.padEnd(13)}${channel.describe(served.receivers.has(name))}`),
        `  content      ${config.content.dir}`,
        `  LLM          ${config.llm.apiKey || config.llm.baseUrl ? `on (${config.llm.model})` : 'off (offline answers)'}`,
        `  backups      ${config.ops.backupDir ? `every ${config.ops.backupIntervalHours} h into ${config.ops.backupDir} (keep ${config.ops.backupKeep})` : 'not scheduled (set BACKUP_DIR); coworkbot backup FILE'}`,
        `  metrics      ${url}metrics (${config.ops.metricsToken ? 'bearer token' : 'this machine only'})`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      await served.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    return -1;
  },
};
