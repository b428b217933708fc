/**
 * Wires the pieces together from the configuration: database, queue, translations, channels,
 * features, the bot and the web server. `coworkbot start`, `chat`, `simulate`, the tests and the
 * benchmark all build the bot through {@link createApp}.
 */
import type { ChannelAdapter } from './channels/channel.js';
import { NullChannel, terminalCapabilities } from './channels/channel.js';
import { WebChannel } from './channels/web/web-channel.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { basics } from './core/basics.js';
import type { Feature } from './core/feature.js';
import { Bot } from './core/pipeline.js';
import type { ChannelName } from './core/types.js';
import { Translator } from './i18n/i18n.js';
import { KnowledgeFeature } from './knowledge/feature.js';
import { KnowledgeBase } from './knowledge/knowledge-base.js';
import { LlmAnswerer } from './knowledge/llm.js';
import { silentLogger, type Logger } from './logger.js';
import { BullQueue } from './queue/bullmq-queue.js';
import { DbQueue } from './queue/db-queue.js';
import type { JobQueue } from './queue/queue.js';
import { openDatabase, parseDbTarget, type Db, type DbTarget } from './storage/db.js';
import { Store } from './storage/store.js';

export interface AppOptions {
  config: Config;
  /** Overrides the database from the configuration (`memory`, a directory, or a URL). */
  db?: DbTarget;
  /** Use the in-process queue even when REDIS_URL is set. */
  embeddedQueue?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Channels to use instead of the configured ones (simulator, tests). */
  channels?: ChannelAdapter[];
}

export interface App {
  readonly config: Config;
  readonly db: Db;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly translator: Translator;
  readonly bot: Bot;
  /** Spaces, events, explainer and the offline retrieval (content imported from CONTENT_DIR). */
  readonly knowledge: KnowledgeBase;
  readonly web: WebChannel;
  readonly channels: Map<ChannelName, ChannelAdapter>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Starts the queue workers and finishes work a stopped process left behind. */
  start(concurrency?: number): Promise<void>;
  close(): Promise<void>;
}

/** The database the configuration asks for. */
export function configuredDb(config: Config): DbTarget {
  return config.database.url ? parseDbTarget(config.database.url) : { kind: 'dir', dir: config.database.dataDir };
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const db = await openDatabase(opts.db ?? configuredDb(config));
  try {
    const store = new Store(db);
    const queue: JobQueue =
      config.redis.url && !opts.embeddedQueue ? new BullQueue(config.redis.url, 'coworkbot', log) : new DbQueue(db, log);
    const translator = await Translator.create();
    const web = new WebChannel();
    const channels = new Map<ChannelName, ChannelAdapter>();
    channels.set('web', web);
    channels.set('terminal', Object.assign(new NullChannel('terminal'), { capabilities: terminalCapabilities }));
    for (const c of opts.channels ?? []) channels.set(c.name, c);

    const knowledge = new KnowledgeBase(db, config.server.timezone, log);
    await knowledge.open(config.content.dir, clock.now());
    let outbox: Bot['outbox'] | undefined;
    const features: Feature[] = [basics, new KnowledgeFeature({ kb: knowledge, translator, queue, store, clock, log, outbox: () => outbox!, llm: LlmAnswerer.fromConfig(config, log) })];
    const bot = new Bot({ store, queue, translator, clock, log, features, channels, defaultLanguage: config.content.defaultLanguage });
    bot.outbox.register();
    outbox = bot.outbox;

    let started = false;
    return {
      config, db, store, queue, translator, bot, knowledge, web, channels, clock, log,
      async start(concurrency = 4) {
        if (started) return;
        started = true;
        await queue.start(concurrency);
        const recovered = await bot.recover();
        if (recovered > 0) log.info({ recovered }, 'core: handling messages left by a previous run');
      },
      async close() {
        await bot.idle();
        await queue.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
