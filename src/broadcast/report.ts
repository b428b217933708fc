/**
 * The delivery report table of a broadcast (staff portal). Sent, delivered and read per channel:
 * WhatsApp reports delivered and read through its status webhooks; Telegram reports neither, so its
 * cells say so instead of showing a misleading 0.
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

/** The report as an HTML table (ids `report`, `sent`, `delivered`, `read`, `opted-out` for tests and scripts). */
export function reportTable(rep: DeliveryReport): HtmlEscapedString | Promise<HtmlEscapedString> {
  const all = reportCounts(rep.byStatus);
  const channels = Object.keys(rep.byChannel);
  const withReceipts = channels.filter((c) => RECEIPTS[c] !== false);
  const tg = channels.includes('telegram');
  // Telegram gives no receipts: its people are neither counted as delivered nor as unread.
  const cell = (n: number) =>
    withReceipts.length === 0
      ? (tg ? 'not reported by Telegram' : '0')
      : tg ? html`${n} <span class="note">(${withReceipts.map((c) => CHANNEL_NAME[c] ?? c).join(', ')} only; not reported by Telegram)</span>` : String(n);
  return html`<table id="report"><tbody>
<tr><th>People in the audience</th><td>${rep.total}</td></tr>
<tr><th>Sent</th><td id="sent">${all.sent}</td></tr>
<tr><th>Delivered</th><td id="delivered">${cell(all.delivered)}</td></tr>
<tr><th>Read</th><td id="read">${cell(all.read)}</td></tr>
<tr><th>Waiting</th><td>${rep.byStatus.pending ?? 0}</td></tr>
<tr><th>Failed</th><td id="failed">${rep.byStatus.failed ?? 0}</td></tr>
<tr><th>Not known (the sender stopped while sending)</th><td>${rep.byStatus.unknown ?? 0}</td></tr>
<tr><th>Skipped (stopped or cancelled)</th><td>${rep.byStatus.skipped ?? 0}</td></tr>
<tr><th>Said “stop” since</th><td id="opted-out">${rep.optedOutSince}</td></tr></tbody></table>
${rep.reasons.length ? html`<h3>Why some failed</h3><ul id="reasons">${rep.reasons.map((x) => html`<li>${x.error}: ${x.n}</li>`)}</ul>` : ''}`;
}
