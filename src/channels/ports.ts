/**
 * What a channel's webhook and polling loop may use of the running bot: narrow ports, never the
 * whole App. The assembled App satisfies this interface as it is (structural typing), so a channel
 * depends only on the core, storage and i18n contracts below it, and nothing here imports upwards.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Bot } from '../core/pipeline.js';
import type { ChannelName } from '../core/types.js';
import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import type { Store } from '../storage/store.js';
import type { ChannelAdapter } from './channel.js';

export interface ChannelPorts {
  /** The inbox (`receive` stores a message and starts its turn) and the outbox for replies sent outside a turn. */
  readonly bot: Pick<Bot, 'receive' | 'outbox'>;
  /** The people, addresses and messages a webhook reads or marks. */
  readonly store: Pick<Store, 'findPerson' | 'getMessage' | 'insertInbound' | 'linkAddresses' | 'logEvent' | 'markProcessed' | 'markUnreachable' | 'replaceAddresses'>;
  /** For the channel's own small stores (delivery receipts, reaction feedback). */
  readonly db: Db;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly translator: Pick<Translator, 'for'>;
  readonly config: Pick<Config, 'content' | 'telegram' | 'whatsapp'>;
  readonly clock: Clock;
  readonly log: Logger;
}
