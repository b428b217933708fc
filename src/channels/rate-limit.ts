/**
 * Send pacing for the channel adapters: one token bucket for the whole channel (Telegram ~30/s,
 * WhatsApp 80/s per number) and, optionally, one per chat (Telegram ~1/s per chat). The queue already
 * runs replies before bulk jobs, so pacing here only decides *when* a send may go, never the order.
 */

export interface RateLimit {
  /** Sends per second over all addresses. */
  perSecond: number;
  /** Sends per second to one address (undefined: no per-address limit). */
  perAddress?: number;
  /**
   * Messages one address may get at once before the per-address rate applies (default 3): a reply
   * of two or three bubbles goes out together, and a send worker never sleeps a whole second for it.
   */
  addressBurst?: number;
}

/** A token bucket: `rate` tokens per second, holding at most `burst` (also the web chat's per-client limits). */
export class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  /** Takes a token and returns 0, or returns how many ms until one is available (taking nothing). */
  tryTake(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
  giveBack(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
  full(now: number): boolean {
    return Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate) >= this.burst;
  }
}

/** Whether a message's author is bulk work (broadcasts, reminders): it yields to replies. */
export function bulkAuthor(author: string | undefined): boolean {
  return !!author && (author.startsWith('broadcast:') || author.startsWith('reminder:'));
}

/** Waits until a send to `address` fits both limits. Shared by every send of one channel adapter. */
export class RateLimiter {
  private readonly overall: Bucket;
  private readonly perAddress = new Map<string, Bucket>();
  private pausedUntil = 0;
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    // No one-second window may hold more than the rate. At high rates a small burst (50 ms worth)
    // lets a late timer catch up; the steady rate is lowered by four bursts (20 %) so burst + rate × 1 s
    // stays within the limit with room for network jitter: the platform counts arrivals, not sends,
    // and a busy event loop delivers requests in bunches (two bursts of room measured 501 at 500/s).
    // At low rates: a burst of 1, sends spaced evenly.
    const burst = Math.max(1, Math.floor(limit.perSecond / 20));
    this.overall = new Bucket(burst > 1 ? limit.perSecond - 4 * burst : limit.perSecond, burst, now());
  }

  /** Replies waiting for a token: bulk sends (broadcasts) step aside while there are any. */
  private repliesWaiting = 0;

  /**
   * Resolves when a message to `address` may be sent now (and counts it). A `bulk` send (a broadcast)
   * waits while a reply is waiting, so live conversations always go first.
   */
  async take(address: string, bulk = false): Promise<void> {
    if (bulk) return this.takeBulk(address);
    this.repliesWaiting++;
    try {
      await this.takeNow(address);
    } finally {
      this.repliesWaiting--;
    }
  }

  /** Bulk sends queue up one behind the other, so only one of them is ever polling the bucket. */
  private bulkChain: Promise<void> = Promise.resolve();

  private takeBulk(address: string): Promise<void> {
    const mine = this.bulkChain.then(() => this.takeNow(address, true));
    this.bulkChain = mine.catch(() => undefined);
    return mine;
  }

  private async takeNow(address: string, bulk = false): Promise<void> {
    for (;;) {
      if (bulk && this.repliesWaiting > 0) {
        await this.sleep(2);
        continue;
      }
      const t = this.now();
      if (t < this.pausedUntil) {
        await this.sleep(this.pausedUntil - t);
        continue;
      }
      const chat = this.chatBucket(address, t);
      // Check the per-chat bucket first so a waiting chat does not use up the overall budget.
      const chatWait = chat ? chat.tryTake(t) : 0;
      if (chatWait > 0) {
        await this.sleep(chatWait);
        continue;
      }
      const wait = this.overall.tryTake(t);
      if (wait === 0) return;
      // Give the chat token back: we did not send.
      if (chat) chat.giveBack();
      await this.sleep(wait);
    }
  }

  /** Holds every send for `ms` (the platform said "too many requests" for the whole bot or number). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private chatBucket(address: string, now: number): Bucket | undefined {
    if (!this.limit.perAddress) return undefined;
    let b = this.perAddress.get(address);
    if (!b) {
      if (this.perAddress.size > 10_000) this.prune(now);
      b = new Bucket(this.limit.perAddress, this.limit.addressBurst ?? 3, now);
      this.perAddress.set(address, b);
    }
    return b;
  }

  /** Forgets chats whose bucket is full again (they have nothing to remember). */
  private prune(now: number): void {
    for (const [k, b] of this.perAddress) if (b.full(now)) this.perAddress.delete(k);
  }
}
