/**
 * The SQL behind the coordinators' dashboard. Every query reads the anonymous event log (`events`)
 * or the knowledge gaps, and returns counts with the number of distinct people behind each count, so
 * the caller can suppress small groups. Nothing here returns an actor, a person id or an address.
 * The event contract these queries rely on is docs/events.md.
 */
import type { Db } from './db.js';
import { type GapInsert, insertGapRows, markGapHandled } from './knowledge-store.js';
import { type EventRow, insertEventRows } from './event-store.js';

/** Which events count: a period [from, to) and optional channel / language filters. */
export interface Scope {
  from: Date;
  to: Date;
  channel?: string;
  lang?: string;
  /** IANA time zone for day / week buckets. */
  timezone: string;
}

/** A count and how many distinct people it comes from. */
export interface Tally {
  key: string;
  n: number;
  people: number;
}

/** A {@link Tally} in a time bucket (`YYYY-MM-DD`, the first day of the day / week). */
export interface BucketTally extends Tally {
  bucket: string;
}

export interface ReachTotals {
  people: number;
  newPeople: number;
  conversations: number;
}

export interface QuestionTally extends Tally {
  languages: number;
  answered: number;
}

export interface GapRow {
  id: string;
  lang: string;
  text: string;
  handled: boolean;
  cleared: boolean;
  /** Distinct people who ever asked it (decides whether its text may be shown). */
  peopleEver: number;
  /** Asks and distinct people in the scope. */
  n: number;
  people: number;
  lastAt: Date;
}

/** Answers marked useful / not useful for one answer target (`space:<id>`, `events`, `person`…). */
export interface FeedbackTally extends Tally {
  useful: number;
  notUseful: number;
}

export interface WaitTally extends Tally {
  /** Requests with a first human reply. */
  replied: number;
  median: number | null;
  p90: number | null;
}

// The seeding rows, written by the tables' owners (store.ts: events; knowledge-store.ts: gaps).
export type { EventRow } from './event-store.js';
export type { GapInsert } from './knowledge-store.js';

type Unit = 'day' | 'week';
type Facet = 'district' | 'price' | 'services' | 'languages';

/** Topic of each event type; `knowledge_question` carries its own topic. */
const TOPIC_SQL = `CASE
  WHEN type = 'knowledge_question' THEN COALESCE(NULLIF(data->>'topic', ''), 'other')
  WHEN type IN ('space_search', 'space_viewed') THEN 'spaces'
  WHEN type IN ('event_subscribed', 'reminder_set') THEN 'events'
  WHEN type = 'flow_started' THEN 'incubation'
  WHEN type = 'handoff_requested' THEN 'handoff'
END`;
const TOPIC_TYPES = `('knowledge_question', 'space_search', 'space_viewed', 'event_subscribed', 'reminder_set', 'flow_started', 'handoff_requested')`;

/**
 * The incubation charts count the project interview only: the onboarding flow starts and completes
 * for every new person, and the subscriptions flow is about events.
 */
const INCUBATION_ONLY = `(type NOT IN ('flow_started', 'flow_completed') OR data->>'flow' = 'incubation')`;

/** A lateral join over a JSON list field (a missing or non-list field gives no rows). */
const listOf = (field: string) => `, jsonb_array_elements_text(CASE WHEN jsonb_typeof(data->'${field}') = 'array' THEN data->'${field}' ELSE '[]'::jsonb END) AS v(key)`;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class InsightsStore {
  constructor(private readonly db: Db) {}

  /** `WHERE` for the scope: $1 from, $2 to, $3 channel, $4 language. */
  private where(s: Scope, types: string): { sql: string; params: unknown[] } {
    return {
      sql: `type IN ${types} AND at >= $1 AND at < $2 AND ($3::text IS NULL OR channel = $3) AND ($4::text IS NULL OR lang = $4)`,
      params: [s.from, s.to, s.channel ?? null, s.lang ?? null],
    };
  }

  private async tallies(sql: string, params: unknown[]): Promise<Tally[]> {
    const rows = await this.db.query<{ key: string | null; n: string; people: string }>(sql, params);
    return rows.map((r) => ({ key: r.key ?? '', n: num(r.n), people: num(r.people) }));
  }

  /**
   * Counts per key from `FROM … WHERE …`: events (`n`) and distinct people. Grouping by (key, actor)
   * first lets the database hash instead of sorting for every `count(DISTINCT …)` — 3–5× faster on PGlite.
   */
  private grouped(key: string, from: string, params: unknown[], order = 'n DESC, key'): Promise<Tally[]> {
    return this.tallies(
      `SELECT key, sum(n) AS n, count(actor) AS people FROM (SELECT ${key} AS key, actor, count(*) AS n FROM ${from} GROUP BY 1, 2) t
       GROUP BY 1 ORDER BY ${order}`,
      params,
    );
  }

  private bucket(unit: Unit): string {
    return `to_char(date_trunc('${unit === 'week' ? 'week' : 'day'}', at AT TIME ZONE $5), 'YYYY-MM-DD')`;
  }

  // ── reach ────────────────────────────────────────────────────────────────

  /** Per person and local day: whether it was their first contact (the base of the reach figures). */
  private personDays(s: Scope): { sql: string; params: unknown[] } {
    const w = this.where(s, `('message_in')`);
    return {
      sql: `SELECT actor, (at AT TIME ZONE $5)::date AS day, bool_or(data->>'newPerson' = 'true') AS fresh
            FROM events WHERE ${w.sql} AND actor IS NOT NULL GROUP BY 1, 2`,
      params: [...w.params, s.timezone],
    };
  }

  /** People (distinct actors writing in), new people, conversations (person × local day). */
  async reachTotals(s: Scope): Promise<ReachTotals> {
    const d = this.personDays(s);
    const [r] = await this.db.query<{ people: string; new_people: string; conversations: string }>(
      `SELECT count(*) AS people, count(*) FILTER (WHERE fresh) AS new_people, COALESCE(sum(days), 0) AS conversations
       FROM (SELECT actor, bool_or(fresh) AS fresh, count(*) AS days FROM (${d.sql}) d GROUP BY actor) p`,
      d.params,
    );
    return { people: num(r?.people), newPeople: num(r?.new_people), conversations: num(r?.conversations) };
  }

  /** Per bucket: `people` writing in, `new` (first contact in that bucket), `conversations`. */
  async reachOverTime(s: Scope, unit: Unit): Promise<BucketTally[]> {
    const d = this.personDays(s);
    const rows = await this.db.query<{ bucket: string; people: string; new_people: string; conversations: string }>(
      unit === 'day'
        ? `SELECT to_char(day, 'YYYY-MM-DD') AS bucket, count(*) AS people, count(*) FILTER (WHERE fresh) AS new_people, count(*) AS conversations
           FROM (${d.sql}) d GROUP BY day ORDER BY day`
        : `SELECT to_char(week, 'YYYY-MM-DD') AS bucket, count(*) AS people, count(*) FILTER (WHERE fresh) AS new_people, COALESCE(sum(days), 0) AS conversations
           FROM (SELECT date_trunc('week', day) AS week, actor, bool_or(fresh) AS fresh, count(*) AS days FROM (${d.sql}) d GROUP BY 1, 2) w
           GROUP BY week ORDER BY week`,
      d.params,
    );
    return rows.flatMap((r) => [
      { bucket: r.bucket, key: 'people', n: num(r.people), people: num(r.people) },
      { bucket: r.bucket, key: 'new', n: num(r.new_people), people: num(r.new_people) },
      { bucket: r.bucket, key: 'conversations', n: num(r.conversations), people: num(r.people) },
    ]);
  }

  /** People writing in, by channel or by language. */
  reachBy(s: Scope, column: 'channel' | 'lang'): Promise<Tally[]> {
    const w = this.where(s, `('message_in')`);
    return this.tallies(
      `SELECT key, count(*) AS n, count(*) AS people FROM (SELECT DISTINCT ${column} AS key, actor FROM events WHERE ${w.sql} AND actor IS NOT NULL) t
       GROUP BY 1 ORDER BY people DESC, key`,
      w.params,
    );
  }

  // ── what people ask ──────────────────────────────────────────────────────

  /** Requests and people per topic (explainer, spaces, events, other, incubation, handoff). */
  topics(s: Scope): Promise<Tally[]> {
    const w = this.where(s, TOPIC_TYPES);
    return this.grouped(TOPIC_SQL, `events WHERE ${w.sql} AND ${INCUBATION_ONLY}`, w.params);
  }

  async topicsOverTime(s: Scope, unit: Unit): Promise<BucketTally[]> {
    const w = this.where(s, TOPIC_TYPES);
    const rows = await this.db.query<{ bucket: string; key: string; n: string; people: string }>(
      `SELECT to_char(b, 'YYYY-MM-DD') AS bucket, key, sum(n) AS n, count(actor) AS people FROM
         (SELECT date_trunc('${unit === 'week' ? 'week' : 'day'}', (at AT TIME ZONE $5)::date) AS b, ${TOPIC_SQL} AS key, actor, count(*) AS n
          FROM events WHERE ${w.sql} AND ${INCUBATION_ONLY} GROUP BY 1, 2, 3) t
       GROUP BY b, key ORDER BY b, key`,
      [...w.params, s.timezone],
    );
    return rows.map((r) => ({ bucket: r.bucket, key: r.key, n: num(r.n), people: num(r.people) }));
  }

  /** The most asked questions by answer target, across languages. */
  async topQuestions(s: Scope, limit = 15): Promise<QuestionTally[]> {
    const w = this.where(s, `('knowledge_question')`);
    const rows = await this.db.query<{ key: string; n: string; people: string; languages: string; answered: string }>(
      `SELECT data->>'target' AS key, count(*) AS n, count(DISTINCT actor) AS people, count(DISTINCT lang) AS languages,
              count(*) FILTER (WHERE data->>'answered' = 'true') AS answered
       FROM events WHERE ${w.sql} AND data->>'target' IS NOT NULL GROUP BY 1 ORDER BY n DESC, key LIMIT ${Math.trunc(limit)}`,
      w.params,
    );
    return rows.map((r) => ({ key: r.key, n: num(r.n), people: num(r.people), languages: num(r.languages), answered: num(r.answered) }));
  }

  /**
   * Feedback on answers (events `answer_feedback`): per answer target, how many answers were marked
   * useful and not useful, counting each person's latest reaction to each answer once (a change of
   * mind replaces the earlier one; a withdrawn reaction counts for nothing).
   */
  async answerFeedback(s: Scope, limit = 20): Promise<FeedbackTally[]> {
    const w = this.where(s, `('answer_feedback')`);
    const rows = await this.db.query<{ key: string; useful: string; not_useful: string; people: string }>(
      `SELECT key, count(*) FILTER (WHERE value = 'useful') AS useful, count(*) FILTER (WHERE value = 'not_useful') AS not_useful,
              count(DISTINCT actor) AS people
       FROM (SELECT DISTINCT ON (actor, data->>'answer') actor, data->>'target' AS key, data->>'value' AS value
             FROM events WHERE ${w.sql} ORDER BY actor, data->>'answer', at DESC, id DESC) latest
       WHERE value IN ('useful', 'not_useful') AND key IS NOT NULL
       GROUP BY key ORDER BY count(*) DESC, key LIMIT ${Math.trunc(limit)}`,
      w.params,
    );
    return rows.map((r) => ({ key: r.key, useful: num(r.useful), notUseful: num(r.not_useful), n: num(r.useful) + num(r.not_useful), people: num(r.people) }));
  }

  /** Knowledge gaps asked in the scope (events `knowledge_gap`), most asked first. */
  async gaps(s: Scope, limit = 60): Promise<GapRow[]> {
    const w = this.where(s, `('knowledge_gap')`);
    const rows = await this.db.query<{
      id: string;
      lang: string;
      text: string;
      handled: boolean;
      cleared: boolean | null;
      people_ever: string;
      n: string;
      people: string;
      last_at: Date;
    }>(
      `WITH p AS (SELECT data->>'gapId' AS gid, count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1)
       SELECT g.id::text AS id, g.lang, g.text_normalized AS text, g.handled, r.cleared, g.last_at, p.n, p.people,
              (SELECT count(DISTINCT e.actor) FROM events e WHERE e.type = 'knowledge_gap' AND e.data->>'gapId' = g.id::text) AS people_ever
       FROM p JOIN knowledge_gaps g ON g.id::text = p.gid
       LEFT JOIN insights_gap_reviews r ON r.gap_id = g.id::text
       ORDER BY g.handled, p.people DESC, p.n DESC, g.id LIMIT ${Math.trunc(limit)}`,
      w.params,
    );
    return rows.map((r) => ({
      id: r.id,
      lang: r.lang,
      text: r.text,
      handled: r.handled,
      cleared: r.cleared === true,
      peopleEver: num(r.people_ever),
      n: num(r.n),
      people: num(r.people),
      lastAt: new Date(r.last_at),
    }));
  }

  /** Marks a gap handled (or not). @returns whether the gap exists. */
  setGapHandled(id: string, handled: boolean): Promise<boolean> {
    return markGapHandled(this.db, id, handled);
  }

  /** Clears (or hides again) a gap's redacted text for display below the small-group threshold. */
  async setGapCleared(id: string, cleared: boolean): Promise<boolean> {
    const exists = await this.db.query(`SELECT 1 FROM knowledge_gaps WHERE id::text = $1`, [id]);
    if (exists.length === 0) return false;
    await this.db.query(
      `INSERT INTO insights_gap_reviews (gap_id, cleared) VALUES ($1, $2)
       ON CONFLICT (gap_id) DO UPDATE SET cleared = EXCLUDED.cleared, reviewed_at = now()`,
      [id, cleared],
    );
    return true;
  }

  // ── spaces and events ────────────────────────────────────────────────────

  spacesViewed(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('space_viewed')`);
    return this.tallies(`SELECT data->>'space' AS key, count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1 ORDER BY n DESC, key`, w.params);
  }

  /** Searches per district, price, service or language filter (`district` narrows to one district). */
  searchFacet(s: Scope, facet: Facet, district?: string): Promise<Tally[]> {
    const w = this.where(s, `('space_search')`);
    const isList = facet === 'services' || facet === 'languages';
    return this.grouped(isList ? 'v.key' : `COALESCE(data->>'${facet}', '')`, `events${isList ? listOf(facet) : ''} WHERE ${w.sql} AND ($5::text IS NULL OR data->>'district' = $5)`, [
      ...w.params,
      district ?? null,
    ]);
  }

  subscriptions(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('event_subscribed')`);
    return this.tallies(
      `SELECT CASE WHEN data->>'space' IS NOT NULL THEN 'space:' || (data->>'space') WHEN data->>'topic' IS NOT NULL THEN 'topic:' || (data->>'topic') ELSE 'all' END AS key,
              count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1 ORDER BY n DESC, key`,
      w.params,
    );
  }

  reminders(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('reminder_set')`);
    return this.tallies(`SELECT data->>'event' AS key, count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1 ORDER BY n DESC, key`, w.params);
  }

  /** Broadcasts per space: `n` broadcasts, `people` the people reached in total. Period only (staff actions). */
  broadcasts(s: Scope): Promise<Tally[]> {
    return this.tallies(
      `SELECT data->>'space' AS key, count(*) AS n, COALESCE(sum((data->>'reached')::numeric), 0) AS people
       FROM events WHERE type = 'broadcast_sent' AND at >= $1 AND at < $2 GROUP BY 1 ORDER BY people DESC, key`,
      [s.from, s.to],
    );
  }

  // ── incubation ───────────────────────────────────────────────────────────

  /** People who started, completed, and completed then asked for a person (keys started/completed/handed_off). */
  async incubationTotals(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('flow_started', 'flow_completed', 'handoff_requested')`);
    // One pass per person: started?, first completion, last request for a person.
    const [r] = await this.db.query<{ started: string; completed: string; handed: string }>(
      `SELECT count(*) FILTER (WHERE started) AS started, count(done) AS completed, count(*) FILTER (WHERE last_request >= done) AS handed
       FROM (SELECT actor, bool_or(type = 'flow_started') AS started,
                    min(at) FILTER (WHERE type = 'flow_completed') AS done,
                    max(at) FILTER (WHERE type = 'handoff_requested') AS last_request
             FROM events WHERE ${w.sql} AND ${INCUBATION_ONLY} AND actor IS NOT NULL GROUP BY actor) p`,
      w.params,
    );
    return [
      { key: 'started', n: num(r?.started), people: num(r?.started) },
      { key: 'completed', n: num(r?.completed), people: num(r?.completed) },
      { key: 'handed_off', n: num(r?.handed), people: num(r?.handed) },
    ];
  }

  /** People reaching each step (key `flow|step`), and `n` = people who abandoned at that step. */
  async funnel(s: Scope): Promise<(Tally & { flow: string; step: string; abandoned: number })[]> {
    const w = this.where(s, `('flow_step', 'flow_abandoned')`);
    const rows = await this.db.query<{ flow: string; step: string; people: string; abandoned: string }>(
      `SELECT flow, step, count(actor) FILTER (WHERE type = 'flow_step') AS people, count(actor) FILTER (WHERE type = 'flow_abandoned') AS abandoned
       FROM (SELECT data->>'flow' AS flow, data->>'step' AS step, type, actor FROM events WHERE ${w.sql} GROUP BY 1, 2, 3, 4) t
       GROUP BY 1, 2 ORDER BY 1, people DESC, 2`,
      w.params,
    );
    return rows.map((r) => ({
      key: `${r.flow}|${r.step}`,
      flow: r.flow,
      step: r.step,
      n: num(r.people),
      people: num(r.people),
      abandoned: num(r.abandoned),
    }));
  }

  /** People completing a flow, per answer (`stage`, `supportLevel`; arrays `needs`, `constraints`). */
  completionFacet(s: Scope, field: 'stage' | 'supportLevel' | 'needs' | 'constraints'): Promise<Tally[]> {
    const w = this.where(s, `('flow_completed')`);
    const isList = field === 'needs' || field === 'constraints';
    return this.grouped(isList ? 'v.key' : `COALESCE(data->>'${field}', '')`, `events${isList ? listOf(field) : ''} WHERE ${w.sql} AND ${INCUBATION_ONLY}`, w.params, 'people DESC, key');
  }

  // ── handoff ──────────────────────────────────────────────────────────────

  /** Keys: requests, safety, claimed, replied (first human replies). */
  async handoffTotals(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('handoff_requested', 'handoff_claimed', 'handoff_first_reply')`);
    return this.tallies(
      `SELECT CASE WHEN type = 'handoff_requested' THEN 'requests' WHEN type = 'handoff_claimed' THEN 'claimed' ELSE 'replied' END AS key,
              count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1
       UNION ALL
       SELECT 'safety', count(*), count(DISTINCT actor) FROM events WHERE ${w.sql} AND type = 'handoff_requested' AND data->>'priority' = 'safety'`,
      w.params,
    );
  }

  /** Per language: requests (`n`, `people`), first replies, median and 90th percentile wait in seconds. */
  async handoffWaits(s: Scope): Promise<WaitTally[]> {
    const w = this.where(s, `('handoff_requested', 'handoff_first_reply')`);
    const rows = await this.db.query<{ key: string; n: string; people: string; replied: string; median: string | null; p90: string | null }>(
      `SELECT lang AS key, count(*) FILTER (WHERE type = 'handoff_requested') AS n,
              count(DISTINCT actor) FILTER (WHERE type = 'handoff_requested') AS people,
              count(*) FILTER (WHERE type = 'handoff_first_reply') AS replied,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'waitSeconds')::numeric) FILTER (WHERE type = 'handoff_first_reply') AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY (data->>'waitSeconds')::numeric) FILTER (WHERE type = 'handoff_first_reply') AS p90
       FROM events WHERE ${w.sql} GROUP BY 1 ORDER BY n DESC, key`,
      w.params,
    );
    return rows.map((r) => ({
      key: r.key ?? '',
      n: num(r.n),
      people: num(r.people),
      replied: num(r.replied),
      median: numOrNull(r.median),
      p90: numOrNull(r.p90),
    }));
  }

  /** Overall median / 90th percentile wait (seconds) and the people behind it. */
  async handoffWaitOverall(s: Scope): Promise<{ median: number | null; p90: number | null; people: number }> {
    const w = this.where(s, `('handoff_first_reply')`);
    const [r] = await this.db.query<{ median: string | null; p90: string | null; people: string }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'waitSeconds')::numeric) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY (data->>'waitSeconds')::numeric) AS p90,
              count(DISTINCT actor) AS people FROM events WHERE ${w.sql}`,
      w.params,
    );
    return { median: numOrNull(r?.median), p90: numOrNull(r?.p90), people: num(r?.people) };
  }

  handoffOutcomes(s: Scope): Promise<Tally[]> {
    const w = this.where(s, `('handoff_closed')`);
    return this.tallies(`SELECT data->>'outcome' AS key, count(*) AS n, count(DISTINCT actor) AS people FROM events WHERE ${w.sql} GROUP BY 1 ORDER BY n DESC, key`, w.params);
  }

  // ── filters ──────────────────────────────────────────────────────────────

  /** Values seen in the log for the filter menus (channels, languages, districts searched). */
  async filterValues(): Promise<{ channels: string[]; languages: string[]; districts: string[] }> {
    const [channels, languages, districts] = await Promise.all([
      this.db.query<{ v: string }>(`SELECT DISTINCT channel AS v FROM events WHERE type = 'message_in' AND channel IS NOT NULL ORDER BY 1`),
      this.db.query<{ v: string }>(`SELECT DISTINCT lang AS v FROM events WHERE type = 'message_in' AND lang IS NOT NULL ORDER BY 1`),
      this.db.query<{ v: string }>(`SELECT DISTINCT data->>'district' AS v FROM events WHERE type = 'space_search' AND data->>'district' IS NOT NULL ORDER BY 1`),
    ]);
    return { channels: channels.map((r) => r.v), languages: languages.map((r) => r.v), districts: districts.map((r) => r.v) };
  }

  // ── bulk writes (seeding and benchmark) ──────────────────────────────────

  /** Inserts events in batches (one statement per 2,000 rows). */
  insertEvents(events: EventRow[]): Promise<void> {
    return insertEventRows(this.db, events);
  }

  insertGaps(gaps: GapInsert[]): Promise<void> {
    return insertGapRows(this.db, gaps);
  }
}
