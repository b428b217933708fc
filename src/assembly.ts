/**
 * The composition root of what `coworkbot start` serves: every route (web chat API, webhooks, staff
 * pages), every middleware, the queue workers and the channels' receivers (Telegram long polling), assembled by one function.
 * `src/cli/start.ts` and the tests both call {@link assembleServer}, so a test that serves an
 * assembly serves exactly what a user or a platform reaches in production.
 *
 * The pages come from the app's modules (`src/core/module.ts`): each module built its page family's
 * narrow port (`ConsolePorts`, `PortalPorts`, `InsightsPorts`, `TranslationsPagePorts`,
 * `MetricsRoutePorts`) from the services it was given, so no page holds the App. The server, the
 * login pages and the channels get their own narrow port objects here (`ServerPorts`, `AuthPorts`,
 * `ChannelPorts`).
 *
 * Staff middleware (session, CSRF, role checks) is scoped to the staff paths each page mounts
 * (`/console`, `/staff`, `/insights`, `/translations`, `/login`, `/logout`, `/logout-all`); the web
 * chat API and the webhooks are never behind it, whatever the order of the mounts.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { App } from './app.js';
import type { ChannelReceiver } from './channels/module.js';
import type { ChannelPorts } from './channels/ports.js';
import { routesOf } from './core/module.js';
import type { ChannelName } from './core/types.js';
import { BackupSchedule } from './storage/backup.js';
import { authRoutes } from './web/auth.js';
import { createWebApp, type WebAppOptions } from './web/server.js';

/** What {@link assembleServer} returns: the HTTP app and the lifecycle of the workers behind it. */
export interface Assembly {
  readonly app: App;
  /** Every route and middleware `coworkbot start` serves (use `web.request(...)` or {@link Assembly.listen}). */
  readonly web: Hono;
  /** The channels' background receivers, e.g. Telegram long polling without a webhook secret (after {@link Assembly.start}). */
  readonly receivers: ReadonlyMap<ChannelName, ChannelReceiver>;
  /** Starts the queue workers, the sweeps and the channels' receivers (Telegram long polling). */
  start(concurrency?: number): Promise<void>;
  /** Serves {@link Assembly.web} on a real socket (port 0: any free port); resolves once listening. */
  listen(port: number, hostname: string): Promise<{ server: ServerType; port: number }>;
  /** Stops accepting, stops polling, finishes messages in progress and closes the app. */
  close(): Promise<void>;
}

/**
 * Assembles exactly what `coworkbot start` serves on top of a created app. `opts` exist for the load
 * test's baseline only; `coworkbot start` passes none.
 */
export function assembleServer(app: App, opts: WebAppOptions = {}): Assembly {
  const { config, db, store, queue, translator, clock, log, bot, knowledge, channels } = app;
  // Each part gets its own narrow port object, never the App (the modules built their pages' ports).
  const channelPorts: ChannelPorts = { bot, store, db, channels, translator, config, clock, log };
  const web = createWebApp(
    { bot, store, web: app.web, translator, db, queue, config, log },
    [
      authRoutes({ db, clock, config, knowledge }),
      // Every module's pages (console, portal, insights, translations, metrics), in the modules' order.
      ...routesOf(app.modules),
      ...[...app.channelSetups.values()].flatMap((channel) => channel.routes?.(channelPorts) ?? []),
    ],
    opts,
  );
  const receivers = new Map<ChannelName, ChannelReceiver>();
  let server: ServerType | undefined;
  let backups: BackupSchedule | undefined;
  return {
    app,
    web,
    receivers,
    async start(concurrency) {
      await app.start(concurrency);
      // A way in without a public URL (Telegram without a webhook secret: long polling).
      for (const [name, channel] of app.channelSetups) {
        const receiver = receivers.has(name) ? undefined : channel.receive?.(channelPorts);
        if (receiver) receivers.set(name, receiver);
      }
      // Scheduled backups (BACKUP_DIR): due at once when none exists yet, then every interval.
      const { backupDir, backupIntervalHours, backupKeep } = app.config.ops;
      if (backupDir && !backups && app.dbTarget.kind !== 'memory') {
        const url = app.dbTarget.kind === 'postgres' ? app.dbTarget.url : undefined;
        backups = new BackupSchedule({ db: app.db, url, dir: backupDir, intervalMs: backupIntervalHours * 3_600_000, keep: backupKeep, clock: app.clock, log: app.log });
        backups.start();
        void backups.check();
      }
    },
    async listen(port, hostname) {
      const s = serve({ fetch: web.fetch, port, hostname });
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('listening', resolve);
        s.once('error', reject);
      });
      return { server: s, port: (s.address() as AddressInfo).port };
    },
    async close() {
      server?.close();
      for (const receiver of receivers.values()) if (receiver.isRunning()) await receiver.stop();
      await backups?.stop();
      await app.close();
    },
  };
}
