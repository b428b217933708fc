/**
 * Data access for the human handoff: the queue of cases, private notes, canned replies and held
 * outbound messages. A case is one request for a person; at most one is open per person.
 */
import type { ChannelName } from '../core/types.js';
import { oneRow, type Db, type Queryable } from './db.js';
import { jsonColumn, textPerLanguage } from './json-column.js';
import { setConversationMode } from './conversation-store.js';
import { requeueHeldMessages } from './message-store.js';

export type CaseStatus = 'waiting' | 'claimed' | 'closed';
/** Priorities: safety words first, then an explicit request with context (interview end), then the rest. */
export const PRIORITY = { normal: 0, high: 1, safety: 2 } as const;
export type PriorityName = keyof typeof PRIORITY;

export const outcomes = ['answered', 'referred_space', 'referred_service', 'no_reply', 'released'] as const;
export type Outcome = (typeof outcomes)[number];

export interface HandoffCase {
  id: number;
  personId: string;
  channel: ChannelName;
  status: CaseStatus;
  priority: number;
  reason: string;
  note: string | null;
  ownerId: number | null;
  ownerEmail: string | null;
  outcome: string | null;
  safetySent: boolean;
  createdAt: Date;
  claimedAt: Date | null;
  closedAt: Date | null;
}

export interface Note {
  id: number;
  authorEmail: string | null;
  body: string;
  createdAt: Date;
}

export interface CannedReply {
  id: number;
  title: string;
  texts: Record<string, string>;
}

/** `canned_replies.texts`: one text per language. */
const cannedTextsColumn = jsonColumn('canned_replies', 'texts', textPerLanguage);

type CaseRow = {
  id: string | number;
  person_id: string;
  channel: ChannelName;
  status: CaseStatus;
  priority: number;
  reason: string;
  note: string | null;
  owner_id: string | number | null;
  owner_email: string | null;
  outcome: string | null;
  safety_sent: boolean;
  created_at: Date;
  claimed_at: Date | null;
  closed_at: Date | null;
};

const toCase = (r: CaseRow): HandoffCase => ({
  id: Number(r.id),
  personId: r.person_id,
  channel: r.channel,
  status: r.status,
  priority: r.priority,
  reason: r.reason,
  note: r.note,
  ownerId: r.owner_id === null ? null : Number(r.owner_id),
  ownerEmail: r.owner_email ?? null,
  outcome: r.outcome,
  safetySent: r.safety_sent,
  createdAt: new Date(r.created_at),
  claimedAt: r.claimed_at ? new Date(r.claimed_at) : null,
  closedAt: r.closed_at ? new Date(r.closed_at) : null,
});

const caseSelect = `SELECT c.*, u.email AS owner_email FROM handoff_cases c LEFT JOIN staff_users u ON u.id = c.owner_id`;

export class HandoffStore {
  constructor(readonly db: Db) {}

  /**
   * Opens a case for the person, or returns the open one (raising its priority if the new request
   * is more urgent). Also puts the conversation in `waiting` mode so the bot falls silent.
   */
  async open(personId: string, channel: ChannelName, fields: { reason: string; priority: number; note?: string }, now: Date): Promise<{ case: HandoffCase; created: boolean }> {
    return this.db.tx(async (q) => {
      const existing = await this.openCase(personId, q);
      if (existing) {
        if (fields.priority > existing.priority) {
          await q.query(`UPDATE handoff_cases SET priority = $2, reason = $3 WHERE id = $1`, [existing.id, fields.priority, fields.reason]);
        }
        return { case: (await this.openCase(personId, q))!, created: false };
      }
      await q.query(`INSERT INTO handoff_cases (person_id, channel, status, priority, reason, note, created_at) VALUES ($1, $2, 'waiting', $3, $4, $5, $6)`, [
        personId,
        channel,
        fields.priority,
        fields.reason,
        fields.note ?? null,
        now,
      ]);
      await setConversationMode(q, personId, 'waiting', now);
      return { case: (await this.openCase(personId, q))!, created: true };
    });
  }

  async openCase(personId: string, q: Queryable = this.db): Promise<HandoffCase | undefined> {
    const rows = await q.query<CaseRow>(`${caseSelect} WHERE c.person_id = $1 AND c.status <> 'closed'`, [personId]);
    return rows[0] ? toCase(rows[0]) : undefined;
  }

  async latestCase(personId: string): Promise<HandoffCase | undefined> {
    const rows = await this.db.query<CaseRow>(`${caseSelect} WHERE c.person_id = $1 ORDER BY c.id DESC LIMIT 1`, [personId]);
    return rows[0] ? toCase(rows[0]) : undefined;
  }

  /** Open cases: safety first, then priority, then the longest wait. */
  async queue(): Promise<HandoffCase[]> {
    const rows = await this.db.query<CaseRow>(`${caseSelect} WHERE c.status <> 'closed' ORDER BY c.status = 'claimed', c.priority DESC, c.created_at, c.id`);
    return rows.map(toCase);
  }

  /** How many people wait ahead of a case (same or higher priority, earlier). */
  async waitingAhead(caseId: number): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM handoff_cases o, handoff_cases c WHERE c.id = $1 AND o.status = 'waiting' AND o.id <> c.id
       AND (o.priority > c.priority OR (o.priority = c.priority AND o.created_at <= c.created_at))`,
      [caseId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Claims a waiting case. Atomic: of two facilitators racing, exactly one gets `true`.
   */
  /** Records the first facilitator reply of a case; returns the wait in seconds the first time, undefined after. */
  async markFirstReply(caseId: number, now: Date): Promise<number | undefined> {
    const rows = await this.db.query<{ created_at: Date }>(`UPDATE handoff_cases SET first_reply_at = $2 WHERE id = $1 AND first_reply_at IS NULL RETURNING created_at`, [caseId, now]);
    return rows[0] ? Math.max(0, Math.round((now.getTime() - new Date(rows[0].created_at).getTime()) / 1000)) : undefined;
  }

  async claim(caseId: number, userId: number, now: Date): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query<{ person_id: string }>(
        `UPDATE handoff_cases SET owner_id = $2, status = 'claimed', claimed_at = $3 WHERE id = $1 AND owner_id IS NULL AND status = 'waiting' RETURNING person_id`,
        [caseId, userId, now],
      );
      if (!rows[0]) return false;
      await setConversationMode(q, rows[0].person_id, 'human', now);
      return true;
    });
  }

  /** Gives a claimed case to another account. */
  async reassign(caseId: number, toUserId: number): Promise<boolean> {
    const rows = await this.db.query(`UPDATE handoff_cases SET owner_id = $2 WHERE id = $1 AND status = 'claimed' RETURNING id`, [caseId, toUserId]);
    return rows.length > 0;
  }

  /** Closes a case with an outcome and gives the conversation back to the bot. */
  async close(caseId: number, outcome: Outcome, now: Date): Promise<HandoffCase | undefined> {
    return this.db.tx(async (q) => {
      const rows = await q.query<{ person_id: string }>(`UPDATE handoff_cases SET status = 'closed', outcome = $2, closed_at = $3 WHERE id = $1 AND status <> 'closed' RETURNING person_id`, [
        caseId,
        outcome,
        now,
      ]);
      if (!rows[0]) return undefined;
      await setConversationMode(q, rows[0].person_id, 'bot', now);
      const c = await q.query<CaseRow>(`${caseSelect} WHERE c.id = $1`, [caseId]);
      return toCase(oneRow(c));
    });
  }

  async getCase(caseId: number): Promise<HandoffCase | undefined> {
    const rows = await this.db.query<CaseRow>(`${caseSelect} WHERE c.id = $1`, [caseId]);
    return rows[0] ? toCase(rows[0]) : undefined;
  }

  /**
   * Waiting cases created before `before` that nobody was alerted about yet, marked as alerted now.
   * Atomic, so two processes never alert twice for one case.
   */
  async takeOverdue(before: Date, now: Date): Promise<{ id: number; priority: number }[]> {
    const rows = await this.db.query<{ id: string; priority: number }>(
      `UPDATE handoff_cases SET alerted_at = $2 WHERE status = 'waiting' AND alerted_at IS NULL AND created_at < $1 RETURNING id, priority`,
      [before, now],
    );
    return rows.map((r) => ({ id: Number(r.id), priority: r.priority }));
  }

  /** Marks that the emergency numbers were sent for this case; true only the first time. */
  async markSafetySent(caseId: number): Promise<boolean> {
    return (await this.db.query(`UPDATE handoff_cases SET safety_sent = true WHERE id = $1 AND NOT safety_sent RETURNING id`, [caseId])).length > 0;
  }

  // ── held messages (WhatsApp 24-hour window) ───────────────────────────────

  /** Outbound messages held for the person (outside the WhatsApp window), put back to `queued`. */
  requeueHeld(personId: string): Promise<number[]> {
    return requeueHeldMessages(this.db, personId);
  }

  /** Message ids and statuses after `afterId`, plus statuses of earlier outbound ones (for live views). */
  async messageStatuses(personId: string): Promise<{ id: number; status: string }[]> {
    const rows = await this.db.query<{ id: string; status: string }>(`SELECT id, status FROM messages WHERE person_id = $1 AND direction = 'out' ORDER BY id`, [personId]);
    return rows.map((r) => ({ id: Number(r.id), status: r.status }));
  }

  // ── notes ─────────────────────────────────────────────────────────────────

  async addNote(personId: string, authorId: number, body: string, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO handoff_notes (person_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)`, [personId, authorId, body, now]);
  }

  async notes(personId: string): Promise<Note[]> {
    const rows = await this.db.query<{ id: string; email: string | null; body: string; created_at: Date }>(
      `SELECT n.id, u.email, n.body, n.created_at FROM handoff_notes n LEFT JOIN staff_users u ON u.id = n.author_id WHERE n.person_id = $1 ORDER BY n.id`,
      [personId],
    );
    return rows.map((r) => ({ id: Number(r.id), authorEmail: r.email, body: r.body, createdAt: new Date(r.created_at) }));
  }

  // ── canned replies ────────────────────────────────────────────────────────

  async cannedReplies(): Promise<CannedReply[]> {
    const rows = await this.db.query<{ id: string; title: string; texts: unknown }>(`SELECT id, title, texts FROM canned_replies ORDER BY id`);
    return rows.map((r) => ({ id: Number(r.id), title: r.title, texts: cannedTextsColumn.parse(r.texts, r.id) }));
  }

  async addCanned(title: string, texts: Record<string, string>): Promise<number> {
    const rows = await this.db.query<{ id: string }>(`INSERT INTO canned_replies (title, texts) VALUES ($1, $2) RETURNING id`, [title, JSON.stringify(texts)]);
    return Number(oneRow(rows).id);
  }

  async deleteCanned(id: number): Promise<void> {
    await this.db.query(`DELETE FROM canned_replies WHERE id = $1`, [id]);
  }

  /** Seeds canned replies once, when the table is empty. */
  async seedCanned(seed: { title: string; texts: Record<string, string> }[]): Promise<void> {
    await this.db.tx(async (q) => {
      const n = await q.query<{ n: string | number }>(`SELECT count(*) AS n FROM canned_replies`);
      if (Number(n[0]?.n ?? 0) > 0) return;
      for (const s of seed) await q.query(`INSERT INTO canned_replies (title, texts) VALUES ($1, $2)`, [s.title, JSON.stringify(s.texts)]);
    });
  }
}
