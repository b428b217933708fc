/**
 * Human handoff: the `human` global command, the safety words, the "two misses in a row → offer a
 * person" rule, and the operations the facilitator console performs (claim, reply, release,
 * close). While a case is open the conversation is in mode `waiting` / `human` and the router keeps
 * the bot silent; {@link Handoff.feature}'s `onHumanModeInput` re-queues held WhatsApp messages and
 * wakes the console.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import type { Choice } from '../core/types.js';
import type { Outbox } from '../core/outbox.js';
import { SEND_JOB } from '../core/outbox.js';
import { actorOf } from '../core/pipeline.js';
import type { Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { Db } from '../storage/db.js';
import { AccountStore } from '../storage/account-store.js';
import { HandoffStore, PRIORITY, type HandoffCase, type Outcome, type PriorityName } from '../storage/handoff-store.js';
import type { Store } from '../storage/store.js';
import { HandoffAlerts, telegramAlertSink } from './alerts.js';
import { FacilitatorHours } from './hours.js';
import { detectSafety } from './safety.js';

/** A project card another feature (the incubation interview) can show to facilitators. */
export interface ProjectCard {
  title: string;
  fields: { label: string; value: string }[];
}

/** Where the console gets a person's project card from. The lead wires the flows store in. */
export interface ProjectCardProvider {
  latestCard(personId: string): Promise<ProjectCard | undefined>;
}

export interface HandoffRequest {
  /** Why: `asked`, `safety`, `interview`, `misses`… (shown to facilitators, stored without free text). */
  reason: string;
  priority: PriorityName;
  /** A short context line for facilitators (no personal data beyond what the person wrote to us). */
  note?: string;
}

const PENDING = 'handoff:request';

/**
 * Sends the person to a facilitator from any feature (e.g. at the end of the incubation interview):
 * the person is told honestly what happens and the bot falls silent until the case is released.
 */
export async function requestHandoff(turn: Turn, request: HandoffRequest): Promise<void> {
  turn.setState(PENDING, request);
  await turn.command('human');
}

export interface HandoffDeps {
  db: Db;
  store: Store;
  queue: JobQueue;
  translator: Translator;
  clock: Clock;
  log: Logger;
  config: Config;
  /** Where facilitators' project cards come from (default: none). */
  cards?: ProjectCardProvider;
}

/** What the console hears about: a person wrote, a case changed. */
export interface HandoffChange {
  personId: string;
  kind: 'case' | 'message';
}

export class Handoff {
  readonly cases: HandoffStore;
  readonly accounts: AccountStore;
  readonly hours: FacilitatorHours;
  readonly alertMinutes: number;
  private readonly cards: ProjectCardProvider;
  private readonly hub = new EventEmitter();
  /** Telegram alerts about unclaimed conversations, when configured. */
  readonly alerts: HandoffAlerts | undefined;

  constructor(private readonly deps: HandoffDeps) {
    this.cases = new HandoffStore(deps.db);
    this.accounts = new AccountStore(deps.db);
    this.hours = new FacilitatorHours(deps.config.handoff.hours, deps.config.server.timezone);
    this.alertMinutes = deps.config.handoff.alertMinutes;
    this.hub.setMaxListeners(0);
    this.cards = deps.cards ?? { latestCard: async () => undefined };
    const sink = telegramAlertSink(deps.config);
    const base = deps.config.server.publicUrl ?? `http://${deps.config.server.host}:${deps.config.server.port}`;
    this.alerts = sink ? new HandoffAlerts(this.cases, sink, { alertMinutes: this.alertMinutes, clock: deps.clock, log: deps.log, consoleUrl: `${base.replace(/\/$/, '')}/console` }) : undefined;
  }

  latestCard(personId: string): Promise<ProjectCard | undefined> {
    return this.cards.latestCard(personId);
  }

  /** Listens to changes (for the console's live views); returns the unsubscribe function. */
  onChange(listener: (c: HandoffChange) => void): () => void {
    this.hub.on('change', listener);
    return () => this.hub.off('change', listener);
  }

  private changed(personId: string, kind: HandoffChange['kind']): void {
    this.hub.emit('change', { personId, kind } satisfies HandoffChange);
  }

  /** Canned replies seeded from the locale files, once. */
  async seedCannedReplies(): Promise<void> {
    const keys = ['greeting', 'checking', 'spaces', 'goodbye'] as const;
    const titles = { greeting: 'Greeting', checking: 'Checking, please wait', spaces: 'Spaces are open to everyone', goodbye: 'Goodbye' };
    await this.cases.seedCanned(keys.map((k) => ({ title: titles[k], texts: Object.fromEntries(languageCodes.map((l) => [l, this.deps.translator.for(l)(`handoff:canned.${k}`)])) })));
  }

  // ── the conversation side ────────────────────────────────────────────────

  /** First of all features: safety words must win over every other answer. */
  readonly feature: Feature = {
    name: 'handoff',
    phase: FeaturePhase.safety,
    menu: [{ id: 'cmd:human', label: 'core:menu.human', order: 50 }],
    commands: {
      human: async (turn) => {
        const pending = turn.state<HandoffRequest>(PENDING);
        if (pending) turn.setState(PENDING, undefined);
        await this.open(turn, pending ?? { reason: 'asked', priority: 'normal' });
      },
    },
    intents: {
      // The router asks for safety before anything else (the offline check; the model never decides it).
      safety: async (turn, u) => {
        turn.event('handoff_safety', { category: u.safety?.category ?? 'model' });
        await this.open(turn, { reason: 'safety', priority: 'safety' });
        return true;
      },
      // Asking for a person in words ("I need to talk to someone"), not only the command word.
      human: async (turn) => {
        await turn.command('human');
        return true;
      },
    },
    onFirstContact: async (turn) => this.safetyCheck(turn),
    onInput: async (turn) => this.safetyCheck(turn),
    onHumanModeInput: async (turn) => {
      const { queue } = this.deps;
      // The person wrote: the WhatsApp window is open again, so held replies can go now.
      const held = await this.cases.requeueHeld(turn.person.id);
      for (const id of held) await queue.add(SEND_JOB, { id }, { priority: 'reply', key: `send:${id}:requeue:${turn.now.getTime()}` });
      const text = turn.content.type === 'text' ? turn.content.text : '';
      const safety = (text ? detectSafety(text) : undefined) ?? (turn.understanding?.intent === 'safety' ? { category: 'model' } : undefined);
      const open = await this.cases.openCase(turn.person.id);
      if (safety && open) {
        await this.cases.open(turn.person.id, turn.channel, { reason: 'safety', priority: PRIORITY.safety }, turn.now);
        if (await this.cases.markSafetySent(open.id)) this.sayNumbers(turn);
        turn.event('handoff_safety', { category: safety.category });
      }
      this.changed(turn.person.id, 'message');
    },
  };

  /**
   * After the features that answer: reaching it means no feature could answer. The second miss in a row offers a
   * person (not forced); the first gets the core's "not understood".
   */
  readonly fallback: Feature = {
    name: 'handoff-offer',
    phase: FeaturePhase.fallback,
    onInput: async (turn) => {
      if (turn.content.type !== 'text') return false;
      // With the understanding step, its clarifying question offers the person (src/understand/feature.ts).
      if (turn.understanding) return false;
      if (turn.misses < 1) return false;
      offerPerson(turn);
      return true;
    },
  };

  private async safetyCheck(turn: Turn): Promise<boolean> {
    const c = turn.content;
    const text = c.type === 'text' ? c.text : c.type === 'image' || c.type === 'document' ? (c.caption ?? '') : '';
    const safety = text ? detectSafety(text) : undefined;
    if (!safety) return false;
    turn.event('handoff_safety', { category: safety.category });
    await this.open(turn, { reason: 'safety', priority: 'safety' });
    return true;
  }

  private sayNumbers(turn: Turn): void {
    turn.say({ text: turn.t('handoff:safety.intro') });
    turn.say({ text: turn.t('handoff:safety.numbers') });
  }

  /** Opens (or joins) the person's case and tells them honestly what happens next. */
  private async open(turn: Turn, req: HandoffRequest): Promise<void> {
    const { case: c } = await this.cases.open(turn.person.id, turn.channel, { reason: req.reason, priority: PRIORITY[req.priority], note: req.note }, turn.now);
    turn.setFocus(undefined);
    if (req.priority === 'safety' && (await this.cases.markSafetySent(c.id))) this.sayNumbers(turn);
    const status = this.hours.status(turn.now);
    const ahead = await this.cases.waitingAhead(c.id);
    const when = !status.open && status.nextOpen ? FacilitatorHours.formatNext(status.nextOpen, turn.lang) : undefined;
    // After the safety message (which already says a person will answer) only the hours are news.
    let first = req.priority === 'safety' ? (when ? turn.t('handoff:waiting.hours', { when }) : '') : when ? turn.t('handoff:waiting.closed', { when }) : turn.t('handoff:waiting.open');
    if (ahead > 0) first = `${first} ${turn.t('handoff:waiting.ahead', { count: ahead })}`.trim();
    if (first) turn.say({ text: first });
    turn.say({ text: turn.t('handoff:waiting.keepWriting') });
    turn.event('handoff_requested', { reason: req.reason, priority: req.priority, inHours: status.open });
    this.changed(turn.person.id, 'case');
  }

  // ── the console side ─────────────────────────────────────────────────────

  /** Claims a waiting case; exactly one of several racing facilitators wins. */
  async claim(caseId: number, userId: number): Promise<boolean> {
    const c = await this.cases.getCase(caseId);
    const ok = await this.cases.claim(caseId, userId, this.deps.clock.now());
    await this.accounts.audit(userId, ok ? 'claim' : 'claim_lost', c?.personId ?? null, { caseId }, this.deps.clock.now());
    if (ok && c) {
      this.changed(c.personId, 'case');
      await this.personEvent(c.personId, c.channel, 'handoff_claimed', {});
    }
    return ok;
  }

  /** Sends a facilitator's reply through the outbox (the channel adapter decides: sent or held). */
  async reply(outbox: Outbox, c: HandoffCase, userId: number, text: string, detail: Record<string, unknown> = {}): Promise<number> {
    const now = this.deps.clock.now();
    // Their own words, not translated; `tell` still finishes them for the reader's language (the
    // person's, else the configured default), like everything else sent outside a turn.
    const [sent] = (await outbox.tell(c.personId, c.channel, () => [{ text }], { author: `facilitator:${userId}`, priority: 'reply', at: now })) ?? [];
    await this.accounts.audit(userId, 'reply', c.personId, { caseId: c.id, messageId: sent?.id, ...detail }, now);
    const waitSeconds = await this.cases.markFirstReply(c.id, now);
    if (waitSeconds !== undefined) await this.personEvent(c.personId, c.channel, 'handoff_first_reply', { waitSeconds });
    this.changed(c.personId, 'message');
    return sent?.id ?? 0;
  }

  /** An anonymous insights event about the person's case (their actor, channel and language; never the staff member's). */
  private async personEvent(personId: string, channel: string, type: string, data: Record<string, unknown>): Promise<void> {
    const person = await this.deps.store.getPerson(personId);
    await this.deps.store.logEvent(type, { actor: actorOf(personId), channel, lang: person?.language ?? undefined, data, at: this.deps.clock.now() });
  }

  /** Closes the case with an outcome; the bot answers again and tells the person so. */
  async close(outbox: Outbox, caseId: number, userId: number, outcome: Outcome): Promise<boolean> {
    const now = this.deps.clock.now();
    const closed = await this.cases.close(caseId, outcome, now);
    if (!closed) return false;
    await this.accounts.audit(userId, outcome === 'released' ? 'release' : 'close', closed.personId, { caseId, outcome }, now);
    await outbox.tell(closed.personId, closed.channel, (t) => [{ text: t('handoff:released') }], { author: 'bot', priority: 'reply', at: now });
    await this.deps.store.logEvent('handoff_closed', {
      actor: actorOf(closed.personId),
      channel: closed.channel,
      data: { outcome, waitedMs: (closed.claimedAt ?? now).getTime() - closed.createdAt.getTime() },
      at: now,
    });
    this.changed(closed.personId, 'case');
    return true;
  }

  async reassign(caseId: number, byUserId: number, toUserId: number): Promise<boolean> {
    const c = await this.cases.getCase(caseId);
    const ok = await this.cases.reassign(caseId, toUserId);
    await this.accounts.audit(byUserId, 'reassign', c?.personId ?? null, { caseId, to: toUserId, ok }, this.deps.clock.now());
    if (ok && c) this.changed(c.personId, 'case');
    return ok;
  }
}

/**
 * The second unanswered message in a row: offer a person (not forced). Any feature that cannot
 * answer calls this when `turn.misses >= 1`.
 */
export function offerPerson(turn: Turn, extra: Choice[] = []): void {
  turn.event('not_understood', { kind: turn.content.type });
  turn.event('handoff_offered', {});
  turn.say({
    text: turn.t('handoff:offer'),
    choices: [{ id: 'cmd:human', label: turn.t('core:menu.human') }, ...extra, { id: 'cmd:menu', label: turn.t('core:menu.menu') }],
  });
}
