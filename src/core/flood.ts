/**
 * Per-person flood control: a person sending more than `max` messages in `windowMs` gets one polite
 * "slow down" and the rest of the burst is stored but not answered, so one flood cannot block the
 * queue for everyone else. Nothing is lost: every message is stored before this check.
 */
export class FloodGuard {
  private readonly recent = new Map<string, number[]>();
  private readonly warned = new Map<string, number>();

  constructor(
    private readonly max = 12,
    private readonly windowMs = 10_000,
  ) {}

  /** Records a message; returns `ok`, `warn` (first message over the limit) or `drop`. */
  check(personId: string, now: number): 'ok' | 'warn' | 'drop' {
    const times = (this.recent.get(personId) ?? []).filter((t) => now - t < this.windowMs);
    times.push(now);
    this.recent.set(personId, times);
    if (this.recent.size > 10_000) this.prune(now);
    if (times.length <= this.max) return 'ok';
    const last = this.warned.get(personId);
    if (last !== undefined && now - last < this.windowMs) return 'drop';
    this.warned.set(personId, now);
    return 'warn';
  }

  private prune(now: number): void {
    for (const [k, times] of this.recent) if (times.every((t) => now - t >= this.windowMs)) this.recent.delete(k);
    for (const [k, t] of this.warned) if (now - t >= this.windowMs) this.warned.delete(k);
  }
}
