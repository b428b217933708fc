/**
 * Data access for the facilitators' inbox: unread counts per conversation and account (what the
 * account has read, as the last message id it saw) and a person's past cases.
 */
import type { Db } from './db.js';

/** One earlier request for a person, for the inbox's context panel. */
export interface PastCase {
  id: number;
  status: 'waiting' | 'claimed' | 'closed';
  reason: string;
  outcome: string | null;
  ownerEmail: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export class InboxStore {
  constructor(readonly db: Db) {}

  /** Remembers that the account has read the conversation up to message `lastId` (never moves back). */
  async markRead(accountId: number, personId: string, lastId: number): Promise<void> {
    await this.db.query(
      `INSERT INTO inbox_reads (account_id, person_id, last_read_id) VALUES ($1, $2, $3)
       ON CONFLICT (account_id, person_id) DO UPDATE SET last_read_id = GREATEST(inbox_reads.last_read_id, EXCLUDED.last_read_id)`,
      [accountId, personId, lastId],
    );
  }

  /**
   * For each open case: the person's messages the account has not read, counted from shortly before
   * the case opened (the message that asked for a person is part of it).
   */
  async unread(accountId: number): Promise<Map<string, number>> {
    const rows = await this.db.query<{ person_id: string; n: string | number }>(
      `SELECT m.person_id, count(*) AS n
         FROM messages m
         JOIN handoff_cases c ON c.person_id = m.person_id AND c.status <> 'closed'
         LEFT JOIN inbox_reads r ON r.person_id = m.person_id AND r.account_id = $1
        WHERE m.direction = 'in' AND m.created_at >= c.created_at - interval '2 minutes' AND m.id > COALESCE(r.last_read_id, 0)
        GROUP BY m.person_id`,
      [accountId],
    );
    return new Map(rows.map((r) => [r.person_id, Number(r.n)]));
  }

  /** The person's cases, newest first (the open one included). */
  async cases(personId: string, limit = 10): Promise<PastCase[]> {
    const rows = await this.db.query<{
      id: string | number;
      status: PastCase['status'];
      reason: string;
      outcome: string | null;
      owner_email: string | null;
      created_at: Date | string;
      closed_at: Date | string | null;
    }>(
      `SELECT c.id, c.status, c.reason, c.outcome, u.email AS owner_email, c.created_at, c.closed_at
         FROM handoff_cases c LEFT JOIN staff_users u ON u.id = c.owner_id
        WHERE c.person_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      [personId, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      status: r.status,
      reason: r.reason,
      outcome: r.outcome,
      ownerEmail: r.owner_email,
      createdAt: new Date(r.created_at),
      closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    }));
  }
}
