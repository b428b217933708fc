/**
 * Alerts about conversations nobody has claimed for HANDOFF_ALERT_MINUTES: the console highlights
 * them, and, when HANDOFF_TELEGRAM_CHAT_ID and TELEGRAM_BOT_TOKEN are set, the facilitators'
 * Telegram group gets one short message per check (counts and a console link, no personal data).
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { PRIORITY, type HandoffStore } from '../storage/handoff-store.js';

/** Where alerts go. */
export interface AlertSink {
  send(text: string): Promise<void>;
}

/** Sends alerts to a Telegram chat through the Bot API (TELEGRAM_API_ROOT can point at a local fake). */
export function telegramAlertSink(config: Config): AlertSink | undefined {
  const token = config.telegram.token;
  const chatId = config.handoff.telegramChatId;
  if (!token || !chatId) return undefined;
  return {
    async send(text) {
      const res = await fetch(`${config.telegram.apiRoot}/bot${token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: chatId, text, disable_web_page_preview: true }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`Telegram answered ${res.status}`);
    },
  };
}

export class HandoffAlerts {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cases: HandoffStore,
    private readonly sink: AlertSink,
    private readonly opts: { alertMinutes: number; clock: Clock; log: Logger; consoleUrl: string },
  ) {}

  /** Alerts about cases that became overdue since the last check. Returns how many. */
  async check(): Promise<number> {
    const now = this.opts.clock.now();
    const overdue = await this.cases.takeOverdue(new Date(now.getTime() - this.opts.alertMinutes * 60_000), now);
    if (overdue.length === 0) return 0;
    const safety = overdue.filter((c) => c.priority >= PRIORITY.safety).length;
    const text =
      `⚠ ${overdue.length} conversation${overdue.length === 1 ? '' : 's'} waiting more than ${this.opts.alertMinutes} min` +
      `${safety ? ` (${safety} safety)` : ''}. Open the console: ${this.opts.consoleUrl}`;
    try {
      await this.sink.send(text);
    } catch (err) {
      this.opts.log.warn({ err: errorMessage(err) }, 'handoff: alert not sent');
    }
    return overdue.length;
  }

  /** Checks every `intervalMs` until {@link stop}. */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check().catch((err) => this.opts.log.warn({ err: String(err) }, 'handoff: alert check failed')), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
