import { CHECKPOINT_STREAM, type CheckpointAction } from '@topo/topology-dsl';
import type { Inbox } from '../executor/inbox.js';
import type { SpoutExecutor, SpoutTask } from '../executor/spout-executor.js';
import { sendAck, sendFail } from '../executor/tuple-tree.js';
import { TUPLE_ACKED, TUPLE_FAILED, type TupleImpl } from '../tuple-impl.js';
import { barrierOf, taskNamespace, type CheckpointSettings } from './checkpoint-settings.js';
import type { StateProvider, TransactionalState } from './state-provider.js';
import { acquireStateProvider, releaseStateProvider } from './worker-state-provider.js';

const POSITION_KEY = 'position';

/** The checkpoint side of one spout task. */
interface SpoutPart {
  task: SpoutTask;
  rewindable: boolean;
  initialized: boolean;
  /** Barriers received and not yet handled, in order (a task handles one at a time). */
  queue: TupleImpl[];
  handling: boolean;
  /**
   * In the rewinding mode: one of its trees failed, or a link to another worker went down,
   * since the last rollback, so the next PREPARE fails.
   */
  failedTree: boolean;
  state: TransactionalState | undefined;
}

/**
 * How the tasks of a spout take part in checkpoints. A task emits nothing before its
 * first INITSTATE, which rewinds a rewindable spout to its committed position; PREPARE
 * saves its position (once a pending `nextTuple()` has settled), COMMIT commits it, and
 * ROLLBACK drops its pending trees and rewinds it (a non-rewindable spout keeps Storm's
 * behaviour: its trees fail and it replays them). Each barrier is then forwarded behind
 * the data the task emitted before it, which is what makes the checkpoint a cut.
 */
export class SpoutCheckpoints {
  readonly inbox: Inbox;
  private readonly parts: SpoutPart[];
  private provider: Promise<StateProvider> | undefined;

  constructor(
    private readonly executor: SpoutExecutor,
    private readonly settings: CheckpointSettings,
  ) {
    const host = executor.worker;
    this.inbox = host.createInbox();
    const rewindable = host.definition.components.find((c) => c.name === executor.component)?.rewindable === true;
    this.parts = executor.states.map((task) => {
      task.paused = true;
      return { task, rewindable, initialized: false, queue: [], handling: false, failedTree: false, state: undefined };
    });
  }

  /** Takes the barriers delivered since the last slice and starts handling them. */
  runSlice(): number {
    const inbox = this.inbox;
    let n = 0;
    for (; inbox.size > 0; n++) {
      const part = this.parts[inbox.peekTask() - this.executor.firstTask];
      part.queue.push(inbox.shift());
      if (!part.handling) void this.drain(part);
    }
    return n;
  }

  /** A tree of `task` failed: in the rewinding mode the next checkpoint fails instead of the spout replaying it. */
  absorbsFailure(task: SpoutTask): boolean {
    if (!this.settings.rewinding) return false;
    const part = this.parts[task.task - this.executor.firstTask];
    part.failedTree = true;
    // Not done until the rollback this leads to has rewound it and it has read its end again.
    task.finished = false;
    return true;
  }

  /** See `CheckpointingBoltExecutor.peerLost`: in the rewinding mode each task fails its next PREPARE. */
  peerLost(): void {
    if (!this.settings.rewinding) return;
    for (const part of this.parts) part.failedTree = true;
  }

  async stop(): Promise<void> {
    if (this.provider !== undefined) await releaseStateProvider(this.executor.worker);
  }

  private async drain(part: SpoutPart): Promise<void> {
    part.handling = true;
    for (let tuple = part.queue.shift(); tuple !== undefined; tuple = part.queue.shift()) await this.handle(part, tuple);
    part.handling = false;
  }

  private async handle(part: SpoutPart, tuple: TupleImpl): Promise<void> {
    const { txid, action } = barrierOf(tuple.values);
    const task = part.task;
    task.paused = true;
    let ok = false;
    try {
      await idle(task);
      ok = await this.act(part, action, txid);
    } catch (error) {
      this.executor.reportError(task.task, error, 'checkpoint');
    }
    const worker = this.executor.worker;
    if (ok) {
      this.executor.emitAnchored(task, CHECKPOINT_STREAM, [txid, action], tuple);
      tuple.state = TUPLE_ACKED;
      sendAck(worker, tuple);
    } else {
      tuple.state = TUPLE_FAILED;
      sendFail(worker, tuple);
    }
    task.paused = !part.initialized;
    worker.wake();
  }

  private async act(part: SpoutPart, action: CheckpointAction, txid: number): Promise<boolean> {
    const task = part.task;
    switch (action) {
      case 'INITSTATE':
        if (!part.initialized) {
          if (part.rewindable) await task.instance.rewind!((await this.state(part)).get(POSITION_KEY) ?? undefined);
          part.initialized = true;
        }
        return true;
      case 'PREPARE': {
        if (!part.initialized || part.failedTree) return false;
        if (!part.rewindable) return true;
        const state = await this.state(part);
        state.put(POSITION_KEY, task.instance.position!() ?? null);
        await state.prepareCommit(txid);
        return true;
      }
      case 'COMMIT':
        if (part.rewindable) await (await this.state(part)).commit(txid);
        return true;
      case 'ROLLBACK':
        part.failedTree = false;
        if (!part.rewindable) return true;
        {
          const state = await this.state(part);
          await state.rollback();
          // Its trees in flight are forgotten: their acks and fails are ignored, and the rewind emits them again.
          const pending = task.pending;
          while (pending.oldest !== -1) pending.remove(pending.oldest);
          task.finished = false;
          if (part.initialized) await task.instance.rewind!(state.get(POSITION_KEY) ?? undefined);
        }
        return true;
    }
  }

  private async state(part: SpoutPart): Promise<TransactionalState> {
    this.provider ??= acquireStateProvider(this.executor.worker);
    part.state ??= await (await this.provider).newState(taskNamespace(this.executor.component, part.task.task));
    return part.state;
  }
}

/** Resolves once the task has no `nextTuple()` promise pending. */
function idle(task: SpoutTask): Promise<void> {
  if (!task.busy) return Promise.resolve();
  return new Promise((resolve) => {
    task.onIdle = () => {
      task.onIdle = undefined;
      resolve();
    };
  });
}
