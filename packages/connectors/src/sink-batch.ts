/** In-flight inputs per sink executor unless the spec says otherwise: the most one batch carries. */
export const DEFAULT_SINK_IN_FLIGHT = 500;

/**
 * Gathers the items a sink bolt receives in one turn of the event loop and writes them
 * with one call: the executor hands a bolt with `maxInFlight` > 1 every queued input in
 * one slice, so tuples that arrive together are written together. `add` resolves when
 * the write that carried the item succeeded, and rejects when it failed; `onFailure`
 * hears of each failed write once, however many items it carried.
 */
export class SinkBatch<T> {
  private items: T[] = [];
  private settlers: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  add(item: T): Promise<void> {
    if (this.items.length === 0) queueMicrotask(() => this.flush());
    this.items.push(item);
    return new Promise((resolve, reject) => this.settlers.push({ resolve, reject }));
  }

  private flush(): void {
    const items = this.items;
    const settlers = this.settlers;
    this.items = [];
    this.settlers = [];
    // Through a promise, so that a mapping that throws fails the batch rather than the event loop.
    Promise.resolve(items).then((batch) => this.write(batch)).then(
      () => {
        for (const s of settlers) s.resolve();
      },
      (error: unknown) => {
        this.onFailure(error);
        for (const s of settlers) s.reject(error);
      },
    );
  }
}
