import { serve } from '@hono/node-server';
import type { RunnerHandle } from '@grammyjs/runner';
import { configuredDb, createApp } from '../app.js';
import { authRoutes, handoffConsole } from '../handoff/console.js';
import { channelMounts } from '../channels/configured.js';
import { staffPortal } from '../broadcast/portal.js';
import { startTelegramPolling } from '../channels/telegram/webhook.js';
import { createLogger } from '../logger.js';
import { insightsMounter } from '../insights/mount.js';
import { coordinatorGuard } from '../insights/guard.js';
import { translationsPage } from '../knowledge/translations-page.js';
import { createWebApp } from '../web/server.js';
import type { Command } from './command.js';

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
    await app.start();
    const web = createWebApp(app, [authRoutes(app), handoffConsole(app), staffPortal(app), insightsMounter(app, coordinatorGuard(app)), translationsPage(app), ...channelMounts(app)]);
    // Telegram without a webhook secret: long polling (a laptop with no public URL).
    let polling: RunnerHandle | undefined;
    if (config.telegram.token && !config.telegram.webhookSecret) polling = startTelegramPolling(app, config.telegram.token, config.telegram.apiRoot);
    const server = serve({ fetch: web.fetch, port: config.server.port, hostname: config.server.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const db = configuredDb(config);
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
        ...(config.telegram.token ? [`  telegram     ${polling ? 'long polling' : 'webhook at /webhooks/telegram'}`] : []),
        ...(config.whatsapp.accessToken ? ['  whatsapp     webhook at /webhooks/whatsapp'] : []),
        `  content      ${config.content.dir}`,
        `  LLM          ${config.llm.apiKey || config.llm.baseUrl ? `on (${config.llm.model})` : 'off (offline answers)'}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      server.close();
      if (polling?.isRunning()) await polling.stop();
      await app.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    return -1;
  },
};
