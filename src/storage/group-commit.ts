/**
 * Group commit: writes asked for while one is running go together in the next one, so a steady
 * stream of small writes (a mark per message sent) costs one statement per database round trip, not
 * one per write. Each caller's promise settles with the write that carried its item.
 */
export class GroupCommit<T> {
  private queued: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  /** Resolves once `item` is written (with others); rejects with the error of that write. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ item, resolve, reject });
      this.next();
    });
  }

  /** Starts a write of everything queued, unless one is running (its end starts the next). */
  private next(): void {
    if (this.writing || this.queued.length === 0) return;
    this.writing = true;
    // One turn of the event loop first: writes asked for together share the statement.
    setImmediate(() => {
      const batch = this.queued;
      this.queued = [];
      this.write(batch.map((b) => b.item))
        .then(
          () => {
            for (const b of batch) b.resolve();
          },
          (err: unknown) => {
            for (const b of batch) b.reject(err);
          },
        )
        .finally(() => {
          this.writing = false;
          this.next();
        });
    });
  }
}
