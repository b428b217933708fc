/**
 * The contract of a module: one capability of the bot (knowledge, the project interview, the human
 * handoff, broadcasts, insights, privacy…) as one object, instead of features, routes and jobs listed
 * by hand in the app and the assembly. `createApp` builds the app from its list of modules: the bot's
 * features are every module's features in their declared phases, the main menu is the entries those
 * features contribute, the web server mounts every module's routes, and the app's start and close
 * run every module's jobs, start and stop. Messaging platforms have their own, older registry
 * (`src/channels/module.ts`).
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { Db } from '../storage/db.js';
import type { Store } from '../storage/store.js';
import type { RouteMounter } from '../web/routes.js';
import { orderFeatures, type Feature } from './feature.js';
import type { Outbox } from './outbox.js';

/** One capability of the bot: its conversation features, its HTTP routes and its background work. */
export interface Module {
  /** A short name (`knowledge`, `handoff`), for logs and tests. */
  readonly id: string;
  /**
   * The bot's features this module adds, each with its own phase and main-menu entries (see
   * `Feature.phase`, `Feature.menu`): where it is listed does not decide the order the router asks it.
   */
  readonly features?: readonly Feature[];
  /**
   * The routes it serves on the bot's HTTP server (staff pages, their own middleware scoped to their
   * paths). The module built the narrow ports its pages take when it was built, so the assembly hands
   * it nothing else.
   */
  routes?(): RouteMounter[];
  /** Before the queue workers start: registers job handlers, settles work a stopped run left behind. */
  jobs?(): Promise<void> | void;
  /** After the queue workers started: timers, alerts. */
  start?(): Promise<void> | void;
  /** When the app closes, before the bot finishes its turns (modules stop in the reverse order). */
  stop?(): Promise<void> | void;
}

/** The shared services every module may use when it is built (built before any module). */
export interface ModuleContext {
  readonly config: Config;
  readonly db: Db;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly translator: Translator;
  readonly clock: Clock;
  readonly log: Logger;
  /** The one way to speak to a person outside a turn. */
  readonly outbox: Outbox;
}

/** Builds a module from the shared services: how a module outside the built-in list is registered (`AppOptions.modules`). */
export type ModuleFactory = (ctx: ModuleContext) => Module;

/** Every module's features, in the order the router asks them (by phase; one phase in the modules' order). */
export function featuresOf(modules: readonly Module[]): Feature[] {
  return orderFeatures(modules.flatMap((m) => m.features ?? []));
}

/** Every module's routes, in the modules' order. */
export function routesOf(modules: readonly Module[]): RouteMounter[] {
  return modules.flatMap((m) => m.routes?.() ?? []);
}
