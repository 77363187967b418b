import { CHECKPOINT_STREAM, TopoError, type AnchorsLike, type CheckpointAction, type StatefulBolt, type StatefulBoltHooks } from '@topo/topology-dsl';
import { BoltExecutor, type BoltTask } from '../executor/bolt-executor.js';
import type { ExecutorHost } from '../executor/executor-host.js';
import { TUPLE_PENDING, type TupleImpl } from '../tuple-impl.js';
import { BarrierAligner } from './barrier-aligner.js';
import { barrierChannels, barrierOf, taskNamespace, type CheckpointSettings } from './checkpoint-settings.js';
import { StatefulTask } from './stateful-task.js';
import { acquireStateProvider, releaseStateProvider } from './worker-state-provider.js';

/** Inputs taken per slice, as the plain executor's. */
const BATCH = 2048;

/** The checkpoint side of one bolt task. */
interface TaskBarriers {
  aligner: BarrierAligner;
  /** Set for a stateful bolt's task. */
  stateful: StatefulTask | undefined;
  /** Storm's lastTxid: barriers of older transactions are acked and ignored. */
  lastTxid: number;
  /**
   * In the rewinding mode: a data input failed here, or a link to another worker went
   * down, since the last rollback, so the next PREPARE must fail.
   */
  failedInput: boolean;
}

/** A complete barrier, waiting for earlier inputs to settle or being handled. */
interface CompleteBarrier {
  index: number;
  tuple: TupleImpl;
  txid: number;
  action: CheckpointAction;
}

/**
 * A bolt executor of a stateful topology. Every bolt handles complete barriers
 * (aligned, or counted as Storm does) and forwards each on `$checkpoint`, anchored to the
 * incoming copy, after every earlier input's `process()` has settled; a stateful bolt's
 * tasks also keep their state and defer their acks to the next commit (StatefulTask).
 * Emits must be anchored. Topologies without stateful components never run this class.
 */
export class CheckpointingBoltExecutor extends BoltExecutor {
  private barriers: TaskBarriers[] = [];
  /** Inputs to offer before the inbox, in order: released by a barrier, or buffered until INITSTATE. */
  private released: { index: number; tuple: TupleImpl }[] = [];
  private barrier: CompleteBarrier | undefined;
  private handling = false;
  private readonly stateful: boolean;

  constructor(
    worker: ExecutorHost,
    component: string,
    tasks: readonly number[],
    private readonly settings: CheckpointSettings,
  ) {
    super(worker, component, tasks);
    this.stateful = worker.definition.components.find((c) => c.name === component)?.stateful === true;
    this.defersAcks = this.stateful;
  }

  override async start(): Promise<void> {
    await super.start();
    const channels = barrierChannels(this.worker, this.component);
    const provider = this.stateful ? acquireStateProvider(this.worker) : undefined;
    // Loaded now so that a provider that cannot start fails the worker's start, not its first checkpoint.
    if (provider !== undefined) await provider;
    this.barriers = this.states.map((state) => ({
      aligner: new BarrierAligner(channels, this.settings.aligned),
      stateful:
        provider === undefined ? undefined : new StatefulTask(state.instance as unknown as StatefulBolt & StatefulBoltHooks, taskNamespace(this.component, state.task), () => provider, this.worker),
      lastTxid: -Infinity,
      failedInput: false,
    }));
  }

  override async stop(): Promise<void> {
    await super.stop();
    if (this.stateful) await releaseStateProvider(this.worker);
  }

  override get queued(): number {
    let held = 0;
    for (const b of this.barriers) held += b.aligner.held.length + (b.stateful?.buffered.length ?? 0);
    return super.queued + this.released.length + held;
  }

  override runSlice(): number {
    const inbox = this.inbox;
    let n = 0;
    while (n < BATCH) {
      if (this.barrier !== undefined) {
        if (!this.handling && this.inFlight === 0) this.handleBarrier(this.barrier);
        break;
      }
      if (this.inFlight >= this.maxInFlight) break;
      const next = this.released.shift();
      if (next !== undefined) this.offer(next.index, next.tuple);
      else if (inbox.size > 0) {
        const index = inbox.peekTask() - this.firstTask;
        this.offer(index, inbox.shift());
      } else break;
      n++;
    }
    return n;
  }

  private offer(index: number, tuple: TupleImpl): void {
    const b = this.barriers[index];
    if (tuple.streamFields.stream === CHECKPOINT_STREAM) this.arrive(index, b, tuple);
    else if (b.aligner.holds(tuple.sourceTask)) b.aligner.held.push(tuple);
    else if (b.stateful !== undefined && !b.stateful.initialized) b.stateful.buffered.push(tuple);
    else this.execute(this.states[index], tuple);
  }

  private arrive(index: number, b: TaskBarriers, tuple: TupleImpl): void {
    const { txid, action } = barrierOf(tuple.values);
    const arrival = b.aligner.arrive(tuple.sourceTask, `${action} ${txid}`);
    if (arrival === 'wait') {
      // Storm acks the copies before the last at once; the forward is anchored to the last.
      this.ack(this.states[index], tuple);
    } else if (arrival === 'conflict') {
      // The open alignment's checkpoint failed (one of its copies was lost): give it up, then offer the held tuples and this barrier again.
      this.worker.taskLogger(this.component, this.states[index].task).debug(`${action} ${txid} arrived while a barrier was aligning: that checkpoint failed, aligning this one`);
      this.releaseFirst(index, [...b.aligner.release(), tuple]);
    } else this.barrier = { index, tuple, txid, action };
  }

  private handleBarrier(barrier: CompleteBarrier): void {
    this.handling = true;
    void this.runBarrier(barrier).finally(() => {
      this.barrier = undefined;
      this.handling = false;
      this.worker.wake();
    });
  }

  private async runBarrier({ index, tuple, txid, action }: CompleteBarrier): Promise<void> {
    const b = this.barriers[index];
    const state = this.states[index];
    const logger = this.worker.taskLogger(this.component, state.task);
    let outcome: 'forward' | 'fail' | 'ignore' = 'forward';
    if (txid < b.lastTxid) {
      logger.debug(`ignoring ${action} of old transaction ${txid} (at ${b.lastTxid})`);
      outcome = 'ignore';
    } else if (action === 'PREPARE' && b.failedInput) {
      outcome = 'fail';
    } else if (b.stateful !== undefined) {
      try {
        if (!(await b.stateful.handle(action, txid))) outcome = 'fail';
      } catch (error) {
        this.reportError(state.task, error, 'checkpoint');
        outcome = 'fail';
      }
    }
    if (outcome === 'forward') {
      this.emit(state, CHECKPOINT_STREAM, [txid, action], tuple, undefined);
      b.lastTxid = action === 'ROLLBACK' ? txid - 1 : txid;
    }
    if (outcome === 'fail') this.fail(state, tuple);
    else this.ack(state, tuple);
    if (action === 'ROLLBACK' || action === 'INITSTATE') b.aligner.resetCounts();
    let resumed: TupleImpl[] = [];
    if (b.stateful !== undefined && outcome === 'forward') {
      if (action === 'INITSTATE' && b.stateful.initialized) resumed = b.stateful.buffered.splice(0);
      if (action === 'ROLLBACK' && !b.stateful.initialized) for (const dropped of b.stateful.buffered.splice(0)) this.fail(state, dropped);
    }
    if (action === 'ROLLBACK') b.failedInput = false;
    this.releaseFirst(index, resumed.concat(b.aligner.release()));
  }

  /**
   * Puts tuples of task `index` ahead of those released before, in order. Not by spreading
   * them into unshift(): a buffer holds up to a checkpoint's worth of tuples, more
   * arguments than a call can take (RangeError).
   */
  private releaseFirst(index: number, tuples: TupleImpl[]): void {
    if (tuples.length === 0) return;
    this.released = tuples.map((tuple) => ({ index, tuple })).concat(this.released);
  }

  protected override deferAck(state: BoltTask, tuple: TupleImpl): boolean {
    const stateful = this.barriers[state.task - this.firstTask]?.stateful;
    if (stateful === undefined || tuple.streamFields.stream === CHECKPOINT_STREAM) return false;
    stateful.defer(tuple);
    return true;
  }

  /**
   * A worker that died took with it inputs whose trees have not failed yet (they time out
   * later), and its replacement may still receive barriers queued for it: a checkpoint
   * prepared now could record source positions past effects that are gone. So in the
   * rewinding mode every task here fails its next PREPARE, and the rollback that follows
   * puts state and sources back at the last commit.
   */
  override peerLost(): void {
    if (!this.settings.rewinding) return;
    for (const b of this.barriers) b.failedInput = true;
  }

  override fail(state: BoltTask, tuple: TupleImpl): void {
    const pending = tuple.state === TUPLE_PENDING;
    super.fail(state, tuple);
    if (pending && this.settings.rewinding && tuple.streamFields.stream !== CHECKPOINT_STREAM && !tuple.isTick()) {
      const b = this.barriers[state.task - this.firstTask];
      if (b !== undefined) b.failedInput = true;
    }
  }

  override emit(state: BoltTask, stream: string, values: unknown[], anchors: AnchorsLike | undefined, directTask: number | undefined): readonly number[] {
    if (anchors === undefined && (!this.autoAck || this.implicitAnchor() === undefined)) {
      throw new TopoError('Bolts in a stateful topology must emit anchored tuples.', { component: this.component, stream });
    }
    return super.emit(state, stream, values, anchors, directTask);
  }
}
