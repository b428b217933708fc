/**
 * The web chat's live messages across processes (issue #17): with several bot processes behind a load
 * balancer, the process that sends a message (a facilitator's answer, a reminder: any process's queue
 * worker) is often not the one holding the browser's event stream. Each process publishes what it
 * sends on one Redis channel and every process passes what it hears to its own open streams.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { WebDelivery, WebRelay } from './web-channel.js';

/** A {@link WebRelay} over Redis publish/subscribe on the channel `coworkbot:web:<name>`. */
export function redisWebRelay(url: string, name: string, log: Logger): WebRelay {
  const channel = `coworkbot:web:${name}`;
  const pub = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const sub = new Redis(url, { maxRetriesPerRequest: null });
  for (const c of [pub, sub]) c.on('error', (err) => log.warn({ err: err.message }, 'redis: web chat relay connection error'));
  let listener: ((address: string, d: WebDelivery) => void) | undefined;
  sub.on('message', (_channel: string, raw: string) => {
    try {
      const { address, delivery } = JSON.parse(raw) as { address: string; delivery: WebDelivery };
      listener?.(address, delivery);
    } catch (err) {
      log.warn({ err: String(err) }, 'web chat relay: an unreadable message was ignored');
    }
  });
  const subscribed = sub.subscribe(channel);
  return {
    async ready() {
      await subscribed;
    },
    async publish(address, delivery) {
      await pub.publish(channel, JSON.stringify({ address, delivery }));
    },
    listen(fn) {
      listener = fn;
    },
    async close() {
      listener = undefined;
      sub.disconnect();
      pub.disconnect();
    },
  };
}
