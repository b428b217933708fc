/**
 * The contract of a channel module: everything the rest of the bot needs from a messaging platform,
 * in the channel's own folder. A module reads its own settings, builds its adapter, mounts its
 * webhook routes on narrow {@link ChannelPorts} (never the whole App) and says what it can do; the
 * app, the assembly, the broadcast engine and `coworkbot start` iterate the list in
 * `src/channels/index.ts` instead of naming platforms. Adding a channel is one folder plus one line
 * in that list (see docs/reference/channels.md, "Adding a channel").
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ChannelName } from '../core/types.js';
import type { Translator } from '../i18n/i18n.js';
import type { Store } from '../storage/store.js';
import type { RouteMounter } from '../web/routes.js';
import type { ChannelAdapter } from './channel.js';
import type { ChannelPorts } from './ports.js';

/** What a module may read when it sets itself up (before the bot runs). */
export interface ChannelContext {
  /** The parsed configuration (the built-in channels' settings live in it: `TELEGRAM_*`, `WHATSAPP_*`). */
  readonly config: Config;
  /**
   * The environment the configuration was read from (`process.env` after `.env` in production). A
   * channel outside `src/config.ts` reads its own variables here, validating them itself.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The people (an adapter may look up when a person last wrote). */
  readonly store: Pick<Store, 'getPerson'>;
  readonly translator: Pick<Translator, 'for'>;
  readonly clock: Clock;
}

/** Something a channel keeps running in the background, e.g. Telegram's long polling. */
export interface ChannelReceiver {
  isRunning(): boolean;
  stop(): Promise<void>;
}

/** A configured channel: what its module built from the settings it read. */
export interface ChannelSetup {
  /** Builds the adapter replies and broadcasts are sent through (called once, unless a test supplies adapters). */
  adapter(): ChannelAdapter;
  /** The routes it serves on the bot's HTTP server (webhooks), outside any staff middleware. */
  routes?(ports: ChannelPorts): RouteMounter[];
  /**
   * Started with the queue workers: a way in that needs no public URL (long polling). Undefined when
   * this configuration receives through {@link ChannelSetup.routes} only.
   */
  receive?(ports: ChannelPorts): ChannelReceiver | undefined;
  /** How `coworkbot start` describes the way in, e.g. `webhook at /webhooks/telegram` (`receiving`: {@link ChannelSetup.receive} started one). */
  describe(receiving: boolean): string;
}

/**
 * A `coworkbot <channel id>` subcommand (e.g. `coworkbot telegram set-webhook`); the same shape as
 * the CLI's commands. `run` returns the exit code.
 */
export interface ChannelCommand {
  summary: string;
  help: string;
  run(args: string[], config: Config): Promise<number>;
}

/** One messaging platform, as registered in `src/channels/index.ts`. */
export interface ChannelModule {
  /** The channel's name: its adapter's name and the `channel` of its addresses and messages. */
  readonly id: ChannelName;
  /**
   * People can be reached here unprompted (broadcasts, reminders). The module list's order is the
   * order of preference for a person reachable on several such channels.
   */
  readonly broadcasts: boolean;
  /**
   * Reads the channel's settings. Undefined: not configured (the channel is off: no adapter, no
   * routes). Throws a `ConfigError` for a wrong value, like the rest of the configuration.
   */
  setup(ctx: ChannelContext): ChannelSetup | undefined;
  /** Its `coworkbot <id> …` command, if it has one (setting up the platform's side, say). */
  readonly command?: ChannelCommand;
}
