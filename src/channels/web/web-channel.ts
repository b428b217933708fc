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

export class WebChannel implements ChannelAdapter {
  readonly name = 'web' as const;
  readonly capabilities = webCapabilities;
  private readonly hub = new EventEmitter();

  constructor() {
    this.hub.setMaxListeners(0);
  }

  async send(address: string, msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
    this.hub.emit(address, { id: ctx.messageId, message: msg, author: ctx.author ?? 'bot' } satisfies WebDelivery);
    return { ok: true, externalId: `web-${ctx.messageId}` };
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
