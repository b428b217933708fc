/**
 * A bounded per-process memo for pure functions of a text (language evidence, the safety lists, the
 * query parser, the offline understanding): the same words cost their computation once while they
 * stay among the `size` most recently used. Results are shared: callers must not change them (the
 * memoised functions hand out copies or frozen values where a caller could).
 */
export class TextMemo<T> {
  private readonly map = new Map<string, T>();

  constructor(private readonly size = 2000) {}

  /** The remembered result for `key`, else `compute()` remembered (the least recently used one goes when full). */
  get(key: string, compute: () => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) {
      // Moved to the end: a Map keeps insertion order, so the first key is the least recently used.
      this.map.delete(key);
      this.map.set(key, hit as T);
      return hit as T;
    }
    const value = compute();
    if (this.map.size >= this.size) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
    return value;
  }

  clear(): void {
    this.map.clear();
  }
}
