/**
 * The message store: owns `messages` (inbound with their dedupe and edits, outbound with their claim
 * for sending and delivery status). Part of `Store`'s split by table (issue #18): no other
 * module writes this table; a statement or transaction of another store that has to write it calls
 * a function exported here with its client, or takes its SQL from here.
 */
import { z } from 'zod';
import type { ChannelName, InboundContent, OutboundMessage } from '../core/types.js';
import { oneRow, type Db, type Queryable } from './db.js';
import { type DeliveryStatus, NEW_RANK, RANK_SQL } from './delivery-rank.js';
import { jsonColumn } from './json-column.js';
import { type Person, PREFERRED_ADDRESS_FIRST } from './people-store.js';

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
  /** Platform calls of this message already delivered (see {@link MessageStore.recordPartsSent}). */
  partsSent: number;
}

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

/**
 * The turn commit's writes to `messages`, as CTE bodies (`Store.commitTurn`): the inbound
 * message's `processed` mark, and the replies (in the order of the JSON array `replies`, each
 * `{channel, author, kind, body}`, ids returned): `queued` for a send job, or (`claimed`) already
 * claimed for sending by the committing process, as {@link MessageStore.claimForSend} would.
 * Arguments are the statement's placeholders.
 */
export const turnMessagesSql = {
  processed: (messageId: string, at: string) => `UPDATE messages SET processed_at = ${at}, status = 'processed' WHERE id = ${messageId}`,
  replies: (
    personId: string,
    replies: string,
    inReplyTo: string,
    at: string,
    when = 'true',
    claimed = false,
  ) => `INSERT INTO messages (person_id, direction, channel, author, kind, body, status, in_reply_to, created_at${claimed ? ', claimed_at' : ''})
         SELECT ${personId}, 'out', r->>'channel', r->>'author', r->>'kind', r->'body', ${claimed ? "'sending'" : "'queued'"}, ${inReplyTo}, ${at}${claimed ? ', now()' : ''}
         FROM jsonb_array_elements(${replies}::jsonb) WITH ORDINALITY AS x(r, n)${when === 'true' ? '' : ` WHERE ${when}`} ORDER BY n RETURNING id`,
};

/**
 * Messages marked sent, as a statement body: the ids in the bigint array `ids`, each with the
 * platform's id at the same place of the text array `externalIds` (null: none).
 */
export function sentMarksSql(ids: string, externalIds: string): string {
  return `UPDATE messages m SET status = 'sent', external_id = COALESCE(x.e, m.external_id), error = NULL FROM unnest(${ids}::bigint[], ${externalIds}::text[]) AS x(id, e) WHERE m.id = x.id`;
}

/**
 * The INSERT of an inbound message for each person the CTE or table `source` yields (its `id`),
 * once per channel and external id (a redelivery inserts nothing); returns the new `id`. Parameters:
 * $2 channel, $3 external id, $4 kind, $5 body (JSON), $6 received at; typed here, as a SELECT
 * gives its parameters no column to take a type from. The body is read as JSON per row: when
 * `source` yields none, a body the database would refuse fails nothing (as nothing is stored).
 */
export function insertInboundFromSql(source: string): string {
  return `INSERT INTO messages (person_id, direction, channel, external_id, author, kind, body, status, created_at)
    SELECT ${source}.id, 'in', $2::text, $3::text, 'person', $4::text, $5::text::jsonb, 'received', $6::timestamptz FROM ${source}
    ON CONFLICT (channel, external_id) WHERE direction = 'in' DO NOTHING RETURNING id`;
}

/** An inbound message's stored body, checked (`id` names the row in the error). */
export function parseInboundBody(body: unknown, id: string | number): InboundContent {
  return inboundBodyColumn.parse(body, id);
}

/** Inbound and outbound messages. */
export class MessageStore {
  constructor(readonly db: Db) {}

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

  /** How many messages a person has exchanged, by direction (for the "my data" export). */
  async messageCounts(personId: string): Promise<{ in: number; out: number }> {
    const rows = await this.db.query<{ direction: 'in' | 'out'; n: string }>(`SELECT direction, count(*) AS n FROM messages WHERE person_id = $1 GROUP BY direction`, [personId]);
    return { in: Number(rows.find((r) => r.direction === 'in')?.n ?? 0), out: Number(rows.find((r) => r.direction === 'out')?.n ?? 0) };
  }
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

/** The `messages.kind` of an outbound message. */
export function outboundKind(body: OutboundMessage): string {
  if (body.place) return 'place';
  if (body.media) return body.media.kind;
  return body.choices?.length ? 'choices' : 'text';
}
