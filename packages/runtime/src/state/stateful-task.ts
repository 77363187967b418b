import { TopoError, type CheckpointAction, type StatefulBolt, type StatefulBoltHooks } from '@topo/topology-dsl';
import type { ExecutorHost } from '../executor/executor-host.js';
import type { TupleImpl } from '../tuple-impl.js';
import { DeferredAcks } from './deferred-acks.js';
import type { StateProvider, TransactionalState } from './state-provider.js';

/** Where a stateful task's held acks go at last: the ackers, acked at a commit or failed at a rollback. */
export type AckerLink = Pick<ExecutorHost, 'ackerAck' | 'ackerFail'>;

/**
 * The checkpoint side of one stateful bolt task (Storm's StatefulBoltExecutor, facts 2.4
 * and scenario 5.11): its state, the inputs buffered before its first INITSTATE, and the
 * acks it defers: acked -> prepared at PREPARE -> sent at COMMIT, failed at ROLLBACK.
 */
export class StatefulTask {
  initialized = false;
  /** Inputs that arrived before the first INITSTATE, in order. */
  buffered: TupleImpl[] = [];
  private readonly acked = new DeferredAcks();
  private readonly prepared = new DeferredAcks();
  private state: TransactionalState | undefined;

  constructor(
    private readonly bolt: StatefulBolt & StatefulBoltHooks,
    private readonly namespace: string,
    private readonly provider: () => Promise<StateProvider>,
    private readonly ackers: AckerLink,
  ) {}

  /** An input the bolt acked: held until the commit after the next prepare. */
  defer(tuple: TupleImpl): void {
    this.acked.add(tuple);
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
        this.prepared.takeAll(this.acked);
        return true;
      case 'COMMIT':
        await this.bolt.preCommit?.(txid);
        await state.commit(txid);
        this.prepared.drain((rootHi, rootLo, xorHi, xorLo) => this.ackers.ackerAck(rootHi, rootLo, xorHi, xorLo));
        return true;
      case 'ROLLBACK': {
        await this.bolt.preRollback?.();
        await state.rollback();
        const fail = (rootHi: number, rootLo: number) => this.ackers.ackerFail(rootHi, rootLo);
        this.prepared.drain(fail);
        this.acked.drain(fail);
        return true;
      }
      default:
        throw new TopoError(`unknown checkpoint action ${String(action)}`);
    }
  }
}
