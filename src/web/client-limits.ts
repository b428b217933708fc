/**
 * Per-client limits for the web chat, where every new session is a new person (so the per-person
 * flood control alone cannot stop one client): new sessions and messages per client address (see
 * `client-address.ts`: the socket, or the address a trusted proxy reports), and open event streams.
 * Over a limit the client gets 429 with `Retry-After` before any work is done, so a flooding client
 * costs the others almost nothing. The figures are generous for many people behind one address
 * (a reception centre's or a coworking space's Wi-Fi).
 */
import { Bucket } from '../channels/rate-limit.js';

/** A token bucket per client: `burst` at once, then `perMinute`. */
export interface ClientRate {
  burst: number;
  perMinute: number;
}

export interface WebChatLimits {
  /** New chat sessions per client address. */
  sessions: ClientRate;
  /** Messages per client address, over all its sessions. */
  messages: ClientRate;
  /** Event streams (`/api/chat/stream`) open at once per client address. */
  streams: number;
}

/** The defaults `coworkbot start` serves with (stated in the README's security section). */
export const WEB_CHAT_LIMITS: WebChatLimits = {
  sessions: { burst: 20, perMinute: 2 },
  messages: { burst: 30, perMinute: 60 },
  streams: 20,
};

/** Token buckets keyed by client address, bounded in memory (full buckets are dropped first). */
export class ClientLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: ClientRate,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `client`: 0 when it may go on, otherwise the ms until it may (nothing taken). */
  take(client: string): number {
    const t = this.now();
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= 50_000) this.prune(t);
      b = new Bucket(this.rate.perMinute / 60, this.rate.burst, t);
      this.buckets.set(client, b);
    }
    return b.tryTake(t);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (b.full(now)) this.buckets.delete(k);
    // Still full of active clients (an attack from many addresses): start over rather than grow.
    if (this.buckets.size >= 50_000) this.buckets.clear();
  }
}

/** Counts what a client holds open (event streams); `open` refuses past `max`. */
export class OpenCounter {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** Counts one more for `client`, or returns false when it already holds `max`. */
  acquire(client: string): boolean {
    const n = this.open.get(client) ?? 0;
    if (n >= this.max) return false;
    this.open.set(client, n + 1);
    return true;
  }

  release(client: string): void {
    const n = (this.open.get(client) ?? 1) - 1;
    if (n <= 0) this.open.delete(client);
    else this.open.set(client, n);
  }
}
