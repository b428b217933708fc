/**
 * What the core reports to monitoring, at points it passes anyway: a message stored, a reply the
 * platform accepted. Optional: with no observer the core behaves the same (src/metrics/ implements it).
 */
import type { ChannelName } from './types.js';

export interface CoreObserver {
  /** A new (not duplicate) inbound message was stored. */
  received(channel: ChannelName, messageId: number): void;
  /** A stored outbound message was accepted by its channel (`inReplyTo`: the inbound message it answers). */
  sent(channel: ChannelName, inReplyTo: number | null): void;
}
