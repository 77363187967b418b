import { ACK_INIT, writeResultRecord } from '../acker/acker-messages.js';
import { ackerIndexOf, treeSlotOf } from '../acker/tree-slots.js';
import type { AckerExecutor } from '../executor/acker-executor.js';
import type { SpoutExecutor } from '../executor/spout-executor.js';
import type { OutgoingBatch } from '../transport/outgoing-batch.js';

/**
 * Where a worker's acker messages and tree results go. A message goes to the acker task
 * its root id hashes to: over the link to that task's worker, or, when the acker runs
 * here, to the table that tracks the tree. A tree of this worker's own spouts is tracked in
 * its spout's pending table (its tree slot, acker/tree-slots.ts, says which), so such a
 * tree costs no acker entry; the acker's table keeps the rest. A tree's result goes to
 * its spout task's result ring, or over the link to that spout's worker.
 */
export class AckerRouting {
  readonly ackerByTask: (AckerExecutor | undefined)[] = [];
  readonly spoutByTask: (SpoutExecutor | undefined)[] = [];
  /** The spout executor of each tree slot: whose table an ack for one of this worker's trees goes to. */
  readonly treeOwners: SpoutExecutor[] = [];

  constructor(
    private readonly ackerTasks: readonly number[],
    /** The send buffer of the worker that runs a task not in this one. */
    private readonly remote: (task: number) => OutgoingBatch,
  ) {}

  addAcker(task: number, executor: AckerExecutor): void {
    this.ackerByTask[task] = executor;
  }

  /** Registers a spout task in the next tree slot. */
  addSpout(task: number, executor: SpoutExecutor): void {
    this.spoutByTask[task] = executor;
    this.treeOwners.push(executor);
  }

  /** Sends an acker message (acker-messages.ts's types) about tree `rootHi:rootLo`. */
  toAcker(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    const tasks = this.ackerTasks;
    const task = tasks[ackerIndexOf(rootLo, tasks.length)];
    const acker = this.ackerByTask[task];
    if (acker === undefined) {
      this.remote(task).addAcker(type, rootHi, rootLo, xorHi, xorLo, spoutTask);
      return;
    }
    const treeSlots = this.treeOwners.length;
    if (type !== ACK_INIT && treeSlots > 0) {
      const slot = treeSlotOf(rootLo, tasks.length, treeSlots);
      if (this.treeOwners[slot].ackerMessage(slot, type, rootHi, rootLo, xorHi, xorLo)) return;
    }
    acker.acker.handle(type, rootHi, rootLo, xorHi, xorLo, spoutTask);
  }

  /** Hands a tree's result (completed, failed, timed out) to its spout task. */
  result(spoutTask: number, result: number, rootHi: number, rootLo: number): void {
    const spout = this.spoutByTask[spoutTask];
    if (spout === undefined) {
      this.remote(spoutTask).addResult(spoutTask, result, rootHi, rootLo);
      return;
    }
    const ring = spout.results;
    const at = ring.reserve();
    writeResultRecord(ring.data, at, spoutTask, result, rootHi, rootLo);
    ring.commit();
  }
}
