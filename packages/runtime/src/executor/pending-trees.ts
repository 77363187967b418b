const NONE = -1;
/** Flags of an entry: its start time was read at the emit (sample it), or it is settled and only waits for `release()`. */
const TIMED = 1;
const SETTLED = 2;

/**
 * A spout task's trees in flight: root id -> (msgId, emit time, whether that time is
 * exact enough to sample for latency, and the XOR of its edges when the spout acks its
 * own trees), kept in emit order so the timeout sweep stops at the first young tree. An
 * entry keeps its index for life (a free list hands indices out again), so it can sit in
 * a hash chain and in the emit-order list at once, all in typed arrays: no object, no
 * boxed key, no Map entry per tree. That is most of what a tracked emit and its ack
 * used to allocate.
 */
export class PendingTrees {
  private rootHi: Int32Array;
  private rootLo: Int32Array;
  private xorHi: Int32Array;
  private xorLo: Int32Array;
  private startMs: Float64Array;
  /** StreamCatalog index of the stream the root tuple went out on: acks and fails are counted by it. */
  private streams: Int32Array;
  private flags: Uint8Array;
  private msgIds: unknown[];
  /** Next entry in the same hash bucket, or the next free index for a free entry. */
  private chain: Int32Array;
  private older: Int32Array;
  private newer: Int32Array;
  private buckets: Int32Array;
  private freeHead = NONE;
  /** Oldest entry, or -1. */
  oldest = NONE;
  private newest = NONE;
  size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.rootHi = new Int32Array(capacity);
    this.rootLo = new Int32Array(capacity);
    this.xorHi = new Int32Array(capacity);
    this.xorLo = new Int32Array(capacity);
    this.startMs = new Float64Array(capacity);
    this.streams = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.msgIds = new Array(capacity).fill(undefined);
    this.chain = new Int32Array(capacity);
    this.older = new Int32Array(capacity);
    this.newer = new Int32Array(capacity);
    this.buckets = new Int32Array(capacity).fill(NONE);
    this.freeAll(0, capacity);
  }

  get capacity(): number {
    return this.buckets.length;
  }

  /** Bytes the table holds (typed arrays and the msgId slots' pointers). */
  get bytes(): number {
    const ints = this.rootHi.byteLength + this.rootLo.byteLength + this.xorHi.byteLength + this.xorLo.byteLength;
    const links = this.chain.byteLength + this.older.byteLength + this.newer.byteLength + this.buckets.byteLength;
    return ints + links + this.streams.byteLength + this.startMs.byteLength + this.flags.byteLength + this.msgIds.length * 8;
  }

  /** The entry of `root`, or -1. */
  find(hi: number, lo: number): number {
    let i = this.buckets[this.bucketOf(hi)];
    while (i !== NONE && (this.rootLo[i] !== lo || this.rootHi[i] !== hi)) i = this.chain[i];
    return i;
  }

  /**
   * Adds a tree as the newest. Roots are random 64-bit ids, so nothing looks for one
   * already pending: a collision would time two trees out, to be replayed.
   * `stream` is the root tuple's StreamCatalog index; `timed` says `startMs` was read at the emit, so its complete latency may be sampled;
   * `xorHi/Lo` are the edges of the spout tuples, for a spout that acks its own trees.
   * Returns the tree's entry.
   */
  add(hi: number, lo: number, msgId: unknown, stream: number, startMs: number, timed: boolean, xorHi = 0, xorLo = 0): number {
    if (this.freeHead === NONE) this.grow();
    const i = this.freeHead;
    this.freeHead = this.chain[i];
    this.rootHi[i] = hi;
    this.rootLo[i] = lo;
    this.xorHi[i] = xorHi;
    this.xorLo[i] = xorLo;
    this.startMs[i] = startMs;
    this.streams[i] = stream;
    this.flags[i] = timed ? TIMED : 0;
    this.msgIds[i] = msgId;
    const bucket = this.bucketOf(hi);
    this.chain[i] = this.buckets[bucket];
    this.buckets[bucket] = i;
    this.older[i] = this.newest;
    this.newer[i] = NONE;
    if (this.newest === NONE) this.oldest = i;
    else this.newer[this.newest] = i;
    this.newest = i;
    this.size++;
    return i;
  }

  msgId(i: number): unknown {
    return this.msgIds[i];
  }

  start(i: number): number {
    return this.startMs[i];
  }

  stream(i: number): number {
    return this.streams[i];
  }

  isTimed(i: number): boolean {
    return (this.flags[i] & TIMED) !== 0;
  }

  /** XORs edge ids into entry `i`'s value; true when it is then zero: the tree is fully processed. */
  xor(i: number, hi: number, lo: number): boolean {
    return ((this.xorHi[i] ^= hi) | (this.xorLo[i] ^= lo)) === 0;
  }

  /** Sets the start of the `count` newest trees that are not timed to `startMs` (a clock read after they were all added). */
  restampNewest(count: number, startMs: number): void {
    for (let i = this.newest; i !== NONE && count > 0; i = this.older[i]) {
      if ((this.flags[i] & TIMED) !== 0) continue;
      this.startMs[i] = startMs;
      count--;
    }
  }

  /** Removes entry `i` (from `find` or `oldest`); its index may be handed out again. */
  remove(i: number): void {
    this.settle(i);
    this.release(i);
  }

  /**
   * Takes entry `i` out of the lookups and the emit order, keeping its msgId and start
   * until `release(i)`: a tree acked or failed whose verdict waits for the spout's turn.
   */
  settle(i: number): void {
    const bucket = this.bucketOf(this.rootHi[i]);
    let at = this.buckets[bucket];
    if (at === i) this.buckets[bucket] = this.chain[i];
    else {
      while (this.chain[at] !== i) at = this.chain[at];
      this.chain[at] = this.chain[i];
    }
    const older = this.older[i];
    const newer = this.newer[i];
    if (older === NONE) this.oldest = newer;
    else this.newer[older] = newer;
    if (newer === NONE) this.newest = older;
    else this.older[newer] = older;
    this.flags[i] |= SETTLED;
  }

  /** Hands the index of a settled entry out again. */
  release(i: number): void {
    this.msgIds[i] = undefined;
    this.chain[i] = this.freeHead;
    this.freeHead = i;
    this.size--;
  }

  /** A root's bucket, by its high half: the low half was chosen to pick this worker's acker, so it repeats. */
  private bucketOf(hi: number): number {
    return hi & (this.buckets.length - 1);
  }

  /** Doubles every array; entries keep their indices, so only the hash chains are rebuilt. */
  private grow(): void {
    const old = this.capacity;
    const capacity = old * 2;
    const widen = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.rootHi = widen(this.rootHi);
    this.rootLo = widen(this.rootLo);
    this.xorHi = widen(this.xorHi);
    this.xorLo = widen(this.xorLo);
    this.older = widen(this.older);
    this.streams = widen(this.streams);
    this.newer = widen(this.newer);
    const startMs = new Float64Array(capacity);
    startMs.set(this.startMs);
    this.startMs = startMs;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    this.msgIds.length = capacity;
    this.msgIds.fill(undefined, old);
    this.chain = new Int32Array(capacity);
    this.buckets = new Int32Array(capacity).fill(NONE);
    // Every index below `old` is in use (the free list was empty): rehash all but the settled.
    for (let i = 0; i < old; i++) {
      if ((this.flags[i] & SETTLED) !== 0) continue;
      const bucket = this.bucketOf(this.rootHi[i]);
      this.chain[i] = this.buckets[bucket];
      this.buckets[bucket] = i;
    }
    this.freeAll(old, capacity);
  }

  private freeAll(from: number, to: number): void {
    for (let i = to - 1; i >= from; i--) {
      this.chain[i] = this.freeHead;
      this.freeHead = i;
    }
  }
}
