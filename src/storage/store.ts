/**
 * The data-access layer for the conversation core. Features call these methods; no SQL lives
 * outside `src/storage/`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChannelName, InboundContent, OutboundMessage } from '../core/types.js';
import { oneRow, type Db, type Queryable } from './db.js';
import { type DeliveryStatus, NEW_RANK, RANK_SQL } from './delivery-rank.js';
import { jsonColumn, jsonObject } from './json-column.js';

/** A person as the core sees them. No name, no phone number: those stay with the channel address. */
export interface Person {
  id: string;
  language: string | null;
  /** How the language was set: `explicit` (the person chose it) wins over everything else. */
  languageSource: 'explicit' | 'detected' | 'hint' | null;
  consents: Record<string, boolean>;
  unreachable: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  lastInboundAt: Date | null;
}

/** `people.consents`: consent name → given. */
const consentsColumn = jsonColumn('people', 'consents', z.record(z.string(), z.boolean()));

/** Who handles the conversation right now. */
export type ConversationMode = 'bot' | 'waiting' | 'human';

export interface Conversation {
  personId: string;
  mode: ConversationMode;
  /** Serializable state owned by the core and the flow engine. */
  state: ConversationState;
}

/** What the core remembers between messages. Features add their own keys under `features`. */
export interface ConversationState {
  /** The choices the bot offered last (re-checked when a button is pressed or a number typed). */
  offered?: { id: string; label: string }[];
  /** How many of the last `offered` came with the latest message (a typed number picks among them). */
  lastCount?: number;
  /** The feature that gets free input first (a running flow, a pending question). */
  focus?: string;
  /** Consecutive questions the bot could not answer. */
  misses?: number;
  /** Per-feature state (flow engine, knowledge follow-ups…). */
  features?: Record<string, unknown>;
  /** A message waiting for the answer to "which language?" (src/core/pipeline.ts). */
  pendingLanguage?: PendingLanguage;
}

/** The message the bot asked about ("which language do you write in?") and the languages it offered. */
export interface PendingLanguage {
  messageId: number;
  text: string;
  /** It was the person's first message (the welcome still has to come). */
  isNew: boolean;
  asked: string[];
}

// Loose objects: keys this version does not know are kept, as they were before parsing.
const pendingLanguageSchema: z.ZodType<PendingLanguage> = z.looseObject({
  messageId: z.number(),
  text: z.string(),
  isNew: z.boolean(),
  asked: z.array(z.string()),
});

/** `conversations.state`. */
const stateColumn = jsonColumn<ConversationState>(
  'conversations',
  'state',
  z.looseObject({
    offered: z.array(z.looseObject({ id: z.string(), label: z.string() })).optional(),
    lastCount: z.number().optional(),
    focus: z.string().optional(),
    misses: z.number().optional(),
    features: jsonObject.optional(),
    pendingLanguage: pendingLanguageSchema.optional(),
  }),
);

const inboundSchema: z.ZodType<InboundContent> = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('choice'), id: z.string() }),
  z.looseObject({ type: z.literal('location'), lat: z.number(), lng: z.number(), label: z.string().optional() }),
  z.looseObject({ type: z.literal('voice'), mediaId: z.string().optional(), mimeType: z.string().optional() }),
  z.looseObject({ type: z.literal('image'), mediaId: z.string().optional(), caption: z.string().optional() }),
  z.looseObject({ type: z.literal('document'), mediaId: z.string().optional(), fileName: z.string().optional(), caption: z.string().optional() }),
  z.looseObject({ type: z.literal('sticker') }),
  z.looseObject({ type: z.literal('unsupported'), what: z.string(), caption: z.string().optional() }),
]);

const outboundSchema: z.ZodType<OutboundMessage> = z.looseObject({
  text: z.string().optional(),
  choices: z.array(z.looseObject({ id: z.string(), label: z.string(), description: z.string().optional() })).optional(),
  place: z.looseObject({ name: z.string(), address: z.string(), lat: z.number(), lng: z.number() }).optional(),
  media: z.looseObject({ kind: z.enum(['image', 'document']), url: z.string(), fileName: z.string().optional() }).optional(),
});

/** `messages.body`: what the person sent (`in`) or what was sent to them (`out`). */
const inboundBodyColumn = jsonColumn('messages', 'body', inboundSchema);
const outboundBodyColumn = jsonColumn('messages', 'body', outboundSchema);

export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'held';

/** A stored message, as the history views and the sender read it. */
export interface StoredMessage {
  id: number;
  personId: string;
  direction: 'in' | 'out';
  channel: ChannelName;
  externalId: string | null;
  author: string;
  body: InboundContent | OutboundMessage;
  status: string;
  error: string | null;
  inReplyTo: number | null;
  createdAt: Date;
  /** Platform calls of this message already delivered (see {@link Store.recordPartsSent}). */
  partsSent: number;
}

type PersonRow = {
  id: string;
  language: string | null;
  language_source: Person['languageSource'];
  consents: unknown;
  unreachable: boolean;
  created_at: Date;
  last_seen_at: Date;
  last_inbound_at: Date | null;
};

type MessageRow = {
  id: string | number;
  person_id: string;
  direction: 'in' | 'out';
  channel: ChannelName;
  external_id: string | null;
  author: string;
  body: unknown;
  status: string;
  error: string | null;
  in_reply_to: string | number | null;
  created_at: Date;
  parts_sent: number | null;
};

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  language: r.language,
  languageSource: r.language_source,
  consents: r.consents == null ? {} : consentsColumn.parse(r.consents, r.id),
  unreachable: r.unreachable,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  lastInboundAt: r.last_inbound_at ? new Date(r.last_inbound_at) : null,
});

const toMessage = (r: MessageRow): StoredMessage => ({
  id: Number(r.id),
  personId: r.person_id,
  direction: r.direction,
  channel: r.channel,
  externalId: r.external_id,
  author: r.author,
  body: (r.direction === 'in' ? inboundBodyColumn : outboundBodyColumn).parse(r.body, r.id),
  status: r.status,
  error: r.error,
  inReplyTo: r.in_reply_to === null ? null : Number(r.in_reply_to),
  createdAt: new Date(r.created_at),
  partsSent: Number(r.parts_sent ?? 0),
});

/** Readable pseudonymous ids for people, e.g. `P-7K3M9Q2X` (no 0/O/1/I to avoid misreading). */
export function newPersonId(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `P-${s}`;
}

/**
 * `ORDER BY` of a person's addresses on one channel, the one to send to first: a phone number (all
 * digits) before a WhatsApp business-scoped user id, then the newest.
 */
export const PREFERRED_ADDRESS_FIRST = `(address ~ '^[0-9]+$') DESC, created_at DESC`;

/** A step a feature adds to erasure, run in the same transaction before the person row goes. */
export type ErasureStep = (q: Queryable, personId: string) => Promise<void>;

export class Store {
  private readonly erasureSteps: ErasureStep[] = [];

  constructor(readonly db: Db) {}

  /** Adds an erasure step for data that is not deleted by `ON DELETE CASCADE` (e.g. an audit trail kept anonymised). */
  onErase(step: ErasureStep): void {
    this.erasureSteps.push(step);
  }

  // ── people ────────────────────────────────────────────────────────────────

  /**
   * Finds the person behind a channel address, creating them on first contact. `aliases` are other
   * identifiers of the same person on that channel that came with the message (WhatsApp: a phone
   * number and a business-scoped user id): the person is found by any of them, the unknown ones are
   * linked to that person, and two people found for one user are merged into the one seen last.
   */
  async resolvePerson(channel: ChannelName, address: string, now: Date, aliases: readonly string[] = []): Promise<{ person: Person; isNew: boolean }> {
    const ids = [...new Set([address, ...aliases].filter((a) => a.length > 0))];
    if (ids.length === 1) {
      const found = await this.findPerson(channel, address);
      if (found) return { person: found, isNew: false };
    } else {
      // Every identifier already known, all for one person: nothing to link (the common case).
      const rows = await this.db.query<PersonRow & { n: string }>(
        `SELECT p.*, a.n FROM (SELECT person_id, count(*) AS n FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) GROUP BY person_id) a
         JOIN people p ON p.id = a.person_id`,
        [channel, ids],
      );
      if (rows.length === 1 && Number(oneRow(rows).n) === ids.length) return { person: toPerson(oneRow(rows)), isNew: false };
    }
    return this.db.tx(async (q) => {
      const { personId, isNew } = await this.unify(q, channel, ids, now, true);
      const row = await q.query<PersonRow>(`SELECT * FROM people WHERE id = $1`, [personId]);
      return { person: toPerson(oneRow(row)), isNew };
    });
  }

  /**
   * Makes `ids` (identifiers on one channel) belong to one person: the owner seen last among those
   * who already have one of them, or (with `create`) a new person. Other owners are merged into it.
   * Runs inside a transaction; a concurrent creation of the same identifier is merged too.
   */
  private async unify(q: Queryable, channel: ChannelName, ids: readonly string[], now: Date, create: boolean): Promise<{ personId: string; isNew: boolean }> {
    const ownersOf = async () =>
      (
        await q.query<{ id: string }>(
          `SELECT p.id FROM people p WHERE p.id IN (SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]))
           ORDER BY p.last_seen_at DESC, p.created_at DESC, p.id`,
          [channel, ids],
        )
      ).map((r) => r.id);
    const owners = await ownersOf();
    let keep = owners[0];
    let isNew = false;
    if (!keep) {
      if (!create) return { personId: '', isNew: false };
      keep = newPersonId();
      isNew = true;
      await q.query(`INSERT INTO people (id, created_at, last_seen_at) VALUES ($1, $2, $2)`, [keep, now]);
      await q.query(`INSERT INTO conversations (person_id) VALUES ($1)`, [keep]);
    }
    for (const other of owners.slice(1)) await this.mergePeople(q, keep, other);
    for (const id of ids) {
      await q.query(`INSERT INTO channel_addresses (channel, address, person_id) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`, [channel, id, keep]);
    }
    // Another process created or linked one of these identifiers at the same moment.
    const after = await ownersOf();
    if (after.length > 1 || after[0] !== keep) {
      const into = isNew ? (after.find((id) => id !== keep) ?? keep) : keep;
      for (const other of after) if (other !== into) await this.mergePeople(q, into, other);
      if (into !== keep) {
        await q.query(`DELETE FROM people WHERE id = $1`, [keep]); // our new person, now empty
        return { personId: into, isNew: false };
      }
    }
    return { personId: keep, isNew };
  }

  /** The tables and columns that hold a person id (foreign keys to `people`, and every `person_id`). */
  private personColumns?: Promise<{ tbl: string; col: string }[]>;

  /**
   * Merges person `drop` into person `keep` (one WhatsApp user seen under two identifiers): every row
   * that names `drop` is moved to `keep`; a row that cannot move because `keep` already has its
   * equivalent (a conversation, an open case) is dropped. Then `drop` is deleted.
   */
  private async mergePeople(q: Queryable, keep: string, drop: string): Promise<void> {
    // Read inside the transaction: the embedded database runs one statement stream at a time.
    this.personColumns ??= q.query<{ tbl: string; col: string }>(
      `SELECT t.relname AS tbl, a.attname AS col FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.confrelid = 'people'::regclass AND cardinality(c.conkey) = 1
       UNION
       SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
       ORDER BY 1, 2`,
    );
    const ident = (x: string) => `"${x.replace(/"/g, '""')}"`;
    for (const { tbl, col } of await this.personColumns) {
      const t = ident(tbl);
      const c = ident(col);
      await q.query('SAVEPOINT merge_table');
      try {
        await q.query(`UPDATE ${t} SET ${c} = $1 WHERE ${c} = $2`, [keep, drop]);
        await q.query('RELEASE SAVEPOINT merge_table');
        continue;
      } catch {
        await q.query('ROLLBACK TO SAVEPOINT merge_table');
        await q.query('RELEASE SAVEPOINT merge_table');
      }
      // A unique key got in the way: move row by row, dropping the rows `keep` already has.
      for (const { ctid } of await q.query<{ ctid: string }>(`SELECT ctid::text AS ctid FROM ${t} WHERE ${c} = $1`, [drop])) {
        await q.query('SAVEPOINT merge_row');
        try {
          await q.query(`UPDATE ${t} SET ${c} = $1 WHERE ctid = $2::tid`, [keep, ctid]);
        } catch {
          await q.query('ROLLBACK TO SAVEPOINT merge_row');
          await q.query(`DELETE FROM ${t} WHERE ctid = $1::tid`, [ctid]);
        }
        await q.query('RELEASE SAVEPOINT merge_row');
      }
    }
    await q.query(
      `UPDATE people k SET created_at = LEAST(k.created_at, d.created_at), last_seen_at = GREATEST(k.last_seen_at, d.last_seen_at),
         last_inbound_at = GREATEST(k.last_inbound_at, d.last_inbound_at), language = COALESCE(k.language, d.language),
         language_source = CASE WHEN k.language IS NULL THEN d.language_source ELSE k.language_source END, consents = d.consents || k.consents
       FROM people d WHERE k.id = $1 AND d.id = $2`,
      [keep, drop],
    );
    await q.query(`DELETE FROM people WHERE id = $1`, [drop]);
  }

  /**
   * Links identifiers that a platform reported together (a delivery status naming both a phone
   * number and a business-scoped user id) to the person who has one of them. Never creates a person.
   */
  async linkAddresses(channel: ChannelName, ids: readonly string[], now: Date): Promise<string | undefined> {
    const unique = [...new Set(ids.filter((a) => a.length > 0))];
    if (unique.length < 2) return undefined;
    const personId = await this.db.tx(async (q) => (await this.unify(q, channel, unique, now, false)).personId);
    return personId || undefined;
  }

  /**
   * The person changed identifiers (a new phone number, a new business-scoped user id): found by
   * any of `known`, they lose `retired` (an old number can be given to someone else) and gain
   * `current`. A new identifier that already wrote (before the notice arrived) is the same person.
   * @returns the person, or undefined when none of `known` is linked to anyone.
   */
  async replaceAddresses(channel: ChannelName, change: { known: readonly string[]; retired: readonly string[]; current: readonly string[] }, now: Date): Promise<string | undefined> {
    const current = [...new Set(change.current.filter((a) => a.length > 0))];
    const retired = change.retired.filter((a) => !current.includes(a));
    return this.db.tx(async (q) => {
      const owner = await q.query<{ person_id: string }>(`SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) ORDER BY created_at DESC LIMIT 1`, [
        channel,
        [...change.known, ...retired],
      ]);
      const personId = owner[0]?.person_id;
      if (!personId) return undefined;
      await q.query(`DELETE FROM channel_addresses WHERE channel = $1 AND person_id = $2 AND address = ANY($3::text[])`, [channel, personId, retired]);
      for (const id of current) {
        await q.query(`INSERT INTO channel_addresses (channel, address, person_id) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`, [channel, id, personId]);
      }
      if (current.length > 0) {
        const others = await q.query<{ person_id: string }>(`SELECT DISTINCT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) AND person_id <> $3`, [
          channel,
          current,
          personId,
        ]);
        for (const o of others) await this.mergePeople(q, personId, o.person_id);
      }
      return personId;
    });
  }

  /** The person behind a channel address, without creating one. */
  async findPerson(channel: ChannelName, address: string): Promise<Person | undefined> {
    const rows = await this.db.query<PersonRow>(`SELECT p.* FROM channel_addresses a JOIN people p ON p.id = a.person_id WHERE a.channel = $1 AND a.address = $2`, [channel, address]);
    return rows[0] ? toPerson(rows[0]) : undefined;
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const rows = await this.db.query<PersonRow>(`SELECT * FROM people WHERE id = $1`, [id]);
    return rows[0] ? toPerson(rows[0]) : undefined;
  }

  async setLanguage(id: string, language: string, source: NonNullable<Person['languageSource']>): Promise<void> {
    await this.db.query(`UPDATE people SET language = $2, language_source = $3 WHERE id = $1`, [id, language, source]);
  }

  async setConsent(id: string, purpose: string, given: boolean): Promise<void> {
    await this.db.query(`UPDATE people SET consents = consents || jsonb_build_object($2::text, $3::boolean) WHERE id = $1`, [id, purpose, given]);
  }

  async markUnreachable(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE people SET unreachable = true, unreachable_reason = $2 WHERE id = $1`, [id, reason]);
  }

  async touchPerson(id: string, now: Date, inbound: boolean): Promise<void> {
    await this.db.query(
      `UPDATE people SET last_seen_at = $2, last_inbound_at = CASE WHEN $3 THEN $2 ELSE last_inbound_at END,
       unreachable = CASE WHEN $3 THEN false ELSE unreachable END WHERE id = $1`,
      [id, now, inbound],
    );
  }

  /**
   * The channel address to send to (only the sender and erasure read this). A person can have
   * several on one channel (WhatsApp: a phone number and a business-scoped user id): a phone number
   * is preferred, as Meta does when both are given; the user id is used when no number is known.
   */
  async addressOf(personId: string, channel: ChannelName): Promise<string | undefined> {
    const rows = await this.db.query<{ address: string }>(`SELECT address FROM channel_addresses WHERE person_id = $1 AND channel = $2 ORDER BY ${PREFERRED_ADDRESS_FIRST} LIMIT 1`, [
      personId,
      channel,
    ]);
    return rows[0]?.address;
  }

  /** Every address a person has, on every channel (their "my data" export). */
  async addressesOf(personId: string): Promise<{ channel: ChannelName; address: string }[]> {
    return this.db.query<{ channel: ChannelName; address: string }>(`SELECT channel, address FROM channel_addresses WHERE person_id = $1 ORDER BY channel, ${PREFERRED_ADDRESS_FIRST}`, [personId]);
  }

  // ── conversations ─────────────────────────────────────────────────────────

  async getConversation(personId: string): Promise<Conversation> {
    const rows = await this.db.query<{ mode: ConversationMode; state: unknown }>(`SELECT mode, state FROM conversations WHERE person_id = $1`, [personId]);
    const r = rows[0];
    return { personId, mode: r?.mode ?? 'bot', state: r?.state == null ? {} : stateColumn.parse(r.state, personId) };
  }

  /**
   * The start of a turn, in one round trip: the person as they were before this message (null when
   * erased meanwhile) and their conversation, while the person is marked seen (reachable again).
   */
  async beginTurn(personId: string, now: Date): Promise<{ person: Person; conversation: Conversation } | undefined> {
    // Every part of one statement sees the same snapshot: `before` reads the row as it was.
    const rows = await this.db.query<PersonRow & { conv_mode: ConversationMode | null; conv_state: unknown }>(
      `WITH before AS (SELECT * FROM people WHERE id = $1),
         touched AS (UPDATE people SET last_seen_at = $2, last_inbound_at = $2, unreachable = false WHERE id = $1)
       SELECT b.*, c.mode AS conv_mode, c.state AS conv_state FROM before b LEFT JOIN conversations c ON c.person_id = b.id`,
      [personId, now],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { person: toPerson(r), conversation: { personId, mode: r.conv_mode ?? 'bot', state: r.conv_state == null ? {} : stateColumn.parse(r.conv_state, personId) } };
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
    },
    q: Queryable = this.db,
  ): Promise<{ ids: number[]; mode: ConversationMode }> {
    const rows = await q.query<{ ids: (string | number)[] | null; mode: ConversationMode | null }>(
      `WITH st AS (
         INSERT INTO conversations (person_id, state, updated_at) SELECT $1, $2::jsonb, $3 WHERE $2::jsonb IS NOT NULL
         ON CONFLICT (person_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at),
       ev AS (
         INSERT INTO events (type, actor, channel, lang, data, at)
         SELECT e->>'type', e->>'actor', e->>'channel', e->>'lang', e->'data', $3 FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n),
       pr AS (UPDATE messages SET processed_at = $5, status = 'processed' WHERE id = $6),
       lg AS (UPDATE people SET language = $8, language_source = $9 WHERE id = $1 AND $8::text IS NOT NULL),
       out AS (
         INSERT INTO messages (person_id, direction, channel, author, kind, body, status, in_reply_to, created_at)
         SELECT $1, 'out', r->>'channel', r->>'author', r->>'kind', r->'body', 'queued', $6, $3
         FROM jsonb_array_elements($7::jsonb) WITH ORDINALITY AS x(r, n) ORDER BY n RETURNING id)
       SELECT (SELECT array_agg(id ORDER BY id) FROM out) AS ids, (SELECT mode FROM conversations WHERE person_id = $1) AS mode`,
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
      ],
    );
    // Ids come from one sequence in insertion order, so sorted ids are the replies in order.
    return { ids: (rows[0]?.ids ?? []).map(Number), mode: rows[0]?.mode ?? 'bot' };
  }

  async saveConversationState(personId: string, state: ConversationState, now: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO conversations (person_id, state, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [personId, JSON.stringify(state), now],
    );
  }

  async setMode(personId: string, mode: ConversationMode, now: Date, q: Queryable = this.db): Promise<void> {
    await setConversationMode(q, personId, mode, now);
  }

  // ── messages ──────────────────────────────────────────────────────────────

  /**
   * Stores an inbound message unless the same (channel, external id) was stored before.
   * @returns the new message id, or undefined for a duplicate.
   */
  async insertInbound(personId: string, channel: ChannelName, externalId: string, content: InboundContent, at: Date): Promise<number | undefined> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO messages (person_id, direction, channel, external_id, author, kind, body, status, created_at)
       VALUES ($1, 'in', $2, $3, 'person', $4, $5, 'received', $6)
       ON CONFLICT (channel, external_id) WHERE direction = 'in' DO NOTHING RETURNING id`,
      [personId, channel, externalId, content.type, JSON.stringify(content), at],
    );
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  /** Whether an inbound message with this (channel, external id) is stored. */
  async inboundStored(channel: ChannelName, externalId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM messages WHERE channel = $1 AND external_id = $2 AND direction = 'in'`, [channel, externalId]);
    return rows.length > 0;
  }

  async markProcessed(messageId: number, now: Date, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE messages SET processed_at = $2, status = 'processed' WHERE id = $1`, [messageId, now]);
  }

  /** Whether any inbound message of the person has been handled (a person with none is new to the bot). */
  async hasHandledInbound(personId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM messages WHERE person_id = $1 AND direction = 'in' AND processed_at IS NOT NULL LIMIT 1`, [personId]);
    return rows.length > 0;
  }

  /**
   * An edit of an inbound message: when the original is stored but not yet handled, its content
   * becomes the edited one (so it is handled with the new text).
   * @returns `amended` (with its id), `handled` (already answered: leave it), or `unknown`.
   */
  async amendInbound(personId: string, channel: ChannelName, externalId: string, content: InboundContent): Promise<{ outcome: 'amended' | 'handled'; id: number } | { outcome: 'unknown' }> {
    const rows = await this.db.query<{ id: string; processed: boolean }>(
      `WITH found AS (
         SELECT id, processed_at IS NOT NULL AS processed FROM messages
         WHERE channel = $2 AND external_id = $3 AND direction = 'in' AND person_id = $1),
       amended AS (
         UPDATE messages m SET body = $4, kind = $5 FROM found WHERE m.id = found.id AND NOT found.processed RETURNING m.id)
       SELECT id, processed FROM found`,
      [personId, channel, externalId, JSON.stringify(content), content.type],
    );
    const row = rows[0];
    if (!row) return { outcome: 'unknown' };
    return { outcome: row.processed ? 'handled' : 'amended', id: Number(row.id) };
  }

  /** Inbound messages stored but never processed (the process stopped in between), oldest first. */
  async unprocessedInbound(limit = 1000): Promise<StoredMessage[]> {
    const rows = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT $1`, [limit]);
    return rows.map(toMessage);
  }

  async insertOutbound(
    personId: string,
    channel: ChannelName,
    author: string,
    body: OutboundMessage,
    inReplyTo: number | null,
    at: Date,
    status: OutboundStatus = 'queued',
    q: Queryable = this.db,
  ): Promise<number> {
    const rows = await q.query<{ id: string }>(
      `INSERT INTO messages (person_id, direction, channel, author, kind, body, status, in_reply_to, created_at)
       VALUES ($1, 'out', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [personId, channel, author, outboundKind(body), JSON.stringify(body), status, inReplyTo, at],
    );
    return Number(oneRow(rows).id);
  }

  async getMessage(id: number): Promise<StoredMessage | undefined> {
    const rows = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE id = $1`, [id]);
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  /**
   * Claims a queued outbound message for sending. Only one caller ever gets `true` for a message, so
   * a retried or duplicated send job cannot send twice.
   */
  async claimOutbound(id: number): Promise<boolean> {
    const rows = await this.db.query(`UPDATE messages SET status = 'sending', claimed_at = now() WHERE id = $1 AND direction = 'out' AND status IN ('queued', 'held') RETURNING id`, [id]);
    return rows.length > 0;
  }

  /**
   * {@link claimOutbound} with what sending needs, in one round trip: the message, its person
   * (undefined when erased) and the address to send to. Undefined when not claimed.
   */
  async claimForSend(id: number): Promise<{ message: StoredMessage; person?: Pick<Person, 'id' | 'language' | 'unreachable'>; address?: string } | undefined> {
    const rows = await this.db.query<MessageRow & { p_id: string | null; p_language: string | null; p_unreachable: boolean | null; to_address: string | null }>(
      `WITH c AS (
         UPDATE messages SET status = 'sending', claimed_at = now() WHERE id = $1 AND direction = 'out' AND status IN ('queued', 'held') RETURNING *)
       SELECT c.*, p.id AS p_id, p.language AS p_language, p.unreachable AS p_unreachable,
         (SELECT address FROM channel_addresses a WHERE a.person_id = c.person_id AND a.channel = c.channel ORDER BY ${PREFERRED_ADDRESS_FIRST} LIMIT 1) AS to_address
       FROM c LEFT JOIN people p ON p.id = c.person_id`,
      [id],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      message: toMessage(r),
      ...(r.p_id ? { person: { id: r.p_id, language: r.p_language, unreachable: !!r.p_unreachable } } : {}),
      ...(r.to_address ? { address: r.to_address } : {}),
    };
  }

  /** Puts a claimed message back (a retryable error: it will be claimed again). */
  /** Records that the first `n` platform calls of a message being sent were delivered. */
  async recordPartsSent(id: number, n: number): Promise<void> {
    await this.db.query(`UPDATE messages SET parts_sent = greatest(parts_sent, $2) WHERE id = $1`, [id, n]);
  }

  async unclaimOutbound(id: number, error: string): Promise<void> {
    await this.db.query(`UPDATE messages SET status = 'queued', error = $2 WHERE id = $1 AND status = 'sending'`, [id, error]);
  }

  async markOutbound(id: number, status: OutboundStatus, externalId?: string, error?: string): Promise<void> {
    await this.db.query(`UPDATE messages SET status = $2, external_id = COALESCE($3, external_id), error = $4 WHERE id = $1`, [id, status, externalId ?? null, error ?? null]);
  }

  /** Outbound messages stuck in `sending` when a process stopped: put back in the queue. */
  async requeueInterruptedSends(): Promise<number[]> {
    const rows = await this.db.query<{ id: string }>(`UPDATE messages SET status = 'queued' WHERE direction = 'out' AND status = 'sending' RETURNING id`);
    return rows.map((r) => Number(r.id));
  }

  /**
   * Outbound messages claimed (`sending`) before `claimedBefore` and not being sent by this process
   * (`except`): a fault interrupted their send. Put back to `queued` and returned.
   */
  async requeueStaleSending(claimedBefore: Date, except: number[]): Promise<number[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE messages SET status = 'queued' WHERE direction = 'out' AND status = 'sending' AND claimed_at < $1
         AND NOT (id = ANY($2::bigint[])) RETURNING id`,
      [claimedBefore, except],
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Outbound messages still `queued` after `olderThan`: their send job may never have reached the
   * queue (Redis was down when they were stored). Re-adding is safe: the send claims the row first.
   */
  async staleQueuedOutbound(olderThan: Date, limit = 500): Promise<number[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM messages WHERE direction = 'out' AND status = 'queued' AND created_at < $1 ORDER BY id LIMIT $2`, [olderThan, limit]);
    return rows.map((r) => Number(r.id));
  }

  async outboundFor(inboundId: number): Promise<StoredMessage[]> {
    const rows = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE in_reply_to = $1 AND direction = 'out' ORDER BY id`, [inboundId]);
    return rows.map(toMessage);
  }

  /** The conversation history, oldest first. */
  async history(personId: string, limit = 200): Promise<StoredMessage[]> {
    const rows = await this.db.query<MessageRow>(`SELECT * FROM (SELECT * FROM messages WHERE person_id = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id`, [personId, limit]);
    return rows.map(toMessage);
  }

  // ── event log ─────────────────────────────────────────────────────────────

  /** Records an anonymous event for insights. `data` must hold no personal data and no free text. */
  async logEvent(type: string, fields: { actor?: string; channel?: string; lang?: string; data?: object; at?: Date }, q: Queryable = this.db): Promise<void> {
    await q.query(`INSERT INTO events (type, actor, channel, lang, data, at) VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()))`, [
      type,
      fields.actor ?? null,
      fields.channel ?? null,
      fields.lang ?? null,
      JSON.stringify(fields.data ?? {}),
      fields.at ?? null,
    ]);
  }
  // ── privacy ───────────────────────────────────────────────────────────────

  /**
   * Erases everything personal about a person in every table: the profile, channel addresses,
   * conversation, messages (cascade from `people`), and whatever the registered erasure steps
   * ({@link onErase}) remove — queued jobs that name them (the queue's step, src/queue/db-queue.ts),
   * the knowledge gaps they asked. Tables added by features reference `people(id) ON DELETE CASCADE`,
   * so they are erased too. The anonymous event log keeps its rows (their actor id cannot be linked
   * back once the person is gone).
   * @returns whether the person existed.
   */
  async erasePerson(personId: string): Promise<boolean> {
    return this.db.tx(async (q) => {
      for (const step of this.erasureSteps) await step(q, personId);
      const rows = await q.query(`DELETE FROM people WHERE id = $1 RETURNING id`, [personId]);
      return rows.length > 0;
    });
  }

  /** People whose last message is older than `before` (for the retention job). */
  async inactiveSince(before: Date, limit = 500): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM people WHERE last_seen_at < $1 ORDER BY last_seen_at LIMIT $2`, [before, limit]);
    return rows.map((r) => r.id);
  }

  /** How many messages a person has exchanged, by direction (for the "my data" export). */
  async messageCounts(personId: string): Promise<{ in: number; out: number }> {
    const rows = await this.db.query<{ direction: 'in' | 'out'; n: string }>(`SELECT direction, count(*) AS n FROM messages WHERE person_id = $1 GROUP BY direction`, [personId]);
    return { in: Number(rows.find((r) => r.direction === 'in')?.n ?? 0), out: Number(rows.find((r) => r.direction === 'out')?.n ?? 0) };
  }
}

// ── writes other stores make inside their own statements or transactions ──────
// This module owns `people`, `channel_addresses`, `conversations`, `messages` and `events`: the
// other stores call these with their transaction client instead of writing the tables themselves.

/** Sets who handles a conversation (the handoff store, inside its case transaction). */
export async function setConversationMode(q: Queryable, personId: string, mode: ConversationMode, now: Date): Promise<void> {
  await q.query(`UPDATE conversations SET mode = $2, updated_at = $3 WHERE person_id = $1`, [personId, mode, now]);
}

/** Outbound messages held for the person (outside the WhatsApp window), put back to `queued`; their ids in order. */
export async function requeueHeldMessages(q: Queryable, personId: string): Promise<number[]> {
  const rows = await q.query<{ id: string }>(`UPDATE messages SET status = 'queued', error = NULL WHERE person_id = $1 AND direction = 'out' AND status = 'held' RETURNING id`, [personId]);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Applies a platform's delivery status to our outbound message with that external id, only forward
 * (see src/storage/delivery-rank.ts). @returns how many messages changed (0 or 1).
 */
export async function applyOutboundStatus(q: Queryable, channel: ChannelName, externalId: string, status: DeliveryStatus, error?: string): Promise<number> {
  const rows = await q.query(
    `UPDATE messages SET status = $3, error = CASE WHEN $3 = 'failed' THEN $4 ELSE error END
     WHERE channel = $1 AND external_id = $2 AND direction = 'out' AND (${RANK_SQL}) < $5::numeric AND status <> $3
     RETURNING id`,
    [channel, externalId, status, error ?? null, NEW_RANK[status]],
  );
  return rows.length;
}

/** One event to insert (seeding, benchmark, imports). */
export interface EventRow {
  at: Date;
  type: string;
  actor: string | null;
  channel: string | null;
  lang: string | null;
  data: object;
}

/** Inserts events in batches (one statement per 2,000 rows). */
export async function insertEventRows(q: Queryable, events: readonly EventRow[]): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    const batch = events.slice(i, i + 2000);
    await q.query(
      `INSERT INTO events (at, type, actor, channel, lang, data)
       SELECT (r->>'at')::timestamptz, r->>'type', r->>'actor', r->>'channel', r->>'lang', r->'data' FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(batch.map((e) => ({ ...e, at: e.at.toISOString() })))],
    );
  }
}

/**
 * Test and benchmark seeding: `n` people with ids `idPrefix + 000001…` and addresses `addressBase + i`
 * on `channel`, one INSERT … SELECT generate_series per table (not n round trips).
 */
export async function seedPeople(q: Queryable, n: number, opts: { channel: ChannelName; idPrefix: string; addressBase: number; lang?: string; lastInboundAt?: Date | null }): Promise<void> {
  await q.query(
    `INSERT INTO people (id, language, language_source, last_inbound_at)
     SELECT $1 || lpad(i::text, 6, '0'), $2, 'explicit', $3 FROM generate_series(1, $4::int) i`,
    [opts.idPrefix, opts.lang ?? 'en', opts.lastInboundAt ?? null, n],
  );
  await q.query(
    `INSERT INTO channel_addresses (channel, address, person_id)
     SELECT $1, ($2::bigint + i)::text, $3 || lpad(i::text, 6, '0') FROM generate_series(1, $4::int) i`,
    [opts.channel, opts.addressBase, opts.idPrefix, n],
  );
}

function outboundKind(body: OutboundMessage): string {
  if (body.place) return 'place';
  if (body.media) return body.media.kind;
  return body.choices?.length ? 'choices' : 'text';
}
