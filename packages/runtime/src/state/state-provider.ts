import type { KeyValueState } from '@topo/topology-dsl';

/**
 * A task's state as the checkpoint machinery drives it (Storm's State): the user's
 * KeyValueState plus the two-phase transaction of Storm's checkpoints. Txids are
 * integers from -1 up (JS-safe). Every method that touches storage is async; reads and
 * writes of the KeyValueState itself are in memory.
 */
export interface TransactionalState<V = unknown> extends KeyValueState<V> {
  /**
   * Snapshots the changes since the last prepare so `commit(txid)` can apply them later,
   * durably for a durable provider. The same txid may be prepared again; a txid at or
   * below the last committed one is refused.
   */
  prepareCommit(txid: number): Promise<void>;
  /** Makes the prepared snapshot of `txid` the committed state. Committing the last committed txid again is accepted and changes nothing. */
  commit(txid: number): Promise<void>;
  /** Persists the current contents at once, outside any transaction (the checkpoint spout's own record). */
  commitNow(): Promise<void>;
  /** Drops prepared and unprepared changes: the contents become the last committed state. */
  rollback(): Promise<void>;
  /** The last committed txid, or undefined if nothing was ever committed. */
  readonly committedTxid: number | undefined;
}

/**
 * Makes the states of one topology's tasks. `newState` loads what is stored under the
 * namespace: the committed entries and, if a prepare was not yet committed or rolled
 * back, the prepared ones (so `commit` of that txid still applies them after a restart).
 */
export interface StateProvider {
  /** Storm's provider name for messages and `topo check`: `memory`, `redis`, ... */
  readonly name: string;
  /** True when state outlives the process (Redis); false for the in-memory provider. */
  readonly durable: boolean;
  newState<V = unknown>(namespace: string): Promise<TransactionalState<V>>;
  /** Releases connections; states made by this provider are unusable afterwards. */
  close(): Promise<void>;
}

/** What `topology.state.provider` names: a module exporting this as `createStateProvider`. */
export type StateProviderFactory = (options: { topology: string; config: Record<string, unknown> }) => Promise<StateProvider>;
