/**
 * The data-access layer for the conversation core. Features call these methods; no SQL lives
 * outside `src/storage/`.
 *
 * Split by table ownership (issue #18): {@link PeopleStore} writes `people` and `channel_addresses`,
 * {@link ConversationStore} `conversations`, {@link MessageStore} `messages`, {@link EventStore}
 * `events`. `Store` composes them (`store.people`, `store.conversations`, `store.messages`,
 * `store.events`) and keeps every earlier method as a delegate, so callers did not change. It holds
 * only the two statements of a turn that span the stores ({@link Store.beginTurn},
 * {@link Store.commitTurn}), built from the SQL each owner exports for its own table.
 */
import type { ChannelName, InboundContent, OutboundMessage } from '../core/types.js';
import { type Conversation, type ConversationMode, type ConversationState, ConversationStore, parseConversationState, turnStateSql } from './conversation-store.js';
import type { Db, Queryable } from './db.js';
import { EventStore, turnEventsSql } from './event-store.js';
import { insertInboundFromSql, MessageStore, outboundKind, parseInboundBody, sentMarksSql, turnMessagesSql } from './message-store.js';
import { GroupCommit } from './group-commit.js';
import {
  type Person,
  PeopleStore,
  type PersonRow,
  PREFERRED_ADDRESS_FIRST,
  releaseLeasesSql,
  toPerson,
  takeTurnLeaseSql,
  touchInboundSql,
  turnLanguageAndLeaseSql,
  turnLanguageSql,
} from './people-store.js';

export { type Conversation, type ConversationMode, type ConversationState, ConversationStore, type PendingLanguage, setConversationMode } from './conversation-store.js';
export { type EventRow, EventStore, insertEventRows } from './event-store.js';
export { applyOutboundStatus, MessageStore, type OutboundStatus, requeueHeldMessages, type StoredMessage } from './message-store.js';
export { type ErasureStep, newPersonId, type Person, PeopleStore, PREFERRED_ADDRESS_FIRST, seedPeople } from './people-store.js';

type PeopleArgs<K extends keyof PeopleStore> = PeopleStore[K] extends (...a: infer A) => unknown ? A : never;
type ConvArgs<K extends keyof ConversationStore> = ConversationStore[K] extends (...a: infer A) => unknown ? A : never;
type MsgArgs<K extends keyof MessageStore> = MessageStore[K] extends (...a: infer A) => unknown ? A : never;

/**
 * A person's turn lease (several processes on one PostgreSQL, issue #17): `owner` names the process,
 * `ms` is how long a lease counts when its holder never gives it back (it died).
 */
export interface TurnLease {
  owner: string;
  ms: number;
}

/** An inbound message as stored, enough to handle it (another process may have stored it). */
export interface PendingInbound {
  id: number;
  channel: ChannelName;
  externalId: string | null;
  body: InboundContent;
  createdAt: Date;
}

/** What {@link Store.leaseTurn} found. */
export type LeasedTurn = { kind: 'gone' } | { kind: 'done' } | { kind: 'busy' } | { kind: 'leased'; person: Person; conversation: Conversation; next: PendingInbound | undefined };

/** A turn lease a process holds for a person (`TurnLease.owner`), to be given back. */
export interface HeldLease {
  personId: string;
  owner: string;
}

/** What a turn's first statement reads besides the person: the conversation, and the earliest unprocessed message. */
interface TurnRead {
  conv_mode: ConversationMode | null;
  conv_state: unknown;
  next_id: string | null;
  next_channel: ChannelName | null;
  next_external_id: string | null;
  next_body: unknown;
  next_created_at: Date | null;
}

function pendingOf(r: Partial<TurnRead>): PendingInbound | undefined {
  if (r.next_id === null || r.next_id === undefined) return undefined;
  return { id: Number(r.next_id), channel: r.next_channel!, externalId: r.next_external_id ?? null, body: parseInboundBody(r.next_body, r.next_id), createdAt: new Date(r.next_created_at!) };
}

/** The stores of the conversation core, composed; the methods below delegate to the owning store. */
export class Store {
  /** `people`, `channel_addresses`: finding, linking, merging and erasing people. */
  readonly people: PeopleStore;
  /** `conversations`: mode and state. */
  readonly conversations: ConversationStore;
  /** `messages`: inbound, outbound, sending claims and statuses. */
  readonly messages: MessageStore;
  /** `events`: the anonymous event log. */
  readonly events: EventStore;

  constructor(readonly db: Db) {
    this.people = new PeopleStore(db);
    this.conversations = new ConversationStore(db);
    this.messages = new MessageStore(db);
    this.events = new EventStore(db);
  }

  // ── the turn: one statement each, spanning the stores ───────────────────────
  // They stay here, where the statement is owned: each table's part is the SQL its owner exports.

  /**
   * An inbound message from an address already known, in one round trip (issue #17: the common case
   * of receiving, which took two, finding the person then storing): the person the address belongs
   * to and the stored message's id, `undefined` when the (channel, external id) was stored before
   * (a redelivery). Returns `undefined` (nothing stored) when no person has this address: then
   * {@link PeopleStore.resolvePerson} and {@link MessageStore.insertInbound} do it in two.
   *
   * With `begin`, the same statement also starts the message's turn when it can (`begun`): what
   * {@link beginTurn} reads and marks, or with a lease what {@link leaseTurn} reads and takes (only
   * when no one held the lease in the statement's snapshot, so no turn of this person was between its
   * start and its commit; `next` is then the person's earliest unprocessed message before this one).
   * The caller uses `begun` only if it has no turn of this person running or waiting: its reads are
   * this statement's snapshot. Without `begun`, the turn starts as usual.
   */
  async insertInboundFrom(
    channel: ChannelName,
    address: string,
    externalId: string,
    content: InboundContent,
    at: Date,
    begin?: { now: Date; lease?: TurnLease },
  ): Promise<{ person: Person; messageId: number | undefined; begun?: { person: Person; conversation: Conversation; next?: PendingInbound } } | undefined> {
    const lease = begin?.lease;
    const params: unknown[] = [address, channel, externalId, content.type, JSON.stringify(content), at];
    let turn = '';
    let read = '';
    if (begin) {
      params.push(begin.now);
      const stored = 'EXISTS (SELECT 1 FROM stored)';
      if (lease) {
        params.push(lease.owner, lease.ms);
        const free = `(b.turn_lease IS NULL OR b.turn_lease_until < clock_timestamp())`;
        turn = `, taken AS (${takeTurnLeaseSql('b.id', '$7', '$8', '$9', 'who', `${stored} AND ${free}`)}),
         next AS (
           SELECT id, channel, external_id, body, created_at FROM messages
           WHERE person_id = (SELECT id FROM who) AND direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT 1)`;
        read = `, EXISTS (SELECT 1 FROM taken) AS begun, c.mode AS conv_mode, c.state AS conv_state, n.id AS next_id, n.channel AS next_channel,
         n.external_id AS next_external_id, n.body AS next_body, n.created_at AS next_created_at`;
      } else {
        turn = `, touched AS (${touchInboundSql('(SELECT id FROM who)', '$7')} AND ${stored})`;
        read = `, ${stored} AS begun, c.mode AS conv_mode, c.state AS conv_state`;
      }
    }
    const rows = await this.db.query<PersonRow & { inbound_id: string | null; begun?: boolean } & Partial<TurnRead>>(
      `WITH who AS (SELECT p.* FROM channel_addresses a JOIN people p ON p.id = a.person_id WHERE a.channel = $2 AND a.address = $1),
         stored AS (${insertInboundFromSql('who')})${turn}
       SELECT who.*, (SELECT id FROM stored) AS inbound_id${read} FROM who${begin ? ` LEFT JOIN conversations c ON c.person_id = who.id${lease ? ' LEFT JOIN next n ON true' : ''}` : ''}`,
      params,
    );
    const r = rows[0];
    if (!r) return undefined;
    const person = toPerson(r);
    const messageId = r.inbound_id === null ? undefined : Number(r.inbound_id);
    if (!r.begun) return { person, messageId };
    const conversation: Conversation = { personId: person.id, mode: r.conv_mode ?? 'bot', state: parseConversationState(r.conv_state, person.id) };
    const next = pendingOf(r);
    return { person, messageId, begun: { person: toPerson(r), conversation, ...(next ? { next } : {}) } };
  }

  /**
   * The start of a turn, in one round trip: the person as they were before this message (null when
   * erased meanwhile) and their conversation, while the person is marked seen (reachable again).
   */
  async beginTurn(personId: string, now: Date): Promise<{ person: Person; conversation: Conversation } | undefined> {
    // Every part of one statement sees the same snapshot: `before` reads the row as it was.
    const rows = await this.db.query<PersonRow & { conv_mode: ConversationMode | null; conv_state: unknown }>(
      `WITH before AS (SELECT * FROM people WHERE id = $1),
         touched AS (${touchInboundSql('$1', '$2')})
       SELECT b.*, c.mode AS conv_mode, c.state AS conv_state FROM before b LEFT JOIN conversations c ON c.person_id = b.id`,
      [personId, now],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { person: toPerson(r), conversation: { personId, mode: r.conv_mode ?? 'bot', state: parseConversationState(r.conv_state, personId) } };
  }

  /**
   * The start of a turn when several processes share the database (PostgreSQL): takes the person's
   * {@link TurnLease} and reads what {@link beginTurn} reads, plus the person's earliest unprocessed
   * inbound message (whichever process stored it), in one round trip. `busy`: another process holds
   * the lease (or took it since this statement's snapshot: retry); `done`: message `messageId` is
   * already handled (the lease is not taken); `gone`: the person was erased.
   */
  async leaseTurn(personId: string, messageId: number, now: Date, lease: TurnLease): Promise<LeasedTurn> {
    // `before` is the statement's snapshot. The take compares `turn_lease_until` with it: a take by
    // another process since the snapshot (each sets a new `until`, and release keeps it) makes this one
    // fail instead of starting a turn on a stale conversation (an UPDATE that waited for a row lock
    // sees the newest row, the rest of the statement does not).
    const rows = await this.db.query<PersonRow & TurnRead & { leased: boolean; mine_done: boolean | null }>(
      `WITH before AS (SELECT * FROM people WHERE id = $1),
         mine AS (SELECT processed_at IS NOT NULL AS done FROM messages WHERE id = $3),
         taken AS (${takeTurnLeaseSql('$1', '$2', '$4', '$5', 'before', 'NOT coalesce((SELECT done FROM mine), true)')}),
         next AS (
           SELECT id, channel, external_id, body, created_at FROM messages
           WHERE person_id = $1 AND direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT 1)
       SELECT b.*, c.mode AS conv_mode, c.state AS conv_state, EXISTS (SELECT 1 FROM taken) AS leased,
         (SELECT done FROM mine) AS mine_done, n.id AS next_id, n.channel AS next_channel,
         n.external_id AS next_external_id, n.body AS next_body, n.created_at AS next_created_at
       FROM before b LEFT JOIN conversations c ON c.person_id = b.id LEFT JOIN next n ON true`,
      [personId, now, messageId, lease.owner, lease.ms],
    );
    const r = rows[0];
    if (!r) return { kind: 'gone' };
    if (r.mine_done !== false) return { kind: 'done' };
    if (!r.leased) return { kind: 'busy' };
    const person = toPerson(r);
    const conversation: Conversation = { personId, mode: r.conv_mode ?? 'bot', state: parseConversationState(r.conv_state, personId) };
    // Not undefined: message `messageId` is unprocessed in the same snapshot, so the earliest exists.
    return { kind: 'leased', person, conversation, next: pendingOf(r) };
  }

  /** Gives the lease back without a commit (a turn that failed); a lease held by another is left alone. */
  releaseTurn(personId: string, owner: string): Promise<void> {
    return this.people.releaseTurnLease(personId, owner);
  }

  /**
   * Everything a turn writes, as one statement (so atomic without a transaction, and one round
   * trip): the conversation state (when given), the person's language (when changed), the events, the replies (`queued`, in order) and the
   * inbound message's `processed` mark. Returns the replies' ids in order and the conversation's mode.
   */
  async commitTurn(
    turn: {
      personId: string;
      messageId: number;
      /** undefined: the state did not change. */
      state: ConversationState | undefined;
      /** The person's language as the turn settled it (undefined: unchanged). */
      language?: { code: string; source: NonNullable<Person['languageSource']> } | undefined;
      at: Date;
      processedAt: Date;
      events: { type: string; actor: string; channel: string; lang: string; data: object }[];
      replies: { channel: ChannelName; author: string; body: OutboundMessage }[];
      /** The lease owner ({@link leaseTurn}): the commit gives the lease back (unless `claim`: see there). */
      leaseOwner?: string;
      /**
       * The replies are stored already claimed for sending (`sending`) by the committing process,
       * which sends them itself right after (`Outbox.sendTurn`); the commit then also returns
       * the address to send to (the person's preferred one on the channel, as a send job would pick).
       * A lease is then kept for the sends, given back with their marks ({@link markSent}), so the
       * person's next turn, in any process, sends after them.
       */
      claim?: boolean;
    },
    q: Queryable = this.db,
  ): Promise<{ ids: number[]; mode: ConversationMode; committed: boolean; address?: string }> {
    // Several processes (a lease owner): every write waits on `pr`, the processed mark of a message not
    // yet processed, so a turn that ran twice (a lease that expired under a slow turn) commits once.
    // One process (embedded): its lanes never run a message twice, and the statement stays as it was.
    const leased = turn.leaseOwner !== undefined;
    const ok = leased ? 'EXISTS (SELECT 1 FROM pr)' : 'true';
    const rows = await q.query<{ ids: (string | number)[] | null; mode: ConversationMode | null; committed?: boolean; address?: string | null }>(
      `WITH pr AS (${turnMessagesSql.processed('$6', '$5')}${leased ? ' AND processed_at IS NULL RETURNING id' : ''}),
       st AS (
         ${turnStateSql('$1', '$2', '$3', ok)}),
       ev AS (
         ${turnEventsSql('$4', '$3', ok)}),
       lg AS (${leased ? turnLanguageAndLeaseSql('$1', '$8', '$9', '$10', ok, turn.claim) : turnLanguageSql('$1', '$8', '$9', ok)}),
       out AS (
         ${turnMessagesSql.replies('$1', '$7', '$6', '$3', ok, turn.claim)})
       SELECT (SELECT array_agg(id ORDER BY id) FROM out) AS ids, (SELECT mode FROM conversations WHERE person_id = $1) AS mode${leased ? `, ${ok} AS committed` : ''}${
         turn.claim ? `, (SELECT address FROM channel_addresses a WHERE a.person_id = $1 AND a.channel = $7::jsonb->0->>'channel' ORDER BY ${PREFERRED_ADDRESS_FIRST} LIMIT 1) AS address` : ''
       }`,
      [
        turn.personId,
        turn.state === undefined ? null : JSON.stringify(turn.state),
        turn.at,
        JSON.stringify(turn.events),
        turn.processedAt,
        turn.messageId,
        JSON.stringify(turn.replies.map((r) => ({ channel: r.channel, author: r.author, kind: outboundKind(r.body), body: r.body }))),
        turn.language?.code ?? null,
        turn.language?.source ?? null,
        ...(leased ? [turn.leaseOwner] : []),
      ],
    );
    // (The address is read for the first reply's channel: a turn's replies all go where its message came from.)
    // Ids come from one sequence in insertion order, so sorted ids are the replies in order.
    const address = rows[0]?.address;
    return { ids: (rows[0]?.ids ?? []).map(Number), mode: rows[0]?.mode ?? 'bot', committed: leased ? (rows[0]?.committed ?? false) : true, ...(address ? { address } : {}) };
  }

  // ── people (delegates to PeopleStore) ───────────────────────────────────────

  /** See {@link PeopleStore.onErase}. */
  onErase(...a: PeopleArgs<'onErase'>) {
    return this.people.onErase(...a);
  }

  /** See {@link PeopleStore.resolvePerson}. */
  resolvePerson(...a: PeopleArgs<'resolvePerson'>) {
    return this.people.resolvePerson(...a);
  }

  /** See {@link PeopleStore.linkAddresses}. */
  linkAddresses(...a: PeopleArgs<'linkAddresses'>) {
    return this.people.linkAddresses(...a);
  }

  /** See {@link PeopleStore.replaceAddresses}. */
  replaceAddresses(...a: PeopleArgs<'replaceAddresses'>) {
    return this.people.replaceAddresses(...a);
  }

  /** See {@link PeopleStore.findPerson}. */
  findPerson(...a: PeopleArgs<'findPerson'>) {
    return this.people.findPerson(...a);
  }

  /** See {@link PeopleStore.getPerson}. */
  getPerson(...a: PeopleArgs<'getPerson'>) {
    return this.people.getPerson(...a);
  }

  /** See {@link PeopleStore.setLanguage}. */
  setLanguage(...a: PeopleArgs<'setLanguage'>) {
    return this.people.setLanguage(...a);
  }

  /** See {@link PeopleStore.setConsent}. */
  setConsent(...a: PeopleArgs<'setConsent'>) {
    return this.people.setConsent(...a);
  }

  /** See {@link PeopleStore.markUnreachable}. */
  markUnreachable(...a: PeopleArgs<'markUnreachable'>) {
    return this.people.markUnreachable(...a);
  }

  /** See {@link PeopleStore.touchPerson}. */
  touchPerson(...a: PeopleArgs<'touchPerson'>) {
    return this.people.touchPerson(...a);
  }

  /** See {@link PeopleStore.addressOf}. */
  addressOf(...a: PeopleArgs<'addressOf'>) {
    return this.people.addressOf(...a);
  }

  /** See {@link PeopleStore.addressesOf}. */
  addressesOf(...a: PeopleArgs<'addressesOf'>) {
    return this.people.addressesOf(...a);
  }

  /** See {@link PeopleStore.erasePerson}. */
  erasePerson(...a: PeopleArgs<'erasePerson'>) {
    return this.people.erasePerson(...a);
  }

  /** See {@link PeopleStore.inactiveSince}. */
  inactiveSince(...a: PeopleArgs<'inactiveSince'>) {
    return this.people.inactiveSince(...a);
  }

  // ── conversations (delegates to ConversationStore) ──────────────────────────

  /** See {@link ConversationStore.getConversation}. */
  getConversation(...a: ConvArgs<'getConversation'>) {
    return this.conversations.getConversation(...a);
  }

  /** See {@link ConversationStore.saveConversationState}. */
  saveConversationState(...a: ConvArgs<'saveConversationState'>) {
    return this.conversations.saveConversationState(...a);
  }

  /** See {@link ConversationStore.setMode}. */
  setMode(...a: ConvArgs<'setMode'>) {
    return this.conversations.setMode(...a);
  }

  // ── messages (delegates to MessageStore) ────────────────────────────────────

  /** See {@link MessageStore.insertInbound}. */
  insertInbound(...a: MsgArgs<'insertInbound'>) {
    return this.messages.insertInbound(...a);
  }

  /** See {@link MessageStore.inboundStored}. */
  inboundStored(...a: MsgArgs<'inboundStored'>) {
    return this.messages.inboundStored(...a);
  }

  /** See {@link MessageStore.markProcessed}. */
  markProcessed(...a: MsgArgs<'markProcessed'>) {
    return this.messages.markProcessed(...a);
  }

  /** See {@link MessageStore.hasHandledInbound}. */
  hasHandledInbound(...a: MsgArgs<'hasHandledInbound'>) {
    return this.messages.hasHandledInbound(...a);
  }

  /** See {@link MessageStore.amendInbound}. */
  amendInbound(...a: MsgArgs<'amendInbound'>) {
    return this.messages.amendInbound(...a);
  }

  /** See {@link MessageStore.unprocessedInbound}. */
  unprocessedInbound(...a: MsgArgs<'unprocessedInbound'>) {
    return this.messages.unprocessedInbound(...a);
  }

  /** See {@link MessageStore.insertOutbound}. */
  insertOutbound(...a: MsgArgs<'insertOutbound'>) {
    return this.messages.insertOutbound(...a);
  }

  /** See {@link MessageStore.getMessage}. */
  getMessage(...a: MsgArgs<'getMessage'>) {
    return this.messages.getMessage(...a);
  }

  /** See {@link MessageStore.claimOutbound}. */
  claimOutbound(...a: MsgArgs<'claimOutbound'>) {
    return this.messages.claimOutbound(...a);
  }

  /** See {@link MessageStore.claimForSend}. */
  claimForSend(...a: MsgArgs<'claimForSend'>) {
    return this.messages.claimForSend(...a);
  }

  /** See {@link MessageStore.recordPartsSent}. */
  recordPartsSent(...a: MsgArgs<'recordPartsSent'>) {
    return this.messages.recordPartsSent(...a);
  }

  /** See {@link MessageStore.unclaimOutbound}. */
  unclaimOutbound(...a: MsgArgs<'unclaimOutbound'>) {
    return this.messages.unclaimOutbound(...a);
  }

  /**
   * Marks a message sent ({@link MessageStore.markOutbound} with `sent`), together with the other
   * sends that finished meanwhile: one statement for all of them (group commit). `release`: the turn
   * lease the turn that sent it kept for its sends, given back in the same statement. Resolves once
   * stored.
   */
  markSent(id: number, externalId: string | undefined, release?: HeldLease): Promise<void> {
    return this.sentMarks.add({ id, externalId, release });
  }

  private readonly sentMarks = new GroupCommit<{ id: number; externalId: string | undefined; release: HeldLease | undefined }>(async (marks) => {
    const releases = marks.flatMap((m) => (m.release ? [m.release] : []));
    const sent = [marks.map((m) => m.id), marks.map((m) => m.externalId ?? null)];
    if (!releases.length) await this.db.query(sentMarksSql('$1', '$2'), sent);
    else await this.db.query(`WITH sent AS (${sentMarksSql('$1', '$2')}) ${releaseLeasesSql('$3', '$4')}`, [...sent, releases.map((r) => r.personId), releases.map((r) => r.owner)]);
  });

  /** See {@link MessageStore.markOutbound}. */
  markOutbound(...a: MsgArgs<'markOutbound'>) {
    return this.messages.markOutbound(...a);
  }

  /** See {@link MessageStore.requeueInterruptedSends}. */
  requeueInterruptedSends(...a: MsgArgs<'requeueInterruptedSends'>) {
    return this.messages.requeueInterruptedSends(...a);
  }

  /** See {@link MessageStore.requeueStaleSending}. */
  requeueStaleSending(...a: MsgArgs<'requeueStaleSending'>) {
    return this.messages.requeueStaleSending(...a);
  }

  /** See {@link MessageStore.staleQueuedOutbound}. */
  staleQueuedOutbound(...a: MsgArgs<'staleQueuedOutbound'>) {
    return this.messages.staleQueuedOutbound(...a);
  }

  /** See {@link MessageStore.outboundFor}. */
  outboundFor(...a: MsgArgs<'outboundFor'>) {
    return this.messages.outboundFor(...a);
  }

  /** See {@link MessageStore.history}. */
  history(...a: MsgArgs<'history'>) {
    return this.messages.history(...a);
  }

  /** See {@link MessageStore.messageCounts}. */
  messageCounts(...a: MsgArgs<'messageCounts'>) {
    return this.messages.messageCounts(...a);
  }

  // ── event log (delegates to EventStore) ─────────────────────────────────────

  /** See {@link EventStore.logEvent}. */
  logEvent(...a: Parameters<EventStore['logEvent']>) {
    return this.events.logEvent(...a);
  }
}
