/**
 * Delivery report cells of a broadcast (staff portal). Sent, delivered and read: WhatsApp reports
 * delivered and read through its status webhooks; Telegram reports neither, so its part says so
 * instead of showing a misleading 0.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DeliveryReport } from '../storage/broadcast-store.js';

/** Channels that report "delivered" and "read" back to us. */
const RECEIPTS: Record<string, boolean> = { whatsapp: true, telegram: false };
const CHANNEL_NAME: Record<string, string> = { whatsapp: 'WhatsApp', telegram: 'Telegram' };

/** Counts for one channel (or all): sent includes delivered and read; delivered includes read. */
export function reportCounts(byStatus: Record<string, number>): { sent: number; delivered: number; read: number } {
  const read = byStatus.read ?? 0;
  const delivered = (byStatus.delivered ?? 0) + read;
  return { sent: (byStatus.sent ?? 0) + delivered, delivered, read };
}

/**
 * The delivered or read cell: the count where a channel reports it; "not reported by Telegram" for
 * Telegram's part (a Telegram-only broadcast shows no number at all, never a misleading 0).
 */
export function receiptCell(rep: DeliveryReport, what: 'delivered' | 'read'): HtmlEscapedString | Promise<HtmlEscapedString> | string {
  const channels = Object.keys(rep.byChannel);
  const withReceipts = channels.filter((c) => RECEIPTS[c] !== false);
  const tg = channels.includes('telegram');
  const n = reportCounts(rep.byStatus)[what];
  if (withReceipts.length === 0) return tg ? 'not reported by Telegram' : '0';
  return tg ? html`${n} <span class="note">(${withReceipts.map((c) => CHANNEL_NAME[c] ?? c).join(', ')} only; not reported by Telegram)</span>` : String(n);
}
