/**
 * Read-only figures for the operators' monitoring (`/metrics`): the handoff queue and the broadcasts
 * being sent. Each scrape runs these few grouped queries; they read indexed, small sets (open cases,
 * the delivery records of broadcasts in progress).
 */
import type { Db } from './db.js';
import { PRIORITY, type PriorityName } from './handoff-store.js';

/** Waiting handoff cases of one priority. */
export interface WaitingHandoffs {
  priority: PriorityName;
  waiting: number;
  /** When the longest-waiting case of this priority was opened (undefined: none waiting). */
  oldest: Date | undefined;
}

/** Delivery records of one broadcast in progress, by status. */
export interface BroadcastProgress {
  id: number;
  kind: string;
  counts: Record<string, number>;
}

const priorityName = (n: number): PriorityName => (Object.entries(PRIORITY).find(([, v]) => v === n)?.[0] as PriorityName | undefined) ?? (n > PRIORITY.safety ? 'safety' : 'normal');

export class OpsStore {
  constructor(private readonly db: Db) {}

  /** Waiting cases per priority (every priority listed, zero when none waits). */
  async waitingHandoffs(): Promise<WaitingHandoffs[]> {
    const rows = await this.db.query<{ priority: number; n: string | number; oldest: Date | string | null }>(
      `SELECT priority, count(*) AS n, min(created_at) AS oldest FROM handoff_cases WHERE status = 'waiting' GROUP BY priority`,
    );
    const out = new Map<PriorityName, WaitingHandoffs>();
    for (const name of Object.keys(PRIORITY) as PriorityName[]) out.set(name, { priority: name, waiting: 0, oldest: undefined });
    for (const r of rows) {
      const entry = out.get(priorityName(Number(r.priority)))!;
      entry.waiting += Number(r.n);
      const oldest = r.oldest ? new Date(r.oldest) : undefined;
      if (oldest && (!entry.oldest || oldest < entry.oldest)) entry.oldest = oldest;
    }
    return [...out.values()];
  }

  /** Cases a facilitator has claimed and not yet closed. */
  async claimedHandoffs(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM handoff_cases WHERE status = 'claimed'`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Broadcasts by status, for the statuses that mean work ahead (`scheduled`, `sending`). */
  async broadcastsAhead(): Promise<Record<'scheduled' | 'sending', number>> {
    const rows = await this.db.query<{ status: 'scheduled' | 'sending'; n: string | number }>(`SELECT status, count(*) AS n FROM broadcasts WHERE status IN ('scheduled', 'sending') GROUP BY status`);
    const out = { scheduled: 0, sending: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** The delivery records of every broadcast being sent, by status. */
  async broadcastProgress(): Promise<BroadcastProgress[]> {
    const rows = await this.db.query<{ id: string | number; kind: string; status: string; n: string | number }>(
      `SELECT b.id, b.kind, d.status, count(*) AS n
         FROM broadcasts b JOIN broadcast_deliveries d ON d.broadcast_id = b.id
        WHERE b.status = 'sending' GROUP BY b.id, b.kind, d.status ORDER BY b.id`,
    );
    const out = new Map<number, BroadcastProgress>();
    for (const r of rows) {
      const id = Number(r.id);
      const entry = out.get(id) ?? { id, kind: r.kind, counts: {} };
      entry.counts[r.status] = Number(r.n);
      out.set(id, entry);
    }
    return [...out.values()];
  }
}
