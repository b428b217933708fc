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
 * processes, src/channels/web/web-relay.ts): everything published reaches every process's `listen`,
 * this one's included.
 */
export interface WebRelay {
  /** Resolves when this process hears what is published. */
  ready(): Promise<void>;
  publish(address: string, delivery: WebDelivery): Promise<void>;
  listen(fn: (address: string, delivery: WebDelivery) => void): void;
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
    if (!this.relay) this.hub.emit(address, delivery);
    else
      await this.relay.publish(address, delivery).catch(() => {
        // Redis is down: this process's streams still get it (the others show it from the history).
        this.hub.emit(address, delivery);
      });
    return { ok: true, externalId: `web-${ctx.messageId}` };
  }

  /** Stops relaying (the app closes). */
  async close(): Promise<void> {
    await this.relay?.close();
  }

  /** Subscribes a browser to its session's messages; returns the unsubscribe function. */
  subscribe(session: string, listener: (d: WebDelivery) => void): () => void {
    this.hub.on(session, listener);
    return () => this.hub.off(session, listener);
  }
}

/** A new web chat session id: unguessable, since it is the only key to the conversation. */
export function newSessionId(): string {
  return `w_${randomBytes(18).toString('base64url')}`;
}

export function isSessionId(s: unknown): s is string {
  return typeof s === 'string' && /^w_[A-Za-z0-9_-]{24}$/.test(s);
}
