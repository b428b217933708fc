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
    const wait = this.wait(now);
    if (wait === 0) this.take(now);
    return wait;
  }
  /** How many ms until a token is available at `now` (0: one is), taking nothing. */
  wait(now: number): number {
    const tokens = this.at(now);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.rate) * 1000);
  }
  /**
   * Takes a token at `at` (possibly a little ahead of now, for a send booked ahead; see
   * {@link RateLimiter.take}), whether or not one is there: callers ask {@link wait} first.
   */
  take(at: number): void {
    this.tokens = this.at(at) - 1;
    this.last = at;
  }
  giveBack(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
  full(now: number): boolean {
    return this.at(now) >= this.burst;
  }
  /** The tokens at `t`; before the last take (a booking ahead) that is fewer, never more. */
  private at(t: number): number {
    return Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
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
 * is not reported counts from its start. Times are `performance.now()` milliseconds (fractions kept:
 * whole milliseconds let a send start up to 1 ms early, one request too many in a second).
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
    const wait = this.wait(now);
    return wait === 0 ? this.take(now) : wait;
  }
  /** How many ms until the next place is free (0: it is); -1 while a send still in flight holds it. */
  wait(now: number): number {
    const slot = this.next;
    if (this.open[slot] && now - this.ends[slot]! < OPEN_SEND_MS) return -1;
    return Math.max(0, this.ends[slot]! + 1000 - now);
  }
  /**
   * Takes the next place for a send starting at `at` (no earlier than {@link wait} allows; possibly a
   * little ahead of now) and returns its `done`: call it with the time the response came back.
   */
  take(at: number): (end: number) => void {
    const slot = this.next;
    this.next = (slot + 1) % this.limit;
    this.ends[slot] = at;
    this.open[slot] = 1;
    let settled = false;
    return (end) => {
      if (settled) return;
      settled = true;
      // A later send in this slot (after OPEN_SEND_MS) owns it now.
      if (this.ends[slot] === at && this.open[slot]) {
        this.ends[slot] = Math.max(at, end);
        this.open[slot] = 0;
      }
    };
  }
}

/** A send in flight longer than this frees its place anyway (a request times out far sooner). */
const OPEN_SEND_MS = 60_000;

/** A sent request: report when its response came back (the platform had it by then). */
export type SendDone = () => void;

/** A place in the window booked for a send starting at `at`; `place` reports its end (a reply may move a bulk send's booking). */
interface Booking {
  at: number;
  place: (end: number) => void;
}

/**
 * The furthest ahead a send that prepares (the broadcast's "in flight" mark) books its place. A
 * process killed meanwhile leaves at most this long's sends marked in flight but not sent ("unknown",
 * never sent twice), as a kill between the mark and the request always could. (A send whose place a
 * reply took is booked again at the next place, one send's spacing after the last booking: a little
 * further ahead, still at a known time.)
 */
export const MAX_LEAD_MS = 50;

/** Waits until a send to `address` fits both limits. Shared by every send of one channel adapter. */
export class RateLimiter {
  private readonly overall: SlidingWindow;
  private readonly perAddress = new Map<string, Bucket>();
  private pausedUntil = 0;
  /** Callers waiting for a place held by a send in flight: woken when one ends. */
  private waiters: (() => void)[] = [];
  /** How long a send's `prepare` took lately (ms, a moving average): how far ahead to book. */
  private prepareMs = MAX_LEAD_MS / 2;
  /**
   * Bulk sends booked ahead whose request has not left yet, in order of their time: a reply takes
   * the earliest one's place (see {@link book}).
   */
  private ahead: Booking[] = [];
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, Math.ceil(ms))),
  ) {
    // The window is exact; the bucket spreads sends evenly over the second (at the full rate, with a
    // small burst to catch up after a late timer) instead of the whole second's worth at once.
    this.overall = new SlidingWindow(Math.max(1, Math.floor(limit.perSecond)));
    // It starts with one send's worth and holds up to a quarter second's, so a pause between batches
    // is made up for (the window still caps every second).
    this.spacing = new Bucket(limit.perSecond, Math.max(1, Math.floor(limit.perSecond / 4)), now(), 1);
  }
  private readonly spacing: Bucket;

  /**
   * Replies waiting for a place of the channel (their own chat's limit allows them now): bulk sends
   * (broadcasts) step aside while there are any. A reply waiting for its chat's token does not hold
   * the broadcast up: that can take a second.
   */
  private repliesWaiting = 0;

  /**
   * Resolves when a message to `address` may be sent now (and counts it); call the returned function
   * when the request's response comes back (or it failed). A `bulk` send (a broadcast) waits while a
   * reply is waiting, so live conversations always go first.
   *
   * `prepare` (the broadcast engine's "in flight" mark) has finished when this resolves. It runs
   * only once the send's place is booked at a known time at most {@link MAX_LEAD_MS} ahead (the place
   * before it in the window has its answer back), while the place's second runs out: the mark's
   * database write is not added to every place's second, and a prepared send is never left waiting
   * for an answer that may not come. A reply never waits behind places booked ahead: it takes the
   * earliest one, and that send is booked again at the next place. If `prepare` throws, the place
   * counts as used and this rejects.
   */
  async take(address: string, bulk = false, prepare?: () => Promise<void>): Promise<SendDone> {
    const booked = bulk ? await this.takeBulk(address, prepare !== undefined) : await this.book(address, false, false);
    const done: SendDone = () => {
      // `booked` is read now: a reply may have moved this send to another place meanwhile.
      booked.place(this.now());
      const woken = this.waiters;
      this.waiters = [];
      for (const w of woken) w();
    };
    try {
      if (prepare) {
        const started = this.now();
        await prepare();
        this.prepareMs = 0.8 * this.prepareMs + 0.2 * (this.now() - started);
      }
      // The booked time, measured again after every timer: a timer may fire a little early, and a
      // reply may have taken this place (then `at` is the next one).
      for (let t = this.now(); t < booked.at; t = this.now()) await this.sleep(booked.at - t);
    } catch (err) {
      done();
      throw err;
    } finally {
      // Leaving now (or failed): no reply can take this place any more.
      if (bulk) this.ahead = this.ahead.filter((b) => b !== booked);
    }
    return done;
  }

  /** Bulk sends queue up one behind the other, so only one of them is ever polling the window. */
  private bulkChain: Promise<unknown> = Promise.resolve();

  private takeBulk(address: string, ahead: boolean): Promise<Booking> {
    const mine = this.bulkChain.then(() => this.book(address, true, ahead));
    this.bulkChain = mine.catch(() => undefined);
    return mine;
  }

  /**
   * Books the next place that fits every limit: at once, or (`ahead`) at a known time a little ahead
   * (the window's next place and the buckets' next tokens are known; a place held by a send still in
   * flight is not), so the caller can prepare meanwhile. A reply whose chat allows it takes the place
   * of the earliest bulk send booked ahead, when there is one and the next place is known: that send
   * (prepared or preparing) is booked again there.
   */
  private async book(address: string, bulk: boolean, ahead: boolean): Promise<Booking> {
    let counted = false;
    const count = (waiting: boolean) => {
      if (waiting !== counted) this.repliesWaiting += waiting ? 1 : -1;
      counted = waiting;
    };
    try {
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
        const chatWait = chat ? chat.wait(t) : 0;
        // A reply counts as waiting (bulk sends step aside) once its own chat's limit allows it.
        if (!bulk) count(chatWait === 0);
        const place = this.overall.wait(t);
        if (!bulk && chatWait === 0 && place !== -1) {
          const next = t + Math.max(place, this.spacing.wait(t));
          let taken: Booking | undefined;
          for (const b of this.ahead) if (b.at > t && b.at < next && (!taken || b.at < taken.at)) taken = b;
          if (taken) {
            // The bulk send moves to the next place (at a known time: `place` is not held in flight).
            const at = { at: taken.at, place: taken.place };
            this.spacing.take(next);
            taken.at = next;
            taken.place = this.overall.take(next);
            this.ahead = [...this.ahead.filter((b) => b !== taken), taken];
            chat?.take(at.at);
            return at;
          }
        }
        if (place === -1) {
          await Promise.race([new Promise<void>((r) => this.waiters.push(r)), this.sleep(20)]);
          continue;
        }
        const wait = Math.max(place, this.spacing.wait(t), chatWait);
        const lead = ahead ? Math.min(MAX_LEAD_MS, 2 * this.prepareMs) : 0;
        if (wait > lead) {
          await this.sleep(wait - lead);
          continue;
        }
        const at = t + wait;
        chat?.take(at);
        this.spacing.take(at);
        const booking = { at, place: this.overall.take(at) };
        if (bulk && wait > 0) this.ahead.push(booking);
        return booking;
      }
    } finally {
      count(false);
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
