/**
 * Data access for subscriptions and broadcasts: who follows what, who said "stop", broadcasts and
 * their delivery records (one per broadcast and person, written before anything is sent).
 * Topics and districts are the subscriptions flow's preferences (`flow_preferences`, flow
 * `subscriptions`, `agree: true`): read here, never copied.
 */
import { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import { oneRow, type Db, type Queryable } from './db.js';
import { type DeliveryStatus, NEW_RANK, RANK_SQL } from './delivery-rank.js';
import { deletePreferences, preferencesColumn } from './flow-store.js';
import { jsonColumn, textPerLanguage } from './json-column.js';
import { takeDueRemindersSql } from './knowledge-store.js';
import { PREFERRED_ADDRESS_FIRST, seedPeople } from './people-store.js';

/** The flow whose saved answers hold a person's topics and district. */
export const SUBSCRIPTIONS_FLOW = 'subscriptions';

/** Who a broadcast goes to. Empty lists mean "no filter of this kind". */
export interface Audience {
  /** People who follow any of these spaces. */
  spaces?: string[];
  /** People who chose any of these topics in the subscriptions flow. */
  topics?: string[];
  /** People who chose any of these districts in the subscriptions flow. */
  districts?: string[];
  /** Only people whose language is one of these. */
  languages?: string[];
  /** Also people who asked for "all events" (default true). */
  allEvents?: boolean;
  /** Reminder broadcasts only: the people who asked for this reminder ('day' or 'hour' before the event). */
  reminder?: string;
}

/** `broadcasts.audience`. */
const audienceColumn = jsonColumn<Audience>(
  'broadcasts',
  'audience',
  z.looseObject({
    spaces: z.array(z.string()).optional(),
    topics: z.array(z.string()).optional(),
    districts: z.array(z.string()).optional(),
    languages: z.array(z.string()).optional(),
    allEvents: z.boolean().optional(),
    reminder: z.string().optional(),
  }),
);

export type BroadcastStatus = 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled';
export type DeliveryRecordStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'unknown';

/** The message of a broadcast: text per language (at least one), and template parameters for WhatsApp. */
export interface BroadcastMessages {
  /** lang → text. */
  text: Record<string, string>;
  /** A short title per language (the WhatsApp template's parameter; falls back to the text's first line). */
  title?: Record<string, string>;
}

/** `broadcasts.messages`. */
const messagesColumn = jsonColumn<BroadcastMessages>('broadcasts', 'messages', z.looseObject({ text: textPerLanguage, title: textPerLanguage.optional() }));

export interface Broadcast {
  id: number;
  spaceId: string | null;
  createdBy: string;
  kind: string;
  eventId: string | null;
  audience: Audience;
  messages: BroadcastMessages;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A claimed delivery record, with what the sender needs. */
export interface ClaimedDelivery {
  id: number;
  personId: string;
  channel: ChannelName;
  address: string | null;
  lang: string;
  lastInboundAt: Date | null;
  attempts: number;
}

/** A broadcast's delivery report. Statuses per channel: only WhatsApp reports delivered and read. */
export interface DeliveryReport {
  total: number;
  byStatus: Record<string, number>;
  /** channel → status → records. */
  byChannel: Record<string, Record<string, number>>;
  /** Failure reasons (failed and unknown records), most frequent first. */
  reasons: { error: string; n: number }[];
  /** People of the audience who said "stop" since the broadcast started. */
  optedOutSince: number;
}

export interface Follow {
  kind: 'all' | 'space';
  value: string;
}

type BroadcastRow = {
  id: string | number;
  space_id: string | null;
  created_by: string;
  kind: string;
  event_id: string | null;
  audience: unknown;
  messages: unknown;
  status: BroadcastStatus;
  scheduled_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const toBroadcast = (r: BroadcastRow): Broadcast => ({
  id: Number(r.id),
  spaceId: r.space_id,
  createdBy: r.created_by,
  kind: r.kind,
  eventId: r.event_id,
  audience: audienceColumn.parse(r.audience, r.id),
  messages: messagesColumn.parse(r.messages, r.id),
  status: r.status,
  scheduledAt: r.scheduled_at ? new Date(r.scheduled_at) : null,
  createdAt: new Date(r.created_at),
  startedAt: r.started_at ? new Date(r.started_at) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

/**
 * The audience as SQL: people with an address on one of `channels`, reachable, not opted out, in
 * one of the languages (if given), who asked for this (all events, a followed space, a topic, a
 * district). One channel per person: the first of `channels` they have an address on.
 * Parameters: $1 channels, $2 languages|null, $3 allEvents, $4 spaces, $5 topics, $6 districts,
 * $7 the language of a person who has none (the configured default).
 */
const AUDIENCE_SQL = `
  SELECT DISTINCT ON (p.id) p.id AS person_id, a.channel, COALESCE(p.language, $7) AS lang
  FROM people p JOIN channel_addresses a ON a.person_id = p.id
  WHERE a.channel = ANY($1::text[]) AND NOT p.unreachable
    AND NOT EXISTS (SELECT 1 FROM broadcast_optouts o WHERE o.person_id = p.id)
    AND ($2::text[] IS NULL OR COALESCE(p.language, $7) = ANY($2::text[]))
    AND (
      ($3::boolean AND EXISTS (SELECT 1 FROM follows f WHERE f.person_id = p.id AND f.kind = 'all'))
      OR EXISTS (SELECT 1 FROM follows f WHERE f.person_id = p.id AND f.kind = 'space' AND f.value = ANY($4::text[]))
      OR EXISTS (
        SELECT 1 FROM flow_preferences fp
        WHERE fp.person_id = p.id AND fp.flow = '${SUBSCRIPTIONS_FLOW}' AND fp.answers->'agree' = 'true'::jsonb
          AND (
            fp.answers->>'district' = ANY($6::text[])
            OR (jsonb_typeof(fp.answers->'topics') = 'array'
                AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(fp.answers->'topics') t(v) WHERE t.v = ANY($5::text[])))
          )
      )
    )
  ORDER BY p.id, array_position($1::text[], a.channel)`;

function audienceParams(audience: Audience, channels: readonly ChannelName[], defaultLanguage: string): unknown[] {
  return [[...channels], audience.languages?.length ? audience.languages : null, audience.allEvents ?? true, audience.spaces ?? [], audience.topics ?? [], audience.districts ?? [], defaultLanguage];
}

export class BroadcastStore {
  /** @param defaultLanguage the language of a person who has none (`DEFAULT_LANGUAGE`). */
  constructor(
    readonly db: Db,
    readonly defaultLanguage = 'en',
  ) {}

  // ── subscriptions ─────────────────────────────────────────────────────────

  async follow(personId: string, kind: Follow['kind'], value: string, now: Date): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(`INSERT INTO follows (person_id, kind, value, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [personId, kind, value, now]);
      // Asking for something again undoes an earlier "stop".
      await q.query(`DELETE FROM broadcast_optouts WHERE person_id = $1`, [personId]);
    });
  }

  async unfollow(personId: string, kind: Follow['kind'], value: string): Promise<void> {
    await this.db.query(`DELETE FROM follows WHERE person_id = $1 AND kind = $2 AND value = $3`, [personId, kind, value]);
  }

  async follows(personId: string): Promise<Follow[]> {
    return this.db.query<Follow>(`SELECT kind, value FROM follows WHERE person_id = $1 ORDER BY kind, value`, [personId]);
  }

  /** Topics and district the person chose in the subscriptions flow (only when they agreed). */
  async flowSubscription(personId: string): Promise<{ topics: string[]; district: string | null } | undefined> {
    const rows = await this.db.query<{ answers: unknown }>(`SELECT answers FROM flow_preferences WHERE person_id = $1 AND flow = $2 AND answers->'agree' = 'true'::jsonb`, [
      personId,
      SUBSCRIPTIONS_FLOW,
    ]);
    if (!rows[0]) return undefined;
    const a = preferencesColumn.parse(rows[0].answers, personId);
    const topics = Array.isArray(a.topics) ? a.topics.filter((x): x is string => typeof x === 'string') : [];
    return { topics, district: typeof a.district === 'string' ? a.district : null };
  }

  /** Clears the flow's topics and district (the person keeps their other answers out of it). */
  async clearFlowSubscription(personId: string): Promise<void> {
    await deletePreferences(this.db, personId, SUBSCRIPTIONS_FLOW);
  }

  /**
   * "Stop": removes every subscription at once, records when, and cancels what is still pending for
   * them in running broadcasts. Returns how many subscriptions were removed.
   */
  async stopAll(personId: string, now: Date): Promise<number> {
    return this.db.tx(async (q) => {
      const a = await q.query(`DELETE FROM follows WHERE person_id = $1 RETURNING kind`, [personId]);
      const b = await deletePreferences(q, personId, SUBSCRIPTIONS_FLOW);
      await q.query(`INSERT INTO broadcast_optouts (person_id, at) VALUES ($1, $2) ON CONFLICT (person_id) DO UPDATE SET at = EXCLUDED.at`, [personId, now]);
      await q.query(`UPDATE broadcast_deliveries SET status = 'skipped', error = 'opted out' WHERE person_id = $1 AND status = 'pending'`, [personId]);
      return a.length + b;
    });
  }

  // ── broadcasts ────────────────────────────────────────────────────────────

  async createBroadcast(
    b: { spaceId: string | null; createdBy: string; kind?: string; eventId?: string | null; audience: Audience; messages: BroadcastMessages; scheduledAt?: Date | null },
    now: Date,
  ): Promise<Broadcast> {
    const rows = await this.db.query<BroadcastRow>(
      `INSERT INTO broadcasts (space_id, created_by, kind, event_id, audience, messages, status, scheduled_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8) RETURNING *`,
      [b.spaceId, b.createdBy, b.kind ?? 'announcement', b.eventId ?? null, JSON.stringify(b.audience), JSON.stringify(b.messages), b.scheduledAt ?? null, now],
    );
    return toBroadcast(oneRow(rows));
  }

  async getBroadcast(id: number): Promise<Broadcast | undefined> {
    const rows = await this.db.query<BroadcastRow>(`SELECT * FROM broadcasts WHERE id = $1`, [id]);
    return rows[0] ? toBroadcast(rows[0]) : undefined;
  }

  /** Broadcasts of one space (or all, for coordinators), newest first. */
  async listBroadcasts(spaceId: string | null, limit = 50): Promise<Broadcast[]> {
    const rows = await this.db.query<BroadcastRow>(`SELECT * FROM broadcasts WHERE ($1::text IS NULL OR space_id = $1) ORDER BY id DESC LIMIT $2`, [spaceId, limit]);
    return rows.map(toBroadcast);
  }

  /** How many people an audience reaches now, per channel and language (before sending). */
  async audienceCounts(audience: Audience, channels: readonly ChannelName[]): Promise<{ channel: ChannelName; lang: string; people: number }[]> {
    const rows = await this.db.query<{ channel: ChannelName; lang: string; n: string | number }>(
      `SELECT channel, lang, count(*) AS n FROM (${AUDIENCE_SQL}) x GROUP BY channel, lang ORDER BY channel, lang`,
      audienceParams(audience, channels, this.defaultLanguage),
    );
    return rows.map((r) => ({ channel: r.channel, lang: r.lang, people: Number(r.n) }));
  }

  /**
   * Starts a broadcast: writes one delivery record per person in the audience (one statement; the
   * unique (broadcast, person) constraint makes a second call add nothing) and marks it sending.
   * Returns the number of records, or undefined when the broadcast is not a draft or scheduled.
   */
  async startBroadcast(id: number, channels: readonly ChannelName[], now: Date): Promise<number | undefined> {
    return this.db.tx(async (q) => {
      const b = await q.query<BroadcastRow>(`UPDATE broadcasts SET status = 'sending', started_at = $2 WHERE id = $1 AND status IN ('draft', 'scheduled') RETURNING *`, [id, now]);
      if (!b[0]) return undefined;
      const audience = audienceColumn.parse(b[0].audience, b[0].id);
      const params = audienceParams(audience, channels, this.defaultLanguage);
      // Counted in the database: 5,000 ids sent back only to be counted cost ~50 ms of the start.
      const rows = await q.query<{ n: number }>(
        `WITH added AS (
           INSERT INTO broadcast_deliveries (broadcast_id, person_id, channel)
           SELECT $8, person_id, channel FROM (${AUDIENCE_SQL}) x ON CONFLICT (broadcast_id, person_id) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM added`,
        [...params, id],
      );
      return oneRow(rows).n;
    });
  }

  /** Events and offsets with reminders due by `now` (still scheduled). */
  async dueReminderGroups(now: Date): Promise<{ eventId: string; offset: string }[]> {
    const rows = await this.db.query<{ event_id: string; offset_name: string }>(
      `SELECT DISTINCT event_id, offset_name FROM knowledge_reminders WHERE status = 'scheduled' AND run_at <= $1 ORDER BY event_id, offset_name`,
      [now],
    );
    return rows.map((r) => ({ eventId: r.event_id, offset: r.offset_name }));
  }

  /**
   * Turns the due reminders of one event and offset into delivery records of that event's reminder
   * broadcast (created on first use, reopened when more become due). In one transaction: a reminder is
   * marked sent and its record written together, so it becomes a record exactly once, whichever worker
   * gets there first. People who said "stop", are unreachable, or have no address on `channels` get a
   * `skipped` record (the report says why). The channel is the one the person asked on when possible.
   * @returns the broadcast's id and how many records were written.
   */
  async materializeReminders(
    r: { eventId: string; offset: string; spaceId: string | null; messages: BroadcastMessages },
    channels: readonly ChannelName[],
    now: Date,
  ): Promise<{ broadcastId: number; added: number }> {
    return this.db.tx(async (q) => {
      // One materializer at a time: two workers must not create two broadcasts for the same reminder.
      await q.query('SELECT pg_advisory_xact_lock(7283451)');
      const found = await q.query<{ id: string | number }>(`SELECT id FROM broadcasts WHERE kind = 'reminder' AND event_id = $1 AND audience->>'reminder' = $2 ORDER BY id LIMIT 1`, [
        r.eventId,
        r.offset,
      ]);
      const broadcastId = found[0]
        ? Number(found[0].id)
        : Number(
            (
              await q.query<{ id: string | number }>(
                `INSERT INTO broadcasts (space_id, created_by, kind, event_id, audience, messages, status, created_at, started_at)
                 VALUES ($1, 'reminders', 'reminder', $2, $3, $4, 'sending', $5, $5) RETURNING id`,
                [r.spaceId, r.eventId, JSON.stringify({ allEvents: false, reminder: r.offset } satisfies Audience), JSON.stringify(r.messages), now],
              )
            )[0]!.id,
          );
      const rows = await q.query(
        `WITH due AS (${takeDueRemindersSql({ eventId: '$1', offset: '$2', now: '$3' })})
         INSERT INTO broadcast_deliveries (broadcast_id, person_id, channel, status, error)
         SELECT $4, d.person_id, COALESCE(a.channel, COALESCE(d.channel, 'none')),
           CASE WHEN a.channel IS NULL OR p.unreachable OR o.person_id IS NOT NULL THEN 'skipped' ELSE 'pending' END,
           CASE WHEN o.person_id IS NOT NULL THEN 'opted out' WHEN p.unreachable THEN 'unreachable'
                WHEN a.channel IS NULL THEN 'no address on a configured channel' END
         FROM due d JOIN people p ON p.id = d.person_id
         LEFT JOIN LATERAL (
           SELECT ca.channel FROM channel_addresses ca WHERE ca.person_id = d.person_id AND ca.channel = ANY($5::text[])
           ORDER BY (ca.channel = d.channel) DESC, array_position($5::text[], ca.channel) LIMIT 1
         ) a ON true
         LEFT JOIN broadcast_optouts o ON o.person_id = d.person_id
         ON CONFLICT (broadcast_id, person_id) DO NOTHING
         RETURNING id`,
        [r.eventId, r.offset, now, broadcastId, channels],
      );
      if (rows.length > 0) {
        await q.query(`UPDATE broadcasts SET status = 'sending', finished_at = NULL, messages = $2 WHERE id = $1 AND status IN ('sending', 'done')`, [broadcastId, JSON.stringify(r.messages)]);
        // Staff cancelled this reminder broadcast: later reminders of it are skipped, not left waiting.
        await q.query(
          `UPDATE broadcast_deliveries SET status = 'skipped', error = 'cancelled' WHERE broadcast_id = $1 AND status = 'pending'
                       AND EXISTS (SELECT 1 FROM broadcasts WHERE id = $1 AND status = 'cancelled')`,
          [broadcastId],
        );
      }
      return { broadcastId, added: rows.length };
    });
  }

  async schedule(id: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(`UPDATE broadcasts SET status = 'scheduled', scheduled_at = $2 WHERE id = $1 AND status = 'draft' RETURNING id`, [id, at]);
    return rows.length > 0;
  }

  async cancel(id: number): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query(`UPDATE broadcasts SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('draft', 'scheduled', 'sending') RETURNING id`, [id]);
      await q.query(`UPDATE broadcast_deliveries SET status = 'skipped', error = 'cancelled' WHERE broadcast_id = $1 AND status = 'pending'`, [id]);
      return rows.length > 0;
    });
  }

  /**
   * Claims up to `limit` pending records that may go now: `pending` → `sending` in one statement, so
   * no two workers ever hold the same record.
   */
  async claim(broadcastId: number, channel: ChannelName, limit: number, now: Date): Promise<ClaimedDelivery[]> {
    // One statement: the claim and what a send needs (address, language, last message). The address is
    // looked up by the person's index (a person has few addresses): `IS TRUE` keeps the planner off the
    // (channel, address) key, which would read every address of the channel for each person.
    const rows = await this.db.query<{ id: string | number; person_id: string; channel: ChannelName; attempts: number; address: string | null; lang: string | null; last_inbound_at: Date | null }>(
      `WITH c AS (
         UPDATE broadcast_deliveries SET status = 'sending', claimed_at = $3, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM broadcast_deliveries
           WHERE broadcast_id = $1 AND channel = $4 AND status = 'pending' AND (not_before IS NULL OR not_before <= $3)
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
         AND status = 'pending'
         RETURNING id, person_id, channel, attempts)
       SELECT c.id, c.person_id, c.channel, c.attempts, a.address, p.language AS lang, p.last_inbound_at
       FROM c LEFT JOIN people p ON p.id = c.person_id
       LEFT JOIN LATERAL (
         SELECT address FROM channel_addresses WHERE person_id = c.person_id AND (channel = c.channel) IS TRUE ORDER BY ${PREFERRED_ADDRESS_FIRST} LIMIT 1
       ) a ON true
       ORDER BY c.id`,
      [broadcastId, limit, now, channel],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      personId: r.person_id,
      channel: r.channel,
      address: r.address ?? null,
      lang: r.lang ?? this.defaultLanguage,
      lastInboundAt: r.last_inbound_at ? new Date(r.last_inbound_at) : null,
      attempts: r.attempts,
    }));
  }

  async markSent(id: number, externalId: string | undefined, outsideWindow: boolean, now: Date): Promise<void> {
    await this.db.query(`UPDATE broadcast_deliveries SET status = 'sent', external_id = $2, outside_window = $3, sent_at = $4, error = NULL WHERE id = $1 AND status = 'sending'`, [
      id,
      externalId ?? null,
      outsideWindow,
      now,
    ]);
  }

  /** Marks many records sent in one statement (the sender writes results in small groups). */
  async markSentMany(items: { id: number; externalId: string | undefined; outsideWindow: boolean }[], now: Date): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `UPDATE broadcast_deliveries d SET status = 'sent', external_id = x.ext, outside_window = x.ow, sent_at = $4, error = NULL
       FROM unnest($1::bigint[], $2::text[], $3::boolean[]) AS x(id, ext, ow)
       WHERE d.id = x.id AND d.status = 'sending'`,
      [items.map((i) => i.id), items.map((i) => i.externalId ?? null), items.map((i) => i.outsideWindow), now],
    );
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE broadcast_deliveries SET status = 'failed', error = $2, sent_at = $3 WHERE id = $1 AND status = 'sending'`, [id, error, now]);
  }

  /** Puts a claimed record back: it is sent later (a rate limit, a network error, the messaging-limit tier). */
  async release(id: number, error: string | null, notBefore: Date | null): Promise<void> {
    await this.db.query(`UPDATE broadcast_deliveries SET status = 'pending', error = $2, not_before = $3, in_flight_at = NULL WHERE id = $1 AND status = 'sending'`, [id, error, notBefore]);
  }

  /** Records that these claimed records' requests are leaving now (one statement for a group). */
  async markInFlight(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE broadcast_deliveries SET in_flight_at = $2 WHERE id = ANY($1::bigint[]) AND status = 'sending' AND in_flight_at IS NULL`, [ids, now]);
  }

  /**
   * After a crash: records left `sending` by a worker that died. Those whose request never left (no
   * `in_flight_at`: still waiting for the rate limiter) go back to `pending` and are sent — none is
   * skipped. Those in flight may or may not have reached the platform: they are marked `unknown`,
   * never sent again (a person never gets a broadcast twice).
   * @returns how many were put back and how many became unknown.
   */
  async abandonInterrupted(olderThan: Date): Promise<{ requeued: number; unknown: number }> {
    const back = await this.db.query(`UPDATE broadcast_deliveries SET status = 'pending', claimed_at = NULL WHERE status = 'sending' AND in_flight_at IS NULL AND claimed_at < $1 RETURNING id`, [
      olderThan,
    ]);
    const rows = await this.db.query(`UPDATE broadcast_deliveries SET status = 'unknown', error = 'the sender stopped while sending' WHERE status = 'sending' AND claimed_at < $1 RETURNING id`, [
      olderThan,
    ]);
    return { requeued: back.length, unknown: rows.length };
  }

  /** Broadcasts still sending (to resume on start). */
  async sendingBroadcasts(): Promise<number[]> {
    const rows = await this.db.query<{ id: string | number }>(`SELECT id FROM broadcasts WHERE status = 'sending' ORDER BY id`);
    return rows.map((r) => Number(r.id));
  }

  /** Scheduled broadcasts whose time has come. */
  async dueBroadcasts(now: Date): Promise<number[]> {
    const rows = await this.db.query<{ id: string | number }>(`SELECT id FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY id`, [now]);
    return rows.map((r) => Number(r.id));
  }

  /** Pending records left and the earliest time one may go. */
  async pendingInfo(broadcastId: number): Promise<{ pending: number; sending: number; nextAt: Date | null }> {
    const rows = await this.db.query<{ pending: string | number; sending: string | number; next_at: Date | null }>(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'sending') AS sending,
              min(not_before) FILTER (WHERE status = 'pending') AS next_at
       FROM broadcast_deliveries WHERE broadcast_id = $1`,
      [broadcastId],
    );
    const r = oneRow(rows);
    return { pending: Number(r.pending), sending: Number(r.sending), nextAt: r.next_at ? new Date(r.next_at) : null };
  }

  async finish(broadcastId: number, now: Date): Promise<void> {
    await this.db.query(`UPDATE broadcasts SET status = 'done', finished_at = $2 WHERE id = $1 AND status = 'sending'`, [broadcastId, now]);
  }

  /**
   * Reserves one WhatsApp "outside the window" send under the messaging-limit tier (distinct people
   * reached outside the window in the last 24 hours). Marks the record as outside the window when
   * there is room; returns false when the tier is full.
   */
  async reserveOutsideWindow(id: number, limit: number, now: Date): Promise<boolean> {
    return this.db.tx(async (q: Queryable) => {
      await q.query('SELECT pg_advisory_xact_lock(7283450)');
      const used = await q.query<{ n: string | number }>(
        `SELECT count(DISTINCT person_id) AS n FROM broadcast_deliveries
         WHERE outside_window AND channel = 'whatsapp' AND status NOT IN ('pending', 'skipped') AND COALESCE(sent_at, claimed_at) > $1`,
        [new Date(now.getTime() - 24 * 3600_000)],
      );
      if (Number(oneRow(used).n) >= limit) return false;
      await q.query(`UPDATE broadcast_deliveries SET outside_window = true, claimed_at = $2 WHERE id = $1`, [id, now]);
      return true;
    });
  }

  /** When the oldest outside-window send of the last 24 hours leaves the window (the tier frees up). */
  async tierFreesAt(now: Date): Promise<Date> {
    const rows = await this.db.query<{ first: Date | null }>(
      `SELECT min(COALESCE(sent_at, claimed_at)) AS first FROM broadcast_deliveries
       WHERE outside_window AND channel = 'whatsapp' AND status NOT IN ('pending', 'skipped') AND COALESCE(sent_at, claimed_at) > $1`,
      [new Date(now.getTime() - 24 * 3600_000)],
    );
    const first = rows[0]?.first ? new Date(rows[0].first) : now;
    return new Date(first.getTime() + 24 * 3600_000 + 1000);
  }

  /** The delivery report: records per status, failure reasons, and how many of the audience said stop since. */
  async report(broadcastId: number): Promise<DeliveryReport> {
    const rows = await this.db.query<{ status: string; channel: string; n: string | number }>(
      `SELECT status, channel, count(*) AS n FROM broadcast_deliveries WHERE broadcast_id = $1 GROUP BY status, channel`,
      [broadcastId],
    );
    const reasons = await this.db.query<{ error: string; n: string | number }>(
      `SELECT error, count(*) AS n FROM broadcast_deliveries WHERE broadcast_id = $1 AND status IN ('failed', 'unknown') AND error IS NOT NULL GROUP BY error ORDER BY n DESC LIMIT 10`,
      [broadcastId],
    );
    const opted = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM broadcast_deliveries d JOIN broadcast_optouts o ON o.person_id = d.person_id
       JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.broadcast_id = $1 AND o.at >= COALESCE(b.started_at, b.created_at)`,
      [broadcastId],
    );
    const byStatus: Record<string, number> = {};
    const byChannel: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + Number(r.n);
      (byChannel[r.channel] ??= {})[r.status] = Number(r.n);
      total += Number(r.n);
    }
    return { total, byStatus, byChannel, reasons: reasons.map((r) => ({ error: r.error, n: Number(r.n) })), optedOutSince: Number(oneRow(opted).n) };
  }

  /** Every delivery record of a broadcast (tests reconcile them with what the fake platforms received). */
  async deliveries(broadcastId: number): Promise<{ id: number; personId: string; channel: ChannelName; status: DeliveryRecordStatus; externalId: string | null; attempts: number }[]> {
    const rows = await this.db.query<{ id: string | number; person_id: string; channel: ChannelName; status: DeliveryRecordStatus; external_id: string | null; attempts: number }>(
      `SELECT id, person_id, channel, status, external_id, attempts FROM broadcast_deliveries WHERE broadcast_id = $1 ORDER BY id`,
      [broadcastId],
    );
    return rows.map((r) => ({ id: Number(r.id), personId: r.person_id, channel: r.channel, status: r.status, externalId: r.external_id, attempts: r.attempts }));
  }

  /**
   * Test and benchmark seeding: `n` people on `channel` with addresses `base + i`, who asked for all
   * events, in one INSERT … SELECT generate_series per table (not n round trips).
   */
  async seedSubscribers(n: number, opts: { channel: ChannelName; idPrefix: string; addressBase: number; lang?: string; lastInboundAt?: Date | null }): Promise<void> {
    await this.db.tx(async (q) => {
      await seedPeople(q, n, opts);
      await q.query(`INSERT INTO follows (person_id, kind, value) SELECT $1 || lpad(i::text, 6, '0'), 'all', '' FROM generate_series(1, $2::int) i`, [opts.idPrefix, n]);
    });
  }
}

/**
 * Applies a platform's delivery status to the broadcast and reminder records sent with that
 * external id, only forward (src/storage/delivery-rank.ts); a record not sent yet is left alone.
 * @returns how many records changed.
 */
export async function applyRecordStatus(q: Queryable, channel: ChannelName, externalId: string, status: DeliveryStatus, error?: string): Promise<number> {
  const rows = await q.query(
    `UPDATE broadcast_deliveries SET status = $3, error = CASE WHEN $3 = 'failed' THEN $4 ELSE error END
     WHERE channel = $1 AND external_id = $2 AND (${RANK_SQL}) < $5::numeric AND status <> $3
       AND status IN ('sent', 'delivered', 'read', 'failed', 'unknown')
     RETURNING id`,
    [channel, externalId, status, error ?? null, NEW_RANK[status]],
  );
  return rows.length;
}
