/**
 * The order of delivery statuses reported by the platforms (WhatsApp status webhooks). Statuses
 * arrive out of order; an update only moves forward: sent < delivered < read. `failed` replaces a
 * status that was not yet delivered (a delivered or read message did not fail). Shared by the two
 * tables that hold statuses: `messages` (src/storage/store.ts) and `broadcast_deliveries`
 * (src/storage/broadcast-store.ts); src/storage/delivery-store.ts applies a report to both.
 */

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Rank of each stored status, as SQL over the row's `status`; a new status is applied only when it ranks higher. */
export const RANK_SQL = `CASE status WHEN 'queued' THEN 0 WHEN 'sending' THEN 0 WHEN 'held' THEN 0 WHEN 'sent' THEN 1
  WHEN 'failed' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 0 END`;

/** Rank of each reported status (compared with {@link RANK_SQL}). */
export const NEW_RANK: Record<DeliveryStatus, number> = { sent: 1, failed: 1.5, delivered: 2, read: 3 };
