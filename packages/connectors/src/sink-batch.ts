/** In-flight inputs per sink executor unless the spec says otherwise: the most one batch carries. */
export const DEFAULT_SINK_IN_FLIGHT = 500;

/**
 * Pause before a batch whose write was cut off by a lost connection is written again.
 * The new write waits in the client's queue until Redis is back, so the pause only keeps
 * a client that has given up for good from retrying in a tight loop.
 */
const RETRY_PAUSE_MS = 200;

interface Settler {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items a sink bolt receives in one turn of the event loop and writes them
 * with one call: the executor hands a bolt with `maxInFlight` > 1 every queued input in
 * one slice, so tuples that arrive together are written together. `add` resolves when
 * the write that carried the item succeeded, and rejects when Redis rejected it;
 * `onFailure` hears of each rejected write once, however many items it carried. A write
 * that failed for want of Redis (`retryable`) is no failure of its items: it is written
 * again until it succeeds, its items held all the while, unless the batch is closed.
 */
export class SinkBatch<T> {
  private items: T[] = [];
  private settlers: Settler[] = [];
  /** Writes waiting to be retried, with what closing must settle. */
  private readonly retries = new Map<NodeJS.Timeout, { settlers: Settler[]; error: unknown }>();
  private closed = false;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly onFailure: (error: unknown) => void,
    private readonly retryable: (error: unknown) => boolean,
  ) {}

  add(item: T): Promise<void> {
    if (this.items.length === 0) queueMicrotask(() => this.flush());
    this.items.push(item);
    return new Promise((resolve, reject) => this.settlers.push({ resolve, reject }));
  }

  /** No more retries: the items of writes waiting for one are rejected with the error that stopped them. */
  close(): void {
    this.closed = true;
    for (const [timer, { settlers, error }] of this.retries) {
      clearTimeout(timer);
      for (const s of settlers) s.reject(error);
    }
    this.retries.clear();
  }

  private flush(): void {
    const items = this.items;
    const settlers = this.settlers;
    this.items = [];
    this.settlers = [];
    this.send(items, settlers);
  }

  private send(items: T[], settlers: Settler[]): void {
    // Through a promise, so that a mapping that throws fails the batch rather than the event loop.
    Promise.resolve(items).then((batch) => this.write(batch)).then(
      () => {
        for (const s of settlers) s.resolve();
      },
      (error: unknown) => {
        if (!this.retryable(error)) this.onFailure(error);
        else if (!this.closed) {
          const timer = setTimeout(() => {
            this.retries.delete(timer);
            this.send(items, settlers);
          }, RETRY_PAUSE_MS);
          this.retries.set(timer, { settlers, error });
          return;
        }
        // Rejected, or cut off while the bolt closes: its inputs fail, and their trees replay.
        for (const s of settlers) s.reject(error);
      },
    );
  }
}
