import type { Packr } from 'msgpackr';
import type { TupleImpl } from '../tuple-impl.js';

/** Fields per tuple in a batch: dest, source task, stream index, values, 4 id halves, extra roots. */
export const TUPLE_WIDTH = 9;

/**
 * Messages waiting for one peer until the end of the current tick: tuples flat in one
 * array, acker traffic and acker verdicts as int records. One frame carries them all.
 */
export class OutgoingBatch {
  tuples: unknown[] = [];
  acker: number[] = [];
  results: number[] = [];
  /** Messages of every kind queued. */
  size = 0;

  addTuple(dest: number, tuple: TupleImpl, streamIndex: number): void {
    this.tuples.push(dest, tuple.sourceTask, streamIndex, tuple.values, tuple.r0h, tuple.r0l, tuple.e0h, tuple.e0l, tuple.more);
    this.size++;
  }

  addAcker(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    this.acker.push(type, rootHi, rootLo, xorHi, xorLo, spoutTask);
    this.size++;
  }

  addResult(spoutTask: number, result: number, rootHi: number, rootLo: number): void {
    this.results.push(spoutTask, result, rootHi, rootLo);
    this.size++;
  }

  encode(packr: Packr): Buffer {
    return packr.pack([this.tuples, this.acker, this.results]);
  }

  /** Hands the queued tuples over (for failing their trees) and empties the batch. */
  clear(): unknown[] {
    const tuples = this.tuples;
    this.tuples = [];
    this.acker = [];
    this.results = [];
    this.size = 0;
    return tuples;
  }
}
