/**
 * The event store: owns `events`, the anonymous log insights are computed from. Part of
 * `Store`'s split by table (issue #18): no other module writes this table; a statement of
 * another store that has to write it takes its SQL from here.
 */
import type { Db, Queryable } from './db.js';

/**
 * The turn commit's events, as a CTE body (`Store.commitTurn`): the JSON array `events`
 * (each `{type, actor, channel, lang, data}`) in order, all at `at`. Arguments are placeholders.
 */
export function turnEventsSql(events: string, at: string, when = 'true'): string {
  return `INSERT INTO events (type, actor, channel, lang, data, at)
         SELECT e->>'type', e->>'actor', e->>'channel', e->>'lang', e->'data', ${at} FROM jsonb_array_elements(${events}::jsonb) WITH ORDINALITY AS x(e, n)${when === 'true' ? '' : ` WHERE ${when}`} ORDER BY n`;
}

/** The event log. */
export class EventStore {
  constructor(readonly db: Db) {}

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
