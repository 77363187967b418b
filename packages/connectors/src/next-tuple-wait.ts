/**
 * What a spout's `nextTuple` with nothing to emit returns: a promise that whatever brings
 * something to emit settles (`wake()`). The executor calls `nextTuple` again the moment
 * it does, where returning empty-handed would leave the spout to the spout wait (Storm's
 * 1 ms sleep), and a spout waiting on Redis I/O would answer a poll late.
 */
export class NextTupleWait {
  private resolve: (() => void) | undefined;

  /** The promise for this `nextTuple` call; the executor makes at most one at a time per task. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Lets a waiting `nextTuple` return; a no-op when none waits. */
  wake(): void {
    const resolve = this.resolve;
    if (resolve === undefined) return;
    this.resolve = undefined;
    resolve();
  }
}
