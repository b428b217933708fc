/**
 * Event reminders ("remind me" on an event) through the broadcast delivery engine.
 *
 * Design: each (event, offset) — "the day before", "an hour before" — has one broadcast of kind
 * `reminder`. When reminders fall due (the reminder job queued at their time, or the engine's
 * 30-second schedule check after a restart), they are marked sent and written as delivery records of
 * that broadcast in one transaction (`BroadcastStore.materializeReminders`), and the engine sends them
 * exactly like an announcement. So reminders get every guarantee the broadcasts have, from the same
 * code: one record per person written before sending, claim-before-send (a record is sent at most
 * once, even with several workers or a killed one), the channels' rate limits, the WhatsApp template
 * outside the 24-hour window and the messaging-limit tier, people who said "stop" or blocked the bot
 * skipped, and a delivery report (delivered and read from WhatsApp). A separate reminder_deliveries
 * table would have needed a second claim/send/report path for the same rules.
 *
 * The texts of a reminder are written for every language when its records are written (the event's
 * title in each language, the time in the event's time zone). Erasing a person deletes their
 * reminders and records (ON DELETE CASCADE).
 */
import type { Clock } from '../clock.js';
import type { BroadcastStore } from '../storage/broadcast-store.js';
import type { BroadcastEngine, DueSource } from './engine.js';

export interface ReminderDeliveryDeps {
  store: BroadcastStore;
  engine: BroadcastEngine;
  clock: Clock;
  /** The reminder's text per language and the event's space; undefined when the event is gone. */
  messages(eventId: string, offset: string): { spaceId: string; text: Record<string, string>; title: Record<string, string> } | undefined;
  /** Reminders of events no longer in the content are cancelled. */
  cancelEvent(eventId: string): Promise<number>;
}

export class ReminderDelivery implements DueSource {
  constructor(private readonly deps: ReminderDeliveryDeps) {
    deps.engine.addSource(this);
  }

  async materialize(now: Date): Promise<number[]> {
    const ids: number[] = [];
    const channels = this.deps.engine.channelsFor({ kind: 'reminder' });
    for (const g of await this.deps.store.dueReminderGroups(now)) {
      const m = this.deps.messages(g.eventId, g.offset);
      if (!m) {
        await this.deps.cancelEvent(g.eventId);
        continue;
      }
      const r = await this.deps.store.materializeReminders({ eventId: g.eventId, offset: g.offset, spaceId: m.spaceId, messages: { text: m.text, title: m.title } }, channels, now);
      if (r.added > 0) ids.push(r.broadcastId);
    }
    return ids;
  }

  /** Writes and queues every reminder due now. */
  deliverDue(): Promise<number[]> {
    return this.deps.engine.deliverDue();
  }
}
