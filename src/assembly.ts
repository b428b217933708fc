/**
 * The composition root of what `coworkbot start` serves: every route (web chat API, webhooks, staff
 * pages), every middleware, the queue workers and the channels' receivers (Telegram long polling), assembled by one function.
 * `src/cli/start.ts` and the tests both call {@link assembleServer}, so a test that serves an
 * assembly serves exactly what a user or a platform reaches in production.
 *
 * Every page family and the server take a narrow port naming only the services they use
 * (`ServerPorts`, `AuthPorts`, `ConsolePorts`, `PortalPorts`, `InsightsPorts`, `TranslationsPagePorts`,
 * `MetricsRoutePorts`, `ChannelPorts`), never the App: the created App satisfies each of them as it
 * is, so only this layer knows the App.
 *
 * Staff middleware (session, CSRF, role checks) is scoped to the staff paths each page mounts
 * (`/console`, `/staff`, `/insights`, `/translations`, `/login`, `/logout`, `/logout-all`); the web
 * chat API and the webhooks are never behind it, whatever the order of the mounts.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { App } from './app.js';
import { staffPortal } from './broadcast/portal.js';
import type { ChannelReceiver } from './channels/module.js';
import type { ChannelName } from './core/types.js';
import { handoffConsole } from './handoff/console.js';
import { coordinatorGuard } from './insights/guard.js';
import { insightsMounter } from './insights/mount.js';
import { translationsPage } from './knowledge/translations-page.js';
import { metricsRoute } from './metrics/route.js';
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
  const web = createWebApp(
    app,
    [
      authRoutes(app),
      handoffConsole(app),
      staffPortal(app),
      insightsMounter(app, coordinatorGuard(app)),
      translationsPage(app),
      ...[...app.channelSetups.values()].flatMap((channel) => channel.routes?.(app) ?? []),
      metricsRoute(app),
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
        const receiver = receivers.has(name) ? undefined : channel.receive?.(app);
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
