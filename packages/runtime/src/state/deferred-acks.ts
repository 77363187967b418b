import type { TupleImpl } from '../tuple-impl.js';

/** Int32s a held ack takes: its tree's id halves and the edge XOR halves it reports. */
const QUAD = 4;

/**
 * Acks a stateful task holds back until a commit, kept as what reaching the ackers needs:
 * per tree, its id and the edge XOR of the ack (four int32s), not the input tuples. A
 * word count at the default unbounded max spout pending holds a second's worth of inputs
 * (about 300,000 words): kept as tuples, they lived to the old generation and a third of
 * the CPU went to the garbage collector (bench `state`, memory-state); as int32s they are
 * 16 bytes each and the tuples die young.
 */
export class DeferredAcks {
  private data = new Int32Array(QUAD * 1024);
  private used = 0;

  /** Inputs held (an input anchored to several trees counts once per tree). */
  get size(): number {
    return this.used / QUAD;
  }

  /** Holds an acked input's ack for each tree it belongs to; an untracked input has none. */
  add(tuple: TupleImpl): void {
    if ((tuple.r0h | tuple.r0l) === 0) return;
    this.push(tuple.r0h, tuple.r0l, tuple.e0h, tuple.e0l);
    const more = tuple.more;
    if (more !== null) for (let i = 0; i < more.length; i += QUAD) this.push(more[i], more[i + 1], more[i + 2], more[i + 3]);
  }

  /** Moves every ack of `other` to the end of this one. */
  takeAll(other: DeferredAcks): void {
    if (this.used === 0) {
      // The usual case (the last commit sent everything): trade buffers instead of copying a checkpoint's acks.
      const data = this.data;
      this.data = other.data;
      this.used = other.used;
      other.data = data;
      other.used = 0;
      return;
    }
    this.reserve(other.used);
    this.data.set(other.data.subarray(0, other.used), this.used);
    this.used += other.used;
    other.used = 0;
  }

  /** Calls `send` with each held ack, in the order they were held, and forgets them. */
  drain(send: (rootHi: number, rootLo: number, xorHi: number, xorLo: number) => void): void {
    const data = this.data;
    const used = this.used;
    this.used = 0;
    for (let i = 0; i < used; i += QUAD) send(data[i], data[i + 1], data[i + 2], data[i + 3]);
  }

  private push(rootHi: number, rootLo: number, xorHi: number, xorLo: number): void {
    if (this.used + QUAD > this.data.length) this.reserve(QUAD);
    const data = this.data;
    const at = this.used;
    data[at] = rootHi;
    data[at + 1] = rootLo;
    data[at + 2] = xorHi;
    data[at + 3] = xorLo;
    this.used = at + QUAD;
  }

  private reserve(more: number): void {
    if (this.used + more <= this.data.length) return;
    let length = this.data.length * 2;
    while (length < this.used + more) length *= 2;
    const grown = new Int32Array(length);
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }
}
