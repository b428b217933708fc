/**
 * Feedback on the bot's answers: a 👍 or 👎 reaction on one of its messages, kept per answer (the
 * latest reaction wins). The anonymous count for the insights goes to the event log
 * (`answer_feedback`, docs/events.md); this table is what the person's erasure removes.
 */
import type { ChannelName } from '../core/types.js';
import type { Db } from './db.js';

/** One of our messages a reaction points at. */
export interface ReactedMessage {
  id: number;
  author: string;
  createdAt: Date;
}

/** The events of the turn that produced an answer (same person, same instant). */
export interface TurnEvent {
  type: string;
  data: Record<string, unknown>;
}

export class FeedbackStore {
  constructor(private readonly db: Db) {}

  /** The person's outbound message with this platform id (the last part of a message carries it). */
  async reactedMessage(personId: string, channel: ChannelName, externalId: string): Promise<ReactedMessage | undefined> {
    const rows = await this.db.query<{ id: string; author: string; created_at: Date }>(
      `SELECT id, author, created_at FROM messages WHERE channel = $1 AND external_id = $2 AND direction = 'out' AND person_id = $3 ORDER BY id DESC LIMIT 1`,
      [channel, externalId, personId],
    );
    const r = rows[0];
    return r ? { id: Number(r.id), author: r.author, createdAt: new Date(r.created_at) } : undefined;
  }

  /** The events logged by the turn that wrote a message (events and replies share the turn's instant). */
  async turnEvents(actor: string, at: Date): Promise<TurnEvent[]> {
    return this.db.query<TurnEvent>(`SELECT type, data FROM events WHERE actor = $1 AND at = $2 ORDER BY id`, [actor, at]);
  }

  /**
   * Sets (`useful` true/false) or removes (null) the feedback on a message.
   * @returns whether anything changed (a redelivered reaction changes nothing).
   */
  async set(messageId: number, personId: string, useful: boolean | null, target: string, at: Date): Promise<boolean> {
    if (useful === null) {
      return (await this.db.query(`DELETE FROM answer_feedback WHERE message_id = $1 RETURNING message_id`, [messageId])).length > 0;
    }
    const rows = await this.db.query(
      `INSERT INTO answer_feedback (message_id, person_id, useful, target, at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id) DO UPDATE SET useful = EXCLUDED.useful, at = EXCLUDED.at WHERE answer_feedback.useful <> EXCLUDED.useful
       RETURNING message_id`,
      [messageId, personId, useful, target, at],
    );
    return rows.length > 0;
  }

  /** The feedback a person gave, oldest first (tests, the "my data" export). */
  async ofPerson(personId: string): Promise<{ messageId: number; useful: boolean; target: string }[]> {
    const rows = await this.db.query<{ message_id: string; useful: boolean; target: string }>(`SELECT message_id, useful, target FROM answer_feedback WHERE person_id = $1 ORDER BY at, message_id`, [
      personId,
    ]);
    return rows.map((r) => ({ messageId: Number(r.message_id), useful: r.useful, target: r.target }));
  }
}
