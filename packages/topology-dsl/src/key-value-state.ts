/**
 * The state a `StatefulBolt` keeps (Storm's KeyValueState): string keys, JSON values.
 * Reads and writes are synchronous because the engine loads a task's committed state
 * into memory before `initState()`; the provider persists the changes at checkpoints.
 * Changes since the last checkpoint are lost on a failure and rolled back to the last
 * committed state, together with the inputs that made them (which are replayed).
 */
export interface KeyValueState<V = unknown> {
  /** The value stored under `key`, or undefined. */
  get(key: string): V | undefined;
  /** Stores `value` (JSON-serialisable; `undefined` is refused: use `delete`). */
  put(key: string, value: V): void;
  /** Removes `key`; returns the value it had. */
  delete(key: string): V | undefined;
  /** Every key and value, in no particular order. */
  entries(): IterableIterator<[string, V]>;
  /** How many keys are stored. */
  readonly size: number;
}
