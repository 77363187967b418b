import { TopoError } from '@topo/topology-dsl';
import type { StateProvider, TransactionalState } from './state-provider.js';

/**
 * Storm's InMemoryKeyValueState, with the quirks of its port note 6 fixed: a rollback
 * copies the committed map (Storm's shares it, so later writes changed the committed
 * copy) and committing the last committed txid again is accepted. Not durable: for
 * tests and local runs.
 */
export class MemoryState<V = unknown> implements TransactionalState<V> {
  private live = new Map<string, V>();
  private committed: { txid: number; entries: Map<string, V> } | undefined;
  private prepared: { txid: number; entries: Map<string, V> } | undefined;

  get(key: string): V | undefined {
    return this.live.get(key);
  }

  put(key: string, value: V): void {
    if (value === undefined) throw new TopoError(`state put of key ${key}: undefined is not a value; use delete`, { key });
    this.live.set(key, value);
  }

  delete(key: string): V | undefined {
    const previous = this.live.get(key);
    this.live.delete(key);
    return previous;
  }

  entries(): IterableIterator<[string, V]> {
    return this.live.entries();
  }

  get size(): number {
    return this.live.size;
  }

  get committedTxid(): number | undefined {
    return this.committed?.txid;
  }

  async prepareCommit(txid: number): Promise<void> {
    if (this.prepared !== undefined && this.prepared.txid < txid) {
      throw new TopoError(`cannot prepare txid ${txid} while txid ${this.prepared.txid} is prepared and not committed`, { txid });
    }
    if (this.committed !== undefined && txid <= this.committed.txid) {
      throw new TopoError(`invalid txid ${txid} for prepare: txid ${this.committed.txid} is already committed`, { txid });
    }
    this.prepared = { txid, entries: new Map(this.live) };
  }

  async commit(txid: number): Promise<void> {
    if (this.prepared === undefined) {
      // A task restarted while its checkpoint was COMMITTING has lost its prepare with the process: the
      // recovery's COMMIT must still succeed (Storm's would throw and recover forever), changing nothing.
      if (this.committed === undefined || this.committed.txid < txid) this.committed = { txid, entries: new Map(this.committed?.entries) };
      return;
    }
    if (this.prepared.txid !== txid) {
      if (this.committed?.txid === txid) return;
      throw new TopoError(`invalid prepared state for commit of txid ${txid} (prepared: ${this.prepared.txid})`, { txid });
    }
    this.committed = this.prepared;
    this.prepared = undefined;
  }

  async commitNow(): Promise<void> {
    this.committed = { txid: -1, entries: new Map(this.live) };
  }

  async rollback(): Promise<void> {
    this.prepared = undefined;
    this.live = new Map(this.committed?.entries);
  }

  /** The committed entries, for tests that check what a run left. */
  committedEntries(): ReadonlyMap<string, V> {
    return new Map(this.committed?.entries);
  }
}

/**
 * The `memory` provider: one state per namespace for the life of the provider, so a task
 * that asks again (a rollback's reload) finds what it committed. Nothing survives the
 * process.
 */
export class MemoryStateProvider implements StateProvider {
  readonly name = 'memory';
  readonly durable = false;
  private readonly states = new Map<string, MemoryState<unknown>>();

  async newState<V = unknown>(namespace: string): Promise<TransactionalState<V>> {
    return this.state<V>(namespace);
  }

  /** The state of `namespace`, made empty if it did not exist. */
  state<V = unknown>(namespace: string): MemoryState<V> {
    let state = this.states.get(namespace);
    if (state === undefined) this.states.set(namespace, (state = new MemoryState()));
    return state as MemoryState<V>;
  }

  /** The namespaces states were made for. */
  namespaces(): string[] {
    return [...this.states.keys()];
  }

  async close(): Promise<void> {}
}
