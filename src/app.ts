/**
 * Wires the pieces together from the configuration: database, queue, translations, channels,
 * features, the bot and the web server. `coworkbot start`, `chat`, `simulate`, the tests and the
 * benchmark all build the bot through {@link createApp}.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelAdapter } from './channels/channel.js';
import { NullChannel, terminalCapabilities } from './channels/channel.js';
import { channelModules, type ChannelModule, type ChannelSetup } from './channels/index.js';
import { configuredTranscriber } from './channels/transcribe.js';
import { WebChannel } from './channels/web/web-channel.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { basics } from './core/basics.js';
import { privacyModule } from './privacy/module.js';
import { handoffModule } from './handoff/module.js';
import { broadcastModule } from './broadcast/module.js';
import { insightsModule } from './insights/module.js';
import { knowledgeModule } from './knowledge/module.js';
import { metricsModule } from './metrics/module.js';
import type { Feature } from './core/feature.js';
import { featuresOf, type Module, type ModuleContext, type ModuleFactory } from './core/module.js';
import { Outbox } from './core/outbox.js';
import { Bot } from './core/pipeline.js';
import { Router } from './core/router.js';
import type { ChannelName } from './core/types.js';
import { Handoff, type ProjectCardProvider } from './handoff/handoff.js';
import { detectSafety } from './handoff/safety.js';
import { Translator } from './i18n/i18n.js';
import { KnowledgeFeature } from './knowledge/feature.js';
import { contentDocs, KnowledgeBase } from './knowledge/knowledge-base.js';
import { loadContent } from './knowledge/content.js';
import { LlmAnswerer } from './knowledge/llm.js';
import { silentLogger, type Logger, errorMessage } from './logger.js';
import { DbQueue, eraseJobsOf } from './queue/db-queue.js';
import type { JobQueue } from './queue/queue.js';
import { configuredDb, openDatabase, type Db, type DbTarget } from './storage/db.js';
import { Store } from './storage/store.js';
import { knowledgeMatches } from './knowledge/matches.js';
import { anonymizeAuditTrail } from './storage/account-store.js';
import { FlowStore } from './storage/flow-store.js';
import { createFlowFeature, type FlowFeature } from './flows/feature.js';
import { loadFlows } from './flows/load.js';
import type { MatchProvider } from './flows/matches.js';
import { SUMMARY_TIMEOUT_MS } from './flows/summary.js';
import { configuredLlm } from './llm/client.js';
import { BroadcastEngine } from './broadcast/engine.js';
import { ReminderDelivery } from './broadcast/reminders.js';
import { staffChatFeature } from './broadcast/staff-chat.js';
import { StaffLinkStore } from './storage/staff-link-store.js';
import { AccountStore } from './storage/account-store.js';
import { subscriptionsFeature } from './broadcast/feature.js';
import { BroadcastStore } from './storage/broadcast-store.js';
import { ContentTexts } from './llm/content-translations.js';
import { TranslationStore } from './storage/translation-store.js';
import { readSeedFiles, seedTranslations } from './knowledge/translation-seeds.js';
import { StaffContentStore } from './storage/staff-content-store.js';
import { staffContentChecks } from './knowledge/staff-checks.js';
import { staffEventToKnowledge } from './knowledge/knowledge-base.js';
import { eraseKnowledgeGaps } from './storage/knowledge-store.js';
import { Metrics } from './metrics/metrics.js';
import { OpsStore } from './storage/ops-store.js';
import { understandFeature } from './understand/feature.js';
import { UNDERSTAND_TIMEOUT_MS } from './understand/llm.js';
import { Understander } from './understand/understand.js';
import { mark } from './timing.js';

export interface AppOptions {
  config: Config;
  /** Overrides the database from the configuration (`memory`, a directory, or a URL). */
  db?: DbTarget;
  /** A database already open and migrated (its target in `db`); the app closes it (the benchmark wraps one to count queries). */
  openDb?: Db;
  /** Use the in-process queue even when REDIS_URL is set. */
  embeddedQueue?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Per-person flood control (default on; the simulator turns it off). */
  floodControl?: boolean;
  /** Channels to use instead of the configured ones (simulator, tests). */
  channels?: ChannelAdapter[];
  /** The channel modules (default: the registry, `src/channels/index.ts`); a test adds its own channel here. */
  channelModules?: readonly ChannelModule[];
  /** The environment channel modules read their own settings from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Modules added after the built-in ones (`src/core/module.ts`): each one's features, main-menu
   * entries, routes and background work join the app's. A test registers its own module here.
   */
  modules?: readonly ModuleFactory[];
  /** Spaces and events for the project interview's matches (default: none, said honestly). */
  matches?: MatchProvider;
  /** Where the flow files are (default: `flows/`). */
  flowsDir?: string;
  /**
   * How often (ms) the running app re-handles messages and re-queues replies that a fault left
   * behind (database or Redis briefly down); work older than this is swept. Default 15 s; 0 = off.
   */
  sweepMs?: number;
  /** A send claimed longer ago than this (ms) was interrupted by a fault and is retried (default 2 min). */
  staleClaimMs?: number;
  /**
   * On PostgreSQL, how long (ms) a person's turn lease counts when the process holding it stopped
   * before giving it back (default 30 s): several processes share one database, and a person's
   * messages are handled in order under this lease (src/core/pipeline.ts). Embedded: unused.
   */
  turnLeaseMs?: number;
  /**
   * How often (ms) the running app re-reads CONTENT_DIR: a changed file is imported (a broken one is
   * logged and the current content kept), and relative demo dates (`@+1 18:30`) move with the days
   * instead of drifting into the past on a long-running server. Default 1 h; 0 = off.
   */
  contentRefreshMs?: number;
  /** The BullMQ queue name (default `coworkbot`; tests sharing one Redis use their own). */
  queueName?: string;
  /**
   * Broadcast records left `sending` this long ago belong to a worker that died (default 5 minutes on
   * PostgreSQL, where other workers may be alive; 0 on the embedded database, which has one owner).
   */
  broadcastStaleMs?: number;
}

export interface App {
  readonly config: Config;
  readonly db: Db;
  /** Where {@link App.db} lives (backups need the directory or the URL). */
  readonly dbTarget: DbTarget;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly translator: Translator;
  readonly bot: Bot;
  /** Spaces, events, explainer and the offline retrieval (content imported from CONTENT_DIR). */
  readonly knowledge: KnowledgeBase;
  readonly web: WebChannel;
  readonly channels: Map<ChannelName, ChannelAdapter>;
  /** The configured channel modules, by channel (their routes and background receivers, for the assembly). */
  readonly channelSetups: ReadonlyMap<ChannelName, ChannelSetup>;
  /** Human handoff: the facilitator queue and console operations. */
  readonly handoff: Handoff;
  readonly clock: Clock;
  readonly log: Logger;
  /** The flow feature (project interview), its matches from the knowledge base unless `AppOptions.matches` replaces them. */
  readonly flows: FlowFeature;
  /** Project cards (`latestCard(personId)` for facilitators). */
  readonly flowStore: FlowStore;
  /** Subscriptions and broadcasts: the store and the delivery engine. */
  readonly broadcastStore: BroadcastStore;
  readonly broadcasts: BroadcastEngine;
  /** Content text for a reader: own language, stored or machine translation, or the fallback chain. */
  readonly contentTexts: ContentTexts;
  /** Machine and hand-written content translations (the `/translations` review page). */
  readonly translationStore: TranslationStore;
  /** Event reminders, sent through the broadcast engine's delivery records. */
  readonly reminders: ReminderDelivery;
  /**
   * Staff edits to space cards and staff-created events. Use this instance for every change: it
   * validates, then refreshes what the bot answers and cancels reminders of cancelled events.
   */
  readonly staffContent: StaffContentStore;
  /** Prometheus figures (`/metrics`): counters moved by the core and every channel's sends. */
  readonly metrics: Metrics;
  /** The modules the app was built from (the assembly mounts their routes). */
  readonly modules: readonly Module[];
  /** Starts the queue workers and finishes work a stopped process left behind. */
  start(concurrency?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a person's turn lease counts after its holder stopped (PostgreSQL, several processes): well
 * above a slow turn (the understanding model's timeout is 6 s, a voice note's transcription a few
 * more), short enough that a person whose process died is answered within the sweep after it.
 */
export const DEFAULT_TURN_LEASE_MS = 30_000;

// In the storage module (the CLI needs it before the app's modules load); exported here for its users.
export { configuredDb };

export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const dbTarget = opts.db ?? configuredDb(config);
  mark('app: creating');
  const opening = opts.openDb ? Promise.resolve(opts.openDb) : openDatabase(dbTarget);
  // While the database opens on its thread, this thread reads what needs none (issue #17, start-up):
  // the content files, the translations and the flows. Their errors are thrown where they were
  // before, after the database opened (a database that cannot open is still the error reported).
  const contentRead = attempt(() => loadContent(config.content.dir, { now: clock.now(), timezone: config.server.timezone }));
  if (contentRead.ok) contentDocs(contentRead.value); // its search documents, for the import
  const flowsRead = attempt(() => loadFlows(opts.flowsDir));
  const seedsRead = attempt(() => readSeedFiles(config.content.dir));
  const translatorMade = Translator.create();
  translatorMade.catch(() => undefined); // its error is thrown below, where it is awaited
  mark('app: files read');
  const db = await opening;
  mark('app: database open');
  try {
    const store = new Store(db);
    // First of the erasure steps, as before: the jobs that name the person (the `jobs` table is the queue's).
    store.onErase(eraseJobsOf);
    const queue: JobQueue =
      // BullMQ and its Redis client load only when used (~0.4 s of start-up otherwise).
      config.redis.url && !opts.embeddedQueue ? new (await import('./queue/bullmq-queue.js')).BullQueue(config.redis.url, opts.queueName ?? 'coworkbot', log) : new DbQueue(db, log);
    const translator = await translatorMade;
    mark('app: translator');
    // Several processes share one Redis (issue #17): a message one sends reaches a stream another holds.
    const webRelay = config.redis.url && !opts.embeddedQueue ? (await import('./channels/web/web-relay.js')).redisWebRelay(config.redis.url, opts.queueName ?? 'coworkbot', log) : undefined;
    const web = new WebChannel(webRelay);
    const channels = new Map<ChannelName, ChannelAdapter>();
    channels.set('web', web);
    channels.set('terminal', Object.assign(new NullChannel('terminal'), { capabilities: terminalCapabilities }));
    const channelMods = opts.channelModules ?? channelModules;
    const channelSetups = new Map<ChannelName, ChannelSetup>();
    for (const m of channelMods) {
      const setup = m.setup({ config, env: opts.env ?? process.env, store, translator, clock });
      if (setup) channelSetups.set(m.id, setup);
    }
    for (const c of opts.channels ?? [...channelSetups.values()].map((s) => s.adapter())) channels.set(c.name, c);
    const metrics = new Metrics({ queue, ops: new OpsStore(db), clock, backupDir: config.ops.backupDir });
    for (const c of channels.values()) metrics.instrument(c);

    const knowledge = new KnowledgeBase(db, config.server.timezone, log);
    await knowledge.open(config.content.dir, clock.now(), () => settled(contentRead));
    mark('app: knowledge open');
    // Built before the features and the bot: features that speak outside a turn hold it from the start.
    const outbox = new Outbox(store, queue, channels, log, { translator, defaultLanguage: config.content.defaultLanguage }, metrics.core);
    outbox.register();
    const broadcastStore = new BroadcastStore(db, config.content.defaultLanguage);
    const broadcasts = new BroadcastEngine({
      store: broadcastStore,
      queue,
      channels,
      translator,
      clock,
      log,
      markUnreachable: (personId, reason) => store.markUnreachable(personId, reason),
      // One process owns the embedded database: whatever it left `sending` is from a run that stopped.
      options: {
        broadcastChannels: channelMods.filter((m) => m.broadcasts).map((m) => m.id),
        whatsappMessagingLimit: config.whatsapp.messagingLimit,
        batchSize: config.whatsapp.broadcastBatch,
        staleAfterMs: opts.broadcastStaleMs ?? (db.kind === 'pglite' ? 0 : undefined),
      },
    });
    broadcasts.register();
    const translationStore = new TranslationStore(db);
    // Machine-drafted translations shipped with the content (data/demo/translations/*.csv), for review.
    await seedTranslations(config.content.dir, knowledge.content, translationStore, clock.now(), log, settled(seedsRead));
    mark('app: translations seeded');
    const contentTexts = new ContentTexts({ store: translationStore, llm: configuredLlm(config), clock, log, waitMs: config.llm.contentWaitMs });
    const knowledgeFeature = new KnowledgeFeature({
      kb: knowledge,
      translator,
      queue,
      clock,
      log,
      outbox,
      reminders: broadcasts,
      llm: LlmAnswerer.fromConfig(config, log),
      texts: contentTexts,
      locationMaxKm: config.content.locationMaxKm,
    });
    // Flow files are checked before anything else runs: a broken flow stops start-up (file, path, reason).
    const flowStore = new FlowStore(db);
    // With a model configured, the card's summary is written by it (the answers go to that server).
    const flows = createFlowFeature({
      flows: settled(flowsRead),
      store,
      flowStore,
      translator,
      matches: opts.matches ?? knowledgeMatches(knowledge),
      timezone: config.server.timezone,
      llm: configuredLlm(config, { timeoutMs: SUMMARY_TIMEOUT_MS }),
      log,
    });
    const reminders = new ReminderDelivery({
      store: broadcastStore,
      engine: broadcasts,
      clock,
      messages: (eventId, offset) => knowledgeFeature.reminderMessages(eventId, offset),
      cancelEvent: async (eventId) => (await knowledge.store.cancelEventReminders(eventId)).length,
    });
    const handoff = new Handoff({ db, store, queue, translator, clock, log, config, cards: projectCards(flowStore) });
    mark('app: flows loaded');
    await handoff.seedCannedReplies();
    mark('app: canned replies');
    store.onErase(anonymizeAuditTrail);
    store.onErase(eraseKnowledgeGaps);
    const staffContent = staffContentStore(db, knowledge, knowledgeFeature, log);
    // The bot's features, filled from the modules below in the order the router asks them (each
    // declares its phase); privacy's export asks every one of them, itself included, what it stores.
    const features: Feature[] = [];
    const ctx: ModuleContext = { config, db, store, queue, translator, clock, log, outbox };
    // What the staff pages read to show who is logged in and space names (each page family's port extends it).
    const auth = { db, clock, config, knowledge };
    // The modules the app is built from: their features, menu entries, routes and background work.
    // The list's order only orders routes, jobs and features of one phase.
    const modules: Module[] = [
      handoffModule(handoff, { ...auth, handoff, store, bot: { outbox }, translator, log }),
      { id: 'core', features: [basics] },
      { id: 'flows', features: [flows] },
      broadcastModule({
        features: [
          subscriptionsFeature({ store: broadcastStore, translator, spaceName: async (id) => knowledge.space(id)?.name }),
          staffChatFeature({ links: new StaffLinkStore(db), accounts: new AccountStore(db), content: staffContent, timezone: config.server.timezone }),
        ],
        engine: broadcasts,
        portal: { ...auth, translator, staffContent, broadcastStore, broadcasts, log },
      }),
      insightsModule({ db, config, clock }, auth),
      knowledgeModule({
        feature: knowledgeFeature,
        knowledge,
        translationStore,
        translationsPage: { ...auth, translationStore },
        contentDir: config.content.dir,
        contentRefreshMs: opts.contentRefreshMs ?? 3_600_000,
        clock,
        log,
      }),
      privacyModule({ store, queue, clock, log, retentionDays: config.privacy.retentionDays, features }),
      { id: 'understand', features: [understandFeature({ eventsAbout: (turn, topics, heading) => knowledgeFeature.eventsAbout(turn, topics, heading) })] },
      metricsModule({ config, metrics }),
      ...(opts.modules ?? []).map((m) => m(ctx)),
    ];
    features.push(...featuresOf(modules));
    const transcribe = configuredTranscriber(config, channels, log);
    const router = new Router(features, translator);
    // The understanding step reads every message before the router (with a model configured, the
    // model reads it; the offline step is its fallback and the safety check stays offline).
    const understander = new Understander({
      knowledge: () => knowledge,
      commandFor: (text) => router.commandFor(text),
      log,
      llm: configuredLlm(config, { timeoutMs: UNDERSTAND_TIMEOUT_MS }),
      llmTimeoutMs: UNDERSTAND_TIMEOUT_MS,
    });
    const bot = new Bot({
      store,
      queue,
      translator,
      clock,
      log,
      features,
      channels,
      outbox,
      router,
      defaultLanguage: config.content.defaultLanguage,
      floodControl: opts.floodControl,
      transcribe,
      understander,
      observer: metrics.core,
      // The offline safety list: a message that may be about someone in danger is never held back.
      mayBeSafety: (text) => detectSafety(text) !== undefined,
      // Several processes may share a PostgreSQL database (issue #17); the embedded one has one owner.
      ...(db.kind === 'postgres' ? { turnLease: { owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ms: opts.turnLeaseMs ?? DEFAULT_TURN_LEASE_MS } } : {}),
    });

    mark('app: created');
    let started = false;
    let sweeper: NodeJS.Timeout | undefined;
    const sweepMs = opts.sweepMs ?? 15_000;
    return {
      config,
      db,
      dbTarget,
      store,
      queue,
      translator,
      bot,
      knowledge,
      web,
      channels,
      channelSetups,
      handoff,
      clock,
      log,
      flows,
      flowStore,
      broadcastStore,
      broadcasts,
      contentTexts,
      translationStore,
      reminders,
      staffContent,
      metrics,
      modules,
      async start(concurrency = 4) {
        if (started) return;
        started = true;
        for (const m of modules) await m.jobs?.();
        await webRelay?.ready();
        await queue.start(concurrency);
        bot.outbox.startSending();
        for (const m of modules) await m.start?.();
        const recovered = await bot.recover();
        if (recovered > 0) log.info({ recovered }, 'core: handling messages left by a previous run');
        mark('app: started');
        if (sweepMs > 0) {
          let sweeping = false;
          sweeper = setInterval(() => {
            if (sweeping) return;
            sweeping = true;
            bot
              .sweep(sweepMs, opts.staleClaimMs)
              .then((n) => {
                if (n.inbound + n.outbound > 0) log.info(n, 'core: sweep resumed work left by a fault');
              })
              .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'core: sweep failed; will try again'))
              .finally(() => (sweeping = false));
          }, sweepMs);
          sweeper.unref();
        }
      },
      async close() {
        if (sweeper) clearInterval(sweeper);
        for (const m of [...modules].reverse()) await m.stop?.();
        await bot.idle();
        await contentTexts.idle(2000);
        // Running broadcast jobs finish the records they hold and claim no more.
        broadcasts.stop();
        await queue.close();
        await web.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** What `fn` returned, or what it threw, to hand over later with {@link settled}. */
type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The value of an {@link attempt}, or its error thrown now. */
function settled<T>(a: Attempt<T>): T {
  if (a.ok) return a.value;
  throw a.error;
}

/** Facilitators see a project card only when the person agreed to share it. */
function projectCards(flowStore: FlowStore): ProjectCardProvider {
  return {
    async latestCard(personId) {
      const card = await flowStore.latestCard(personId);
      if (!card?.shareConsent) return undefined;
      return {
        title: `Project card · support level ${card.supportLevel}${card.summaryKind === 'model' ? ' · summary written by a language model: check it with the person' : ''}`,
        fields: [
          { label: 'English', value: card.cardEn },
          { label: 'Italiano', value: card.cardIt },
        ],
      };
    },
  };
}

/**
 * Staff edits to space cards and staff-created events: this process answers from the new content at
 * once (other processes: see README, staff guide), and people with reminders hear of a cancelled or
 * moved event.
 */
function staffContentStore(db: Db, knowledge: KnowledgeBase, knowledgeFeature: KnowledgeFeature, log: Logger): StaffContentStore {
  const staffContent: StaffContentStore = new StaffContentStore(db, {
    checks: staffContentChecks,
    spaceIds: () => knowledge.content.spaces.map((s) => s.id),
    onChange: async (change) => {
      await knowledge.refreshStaffContent(change.kind === 'space' ? change.spaceId : undefined);
      if (change.kind === 'event' && change.action === 'cancelled') {
        const e = await staffContent.getEvent(change.eventId);
        if (e) {
          const told = await knowledgeFeature.eventCancelled(staffEventToKnowledge(e));
          log.info({ event: e.id, told }, 'knowledge: event cancelled; reminders cancelled');
        }
      }
      if (change.kind === 'event' && change.action === 'updated') {
        const e = await staffContent.getEvent(change.eventId);
        if (e && e.start.getTime() !== change.previousStart.getTime()) {
          const told = await knowledgeFeature.eventMoved(staffEventToKnowledge(e), change.previousStart);
          log.info({ event: e.id, told }, 'knowledge: event moved; reminders moved');
        }
      }
    },
  });
  return staffContent;
}
