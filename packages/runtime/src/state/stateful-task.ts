import { TopoError, type CheckpointAction, type StatefulBolt, type StatefulBoltHooks } from '@topo/topology-dsl';
import type { TupleImpl } from '../tuple-impl.js';
import type { StateProvider, TransactionalState } from './state-provider.js';

/** What a stateful task asks of its executor: to tell the ackers at last, or to fail. */
export interface DeferredAcks {
  sendAck(tuple: TupleImpl): void;
  sendFail(tuple: TupleImpl): void;
}

/**
 * The checkpoint side of one stateful bolt task (Storm's StatefulBoltExecutor, facts 2.4
 * and scenario 5.11): its state, the inputs buffered before its first INITSTATE, and the
 * acks it defers: acked -> prepared at PREPARE -> sent at COMMIT, failed at ROLLBACK.
 */
export class StatefulTask {
  initialized = false;
  /** Inputs that arrived before the first INITSTATE, in order. */
  buffered: TupleImpl[] = [];
  private acked: TupleImpl[] = [];
  private prepared: TupleImpl[] = [];
  private state: TransactionalState | undefined;

  constructor(
    private readonly bolt: StatefulBolt & StatefulBoltHooks,
    private readonly namespace: string,
    private readonly provider: () => Promise<StateProvider>,
    private readonly acks: DeferredAcks,
  ) {}

  /** An input the bolt acked: held until the commit after the next prepare. */
  defer(tuple: TupleImpl): void {
    this.acked.push(tuple);
  }

  /**
   * Handles a complete barrier; false fails it (a PREPARE before INITSTATE, which makes
   * the checkpoint spout recover). After an INITSTATE that initialised the task the
   * caller runs `buffered`; after a ROLLBACK of an uninitialised one it fails them.
   */
  async handle(action: CheckpointAction, txid: number): Promise<boolean> {
    const state = (this.state ??= await (await this.provider()).newState(this.namespace));
    switch (action) {
      case 'INITSTATE':
        if (!this.initialized) {
          await this.bolt.initState(state);
          this.initialized = true;
        }
        return true;
      case 'PREPARE':
        if (!this.initialized) return false;
        await this.bolt.prePrepare?.(txid);
        await state.prepareCommit(txid);
        // concat, not push(...): a second's acks can be more arguments than the call stack holds (RangeError).
        this.prepared = this.prepared.concat(this.acked);
        this.acked = [];
        return true;
      case 'COMMIT':
        await this.bolt.preCommit?.(txid);
        await state.commit(txid);
        for (const tuple of this.prepared) this.acks.sendAck(tuple);
        this.prepared = [];
        return true;
      case 'ROLLBACK': {
        await this.bolt.preRollback?.();
        await state.rollback();
        const failed = [...this.prepared, ...this.acked];
        this.prepared = [];
        this.acked = [];
        for (const tuple of failed) this.acks.sendFail(tuple);
        return true;
      }
      default:
        throw new TopoError(`unknown checkpoint action ${String(action)}`);
    }
  }
}
