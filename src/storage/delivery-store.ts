/**
 * Delivery statuses reported by the platforms (WhatsApp status webhooks) for our outbound messages.
 * Statuses arrive out of order; the update only moves forward (src/storage/delivery-rank.ts).
 * The same rule applies to broadcast and reminder delivery records (`broadcast_deliveries`), matched by
 * channel and the platform's message id, so a delivery report counts delivered and read. Each table
 * is written by its own store's function.
 */
import type { ChannelName } from '../core/types.js';
import { applyRecordStatus } from './broadcast-store.js';
import type { Db } from './db.js';
import type { DeliveryStatus } from './delivery-rank.js';
import { applyOutboundStatus } from './message-store.js';

export type { DeliveryStatus } from './delivery-rank.js';

export class DeliveryStore {
  constructor(private readonly db: Db) {}

  /**
   * Applies a platform status to our outbound message with that external id.
   * @returns true when the stored status changed; false when it is unknown or would go backwards.
   */
  async applyStatus(channel: ChannelName, externalId: string, status: DeliveryStatus, error?: string): Promise<boolean> {
    const records = await applyRecordStatus(this.db, channel, externalId, status, error);
    const messages = await applyOutboundStatus(this.db, channel, externalId, status, error);
    return messages + records > 0;
  }
}
