/**
 * The web chat channel. A browser session id is the channel address. Sending publishes the message to
 * the browser's open event stream (server-sent events); the history endpoint serves the rest.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '../../core/types.js';
import { webCapabilities, type ChannelAdapter, type SendContext, type SendResult } from '../channel.js';

export interface WebDelivery {
  id: number;
  message: OutboundMessage;
  author: string;
}

/**
 * Carries what one process sends to the browsers whose streams other processes hold (several
 * processes, src/channels/web/web-relay.ts). A process hears only the sessions it has joined (those it
 * holds a stream for), and never what it published itself: the sender delivers to its own streams.
 */
export interface WebRelay {
  /** Resolves when every {@link WebRelay.join} and {@link WebRelay.leave} asked for so far is in effect. */
  ready(): Promise<void>;
  /** Sends to the other processes that joined `address`; rejects when the relay is unreachable. */
  publish(address: string, delivery: WebDelivery): Promise<void>;
  listen(fn: (address: string, delivery: WebDelivery) => void): void;
  /** Starts hearing `address` (this process opened its first stream for it). */
  join(address: string): void;
  /** Stops hearing `address` (this process closed its last stream for it). */
  leave(address: string): void;
  close(): Promise<void>;
}

export class WebChannel implements ChannelAdapter {
  readonly name = 'web' as const;
  readonly capabilities = webCapabilities;
  private readonly hub = new EventEmitter();

  /** `relay`: several processes (Redis); without it the streams are this process's only. */
  constructor(private readonly relay?: WebRelay) {
    this.hub.setMaxListeners(0);
    relay?.listen((address, d) => this.hub.emit(address, d));
  }

  async send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
    const delivery: WebDelivery = { id: ctx.messageId, message: msg, author: ctx.author ?? 'bot' };
    // This process's streams get it here, once (the relay does not bring a process's own messages back),
    // without waiting for Redis and whether or not Redis is up.
    this.hub.emit(address, delivery);
    // Redis is down: the other processes' streams miss it (the history endpoint shows it).
    await this.relay?.publish(address, delivery).catch(() => undefined);
    return { ok: true, externalId: `web-${ctx.messageId}` };
  }

  /** Resolves when the relay hears every session a stream is open for (tests: before sending to one). */
  async ready(): Promise<void> {
    await this.relay?.ready();
  }

  /** Stops relaying (the app closes). */
  async close(): Promise<void> {
    await this.relay?.close();
  }

  /**
   * Subscribes a browser to its session's messages; returns the unsubscribe function. The first
   * stream of a session on this process joins the relay for it, the last one to close leaves it.
   */
  subscribe(session: string, listener: (d: WebDelivery) => void): () => void {
    if (this.hub.listenerCount(session) === 0) this.relay?.join(session);
    this.hub.on(session, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.hub.off(session, listener);
      if (this.hub.listenerCount(session) === 0) this.relay?.leave(session);
    };
  }
}

/** A new web chat session id: unguessable, since it is the only key to the conversation. */
export function newSessionId(): string {
  return `w_${randomBytes(18).toString('base64url')}`;
}

export function isSessionId(s: unknown): s is string {
  return typeof s === 'string' && /^w_[A-Za-z0-9_-]{24}$/.test(s);
}
