/**
 * The web chat's live messages across processes (issue #17): with several bot processes behind a load
 * balancer, the process that sends a message (a facilitator's answer, a reminder: any process's queue
 * worker) is often not the one holding the browser's event stream. Each session has a Redis channel of
 * its own; a process is subscribed to a session's channel only while it holds an event stream for it,
 * so a process with no open stream hears nothing, and one with streams hears only their sessions.
 *
 * Why per-channel SUBSCRIBE rather than one PSUBSCRIBE `coworkbot:web:<name>:*`: a pattern would again
 * hear every session; and Redis matches every PUBLISH against every pattern of every client, while a
 * channel subscription is a hash lookup. A PUBLISH nobody is subscribed to is one lookup in Redis and
 * nothing in any bot process.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { WebDelivery, WebRelay } from './web-channel.js';

/**
 * A {@link WebRelay} over Redis publish/subscribe, one channel per session: `coworkbot:web:<name>:<session>`.
 * A message is `<origin> <delivery JSON>`, the origin naming the relay that published it: the sender
 * delivers to its own streams itself (src/channels/web/web-channel.ts), so it drops its own messages
 * when it hears them back, before parsing them.
 */
export function redisWebRelay(url: string, name: string, log: Logger): WebRelay {
  const prefix = `coworkbot:web:${name}:`;
  const origin = `${randomBytes(8).toString('hex')} `;
  const pub = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // Retries forever, offline queue on: a subscription asked for while Redis is down is made when it is
  // back (and ioredis subscribes again to every channel after a reconnection).
  const sub = new Redis(url, { maxRetriesPerRequest: null });
  for (const c of [pub, sub]) c.on('error', (err) => log.warn({ err: err.message }, 'redis: web chat relay connection error'));
  let listener: ((address: string, d: WebDelivery) => void) | undefined;
  let closed = false;
  sub.on('message', (channel: string, raw: string) => {
    if (raw.startsWith(origin) || !channel.startsWith(prefix)) return;
    try {
      const delivery = JSON.parse(raw.slice(raw.indexOf(' ') + 1)) as WebDelivery;
      listener?.(channel.slice(prefix.length), delivery);
    } catch (err) {
      log.warn({ err: String(err) }, 'web chat relay: an unreadable message was ignored');
    }
  });
  // The last SUBSCRIBE/UNSUBSCRIBE asked for: the commands of one connection are answered in order, so
  // when it is answered every earlier one is too.
  let last: Promise<unknown> = Promise.resolve();
  const track = (command: Promise<unknown>, what: string) => {
    last = command.catch((err: unknown) => {
      if (!closed) log.warn({ err: String(err) }, `web chat relay: ${what} failed`);
    });
  };
  return {
    async ready() {
      await last;
    },
    async publish(address, delivery) {
      await pub.publish(prefix + address, origin + JSON.stringify(delivery));
    },
    listen(fn) {
      listener = fn;
    },
    join(address) {
      if (!closed) track(sub.subscribe(prefix + address), 'a subscription');
    },
    leave(address) {
      if (!closed) track(sub.unsubscribe(prefix + address), 'an unsubscription');
    },
    async close() {
      closed = true;
      listener = undefined;
      sub.disconnect();
      pub.disconnect();
    },
  };
}
