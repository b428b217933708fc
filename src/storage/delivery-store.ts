/**
 * Delivery statuses reported by the platforms (WhatsApp status webhooks) for our outbound messages.
 * Statuses arrive out of order; the update only moves forward: sent < delivered < read. `failed`
 * replaces a message that was not yet delivered (a delivered or read message did not fail).
 * The same rule applies to broadcast and reminder delivery records (`broadcast_deliveries`), matched by
 * channel and the platform's message id, so a delivery report counts delivered and read.
 */
import type { ChannelName } from '../core/types.js';
import type { Db } from './db.js';

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Rank of each stored status; a new status is applied only when it ranks higher. */
const RANK_SQL = `CASE status WHEN 'queued' THEN 0 WHEN 'sending' THEN 0 WHEN 'held' THEN 0 WHEN 'sent' THEN 1
  WHEN 'failed' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 0 END`;
const NEW_RANK: Record<DeliveryStatus, number> = { sent: 1, failed: 1.5, delivered: 2, read: 3 };

export class DeliveryStore {
  constructor(private readonly db: Db) {}

  /**
   * Applies a platform status to our outbound message with that external id.
   * @returns true when the stored status changed; false when it is unknown or would go backwards.
   */
  async applyStatus(channel: ChannelName, externalId: string, status: DeliveryStatus, error?: string): Promise<boolean> {
    const records = await this.db.query(
      `UPDATE broadcast_deliveries SET status = $3, error = CASE WHEN $3 = 'failed' THEN $4 ELSE error END
       WHERE channel = $1 AND external_id = $2 AND (${RANK_SQL}) < $5::numeric AND status <> $3
         AND status IN ('sent', 'delivered', 'read', 'failed', 'unknown')
       RETURNING id`,
      [channel, externalId, status, error ?? null, NEW_RANK[status]],
    );
    const rows = await this.db.query(
      `UPDATE messages SET status = $3, error = CASE WHEN $3 = 'failed' THEN $4 ELSE error END
       WHERE channel = $1 AND external_id = $2 AND direction = 'out' AND (${RANK_SQL}) < $5::numeric AND status <> $3
       RETURNING id`,
      [channel, externalId, status, error ?? null, NEW_RANK[status]],
    );
    return rows.length + records.length > 0;
  }
}
