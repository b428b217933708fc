/**
 * Send pacing for the channel adapters: an exact sliding window for the whole channel (Telegram
 * ~30/s, WhatsApp 80/s per number) and, optionally, a token bucket per chat (Telegram ~1/s per chat). The queue already
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
    initial = burst,
  ) {
    this.tokens = initial;
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

/**
 * An exact sliding window over the last `limit` sends: send number `k + limit` may start only a full
 * second after send `k` *finished* (its response came back, so the platform had received it). The
 * platform counts arrivals, and each arrival lies between its send's start and its response, so no
 * one-second window of arrivals ever holds more than `limit`, however the requests bunch up on the
 * way; and an idle moment is made up for at once (nothing is lowered for safety). A send whose end
 * is not reported counts from its start.
 */
export class SlidingWindow {
  /** Per slot (send number modulo `limit`): when its send ended, or started while it is in flight. */
  private readonly ends: Float64Array;
  /** Slots whose send is in flight (its end not yet known). */
  private readonly open: Uint8Array;
  private next = 0;
  constructor(private readonly limit: number) {
    this.ends = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
    this.open = new Uint8Array(limit);
  }
  /**
   * Takes a place and returns its `done` (call with the time the response came back), or returns
   * how many ms to wait (taking nothing): -1 when the place is held by a send still in flight.
   */
  tryTake(now: number): ((at: number) => void) | number {
    const slot = this.next;
    if (this.open[slot] && now - this.ends[slot]! < OPEN_SEND_MS) return -1;
    const wait = this.ends[slot]! + 1000 - now;
    if (wait > 0) return Math.ceil(wait);
    this.next = (slot + 1) % this.limit;
    this.ends[slot] = now;
    this.open[slot] = 1;
    let settled = false;
    return (at) => {
      if (settled) return;
      settled = true;
      // A later send in this slot (after OPEN_SEND_MS) owns it now.
      if (this.ends[slot] === now && this.open[slot]) {
        this.ends[slot] = Math.max(now, at);
        this.open[slot] = 0;
      }
    };
  }
}

/** A send in flight longer than this frees its place anyway (a request times out far sooner). */
const OPEN_SEND_MS = 60_000;

/** A sent request: report when its response came back (the platform had it by then). */
export type SendDone = () => void;

/** Waits until a send to `address` fits both limits. Shared by every send of one channel adapter. */
export class RateLimiter {
  private readonly overall: SlidingWindow;
  private readonly perAddress = new Map<string, Bucket>();
  private pausedUntil = 0;
  /** Callers waiting for a place held by a send in flight: woken when one ends. */
  private waiters: (() => void)[] = [];
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    // The window is exact; the bucket spreads sends evenly over the second (at the full rate, with a
    // small burst to catch up after a late timer) instead of the whole second's worth at once.
    this.overall = new SlidingWindow(Math.max(1, Math.floor(limit.perSecond)));
    // It starts with one send's worth and holds up to a quarter second's, so a pause between batches
    // is made up for (the window still caps every second).
    this.spacing = new Bucket(limit.perSecond, Math.max(1, Math.floor(limit.perSecond / 4)), now(), 1);
  }
  private readonly spacing: Bucket;

  /** Replies waiting for a token: bulk sends (broadcasts) step aside while there are any. */
  private repliesWaiting = 0;

  /**
   * Resolves when a message to `address` may be sent now (and counts it); call the returned function
   * when the request's response comes back (or it failed). A `bulk` send (a broadcast) waits while a
   * reply is waiting, so live conversations always go first.
   */
  async take(address: string, bulk = false): Promise<SendDone> {
    if (bulk) return this.takeBulk(address);
    this.repliesWaiting++;
    try {
      return await this.takeNow(address);
    } finally {
      this.repliesWaiting--;
    }
  }

  /** Bulk sends queue up one behind the other, so only one of them is ever polling the window. */
  private bulkChain: Promise<unknown> = Promise.resolve();

  private takeBulk(address: string): Promise<SendDone> {
    const mine = this.bulkChain.then(() => this.takeNow(address, true));
    this.bulkChain = mine.catch(() => undefined);
    return mine;
  }

  private async takeNow(address: string, bulk = false): Promise<SendDone> {
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
      const spaced = this.spacing.tryTake(t);
      if (spaced > 0) {
        if (chat) chat.giveBack();
        await this.sleep(spaced);
        continue;
      }
      const place = this.overall.tryTake(t);
      if (typeof place !== 'function') this.spacing.giveBack();
      if (typeof place === 'function') {
        return () => {
          place(this.now());
          const woken = this.waiters;
          this.waiters = [];
          for (const w of woken) w();
        };
      }
      // Give the chat token back: we did not send.
      if (chat) chat.giveBack();
      if (place === -1) await Promise.race([new Promise<void>((r) => this.waiters.push(r)), this.sleep(20)]);
      else await this.sleep(place);
    }
  }

  /**
   * Resolves once no pause is in force: a send that got its place before a "too many requests"
   * answer arrived, and is about to leave only now, waits the pause out too.
   */
  async whilePaused(): Promise<void> {
    for (let t = this.now(); t < this.pausedUntil; t = this.now()) await this.sleep(this.pausedUntil - t);
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
