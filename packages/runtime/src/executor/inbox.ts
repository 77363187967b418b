import type { TupleImpl } from '../tuple-impl.js';
import type { Watermark } from './watermark.js';

/**
 * An executor's receive queue: a ring of (target task, tuple). Two watermarks watch its
 * length: one holds back the spouts of its own worker, the other those of its peers. It
 * grows rather than dropping, because bolts cannot block; while spouts are stopped, what
 * it can hold is bounded by their fan-out.
 */
export class Inbox {
  private tuples: (TupleImpl | undefined)[];
  private tasks: Int32Array;
  private head = 0;
  private mask: number;
  size = 0;

  constructor(
    private readonly localSpouts: Watermark,
    private readonly peers: Watermark,
  ) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, localSpouts.high)));
    this.tuples = new Array(capacity).fill(undefined);
    this.tasks = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  push(task: number, tuple: TupleImpl): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.tuples[i] = tuple;
    this.tasks[i] = task;
    const size = ++this.size;
    this.localSpouts.rose(size);
    this.peers.rose(size);
  }

  /** The task of the next tuple; call before `shift()`. */
  peekTask(): number {
    return this.tasks[this.head];
  }

  shift(): TupleImpl {
    const tuple = this.tuples[this.head]!;
    this.tuples[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    const size = --this.size;
    this.localSpouts.fell(size);
    this.peers.fell(size);
    return tuple;
  }

  /** Empties the queue, returning what it held (for failing tuples of a stopped executor). */
  drainAll(): TupleImpl[] {
    const out: TupleImpl[] = [];
    while (this.size > 0) out.push(this.shift());
    return out;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const tuples = new Array<TupleImpl | undefined>(capacity).fill(undefined);
    const tasks = new Int32Array(capacity);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & this.mask;
      tuples[k] = this.tuples[i];
      tasks[k] = this.tasks[i];
    }
    this.tuples = tuples;
    this.tasks = tasks;
    this.head = 0;
    this.mask = capacity - 1;
  }
}
