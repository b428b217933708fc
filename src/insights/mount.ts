/**
 * Mounts the insights dashboard on the web server with a guard. `coworkbot start` (src/assembly.ts)
 * mounts it behind `coordinatorGuard` (a logged-in coordinator or admin, src/insights/guard.ts).
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../storage/db.js';
import { InsightsStore } from '../storage/insights-store.js';
import type { RouteMounter } from '../web/server.js';
import { llmGapTranslator } from './translate.js';
import { insightsRoutes, type InsightsGuard, type InsightsOptions } from './dashboard.js';

/** A guard that lets nobody in (no accounts yet). */
export const refuseAll: InsightsGuard = async (c) => c.text('The insights dashboard needs a coordinator or admin account; accounts are not set up on this server yet.', 403);

/** What the dashboard needs of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface InsightsPorts {
  /** For the dashboard's read-only store. */
  readonly db: Db;
  /** The minimum group size, the timezone, and the model that translates gap questions (when configured). */
  readonly config: Config;
  readonly clock: Clock;
}

/** The `/insights` mounter for {@link createWebApp}. */
export function insightsMounter(app: InsightsPorts, guard: InsightsGuard, extra: Partial<InsightsOptions> = {}): RouteMounter {
  return (web) => {
    web.route(
      '/insights',
      insightsRoutes({
        store: new InsightsStore(app.db),
        guard,
        minGroupSize: app.config.privacy.minGroupSize,
        timezone: app.config.server.timezone,
        now: () => app.clock.now(),
        translate: llmGapTranslator(app.config),
        ...extra,
      }),
    );
  };
}
