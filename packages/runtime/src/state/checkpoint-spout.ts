import { CHECKPOINT_INTERVAL_FLOOR_MS, CHECKPOINT_INTERVAL_KEY, CHECKPOINT_STREAM, Spout, TopoError, type TopologyContext } from '@topo/topology-dsl';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStateMachine, INITIAL_RECORD, recoveryRecord, type CheckpointRecord } from './checkpoint-state-machine.js';
import type { StateProvider, TransactionalState } from './state-provider.js';

const RECORD_KEY = '__state';

/**
 * The `$checkpointspout` system spout: drives Storm's state machine, emitting one
 * checkpoint tuple at a time on `$checkpoint` with its txid as message id, and keeps its
 * record in the provider (`commitNow()` after every change, before the next emit).
 * While it waits for the interval its `nextTuple()` waits too, so an idle topology does
 * not poll it.
 */
export class CheckpointSpout extends Spout {
  static streams = { [CHECKPOINT_STREAM]: ['txid', 'action'] };
  private machine!: CheckpointStateMachine;
  private state!: TransactionalState<CheckpointRecord>;
  /** The store of the last ack's record, which the next emit waits for. */
  private saving: Promise<void> = Promise.resolve();

  private opened = false;
  private closed = false;

  constructor(
    private readonly provider: () => Promise<StateProvider>,
    private readonly release: () => Promise<void>,
  ) {
    super();
  }

  async open(context: TopologyContext): Promise<void> {
    const interval = Math.max(CHECKPOINT_INTERVAL_FLOOR_MS, Number(context.config[CHECKPOINT_INTERVAL_KEY]));
    const provider = this.provider();
    this.opened = true;
    this.state = await (await provider).newState<CheckpointRecord>(`${context.componentId}-${context.taskId}`);
    const stored = this.state.get(RECORD_KEY);
    this.machine = new CheckpointStateMachine(stored === undefined ? INITIAL_RECORD : recoveryRecord(stored), interval);
  }

  async nextTuple(): Promise<void> {
    await this.saving;
    const now = performance.now();
    const step = this.machine.next(now);
    if (step === undefined) {
      const due = this.machine.dueAt();
      // Waiting for the interval: sleep through it instead of being polled (nothing can arrive meanwhile).
      if (!this.machine.waiting && due > now) await sleep(due - now, undefined, { ref: false });
      return;
    }
    if (this.closed) return;
    if (step.store !== undefined) await this.store(step.store);
    this.emit([step.txid, step.action], { stream: CHECKPOINT_STREAM, msgId: step.txid });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.opened) await this.release();
  }

  ack(msgId: unknown): void {
    if (msgId !== this.machine.record.txid) this.context.log('warn', `checkpoint ack for txid ${String(msgId)} while at txid ${this.machine.record.txid}`);
    const changed = this.machine.ack();
    if (changed !== undefined) this.saving = this.store(changed);
  }

  fail(): void {
    this.machine.fail();
  }

  private async store(record: CheckpointRecord): Promise<void> {
    this.state.put(RECORD_KEY, record);
    try {
      await this.state.commitNow();
    } catch (error) {
      throw new TopoError(`${CHECKPOINT_STREAM}: storing the checkpoint record ${JSON.stringify(record)} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
