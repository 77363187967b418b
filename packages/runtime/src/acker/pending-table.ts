/**
 * The acker's `root -> (xor, spout task, generation)` table: open addressing with linear
 * probing over typed arrays, 21 bytes a slot and no object per tree. Root ids are random,
 * so their low half is already a good hash.
 */
export class PendingTable {
  private keyHi: Int32Array;
  private keyLo: Int32Array;
  /** XOR of every edge id reported for the tree. */
  valHi: Int32Array;
  valLo: Int32Array;
  /** Spout task that owns the tree; 0 until the spout's init arrives; -1 once failed early. */
  spoutTask: Int32Array;
  private generation: Uint8Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.mask = capacity - 1;
    this.keyHi = new Int32Array(capacity);
    this.keyLo = new Int32Array(capacity);
    this.valHi = new Int32Array(capacity);
    this.valLo = new Int32Array(capacity);
    this.spoutTask = new Int32Array(capacity);
    this.generation = new Uint8Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.capacity * 22;
  }

  /** The slot of `root`, created empty (in `generation`) when missing. */
  slot(hi: number, lo: number, generation: number): number {
    let i = lo & this.mask;
    while (this.used[i] === 1) {
      if (this.keyLo[i] === lo && this.keyHi[i] === hi) return i;
      i = (i + 1) & this.mask;
    }
    if ((this.size + 1) * 4 > this.capacity * 3) {
      this.resize(this.capacity * 2);
      return this.slot(hi, lo, generation);
    }
    this.used[i] = 1;
    this.keyHi[i] = hi;
    this.keyLo[i] = lo;
    this.valHi[i] = 0;
    this.valLo[i] = 0;
    this.spoutTask[i] = 0;
    this.generation[i] = generation;
    this.size++;
    return i;
  }

  /** The slot of `root`, or -1. */
  find(hi: number, lo: number): number {
    let i = lo & this.mask;
    while (this.used[i] === 1) {
      if (this.keyLo[i] === lo && this.keyHi[i] === hi) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  rootHi(slot: number): number {
    return this.keyHi[slot];
  }

  rootLo(slot: number): number {
    return this.keyLo[slot];
  }

  /** Removes a slot, shifting later entries of its probe run back so lookups stay correct. */
  remove(slot: number): void {
    let hole = slot;
    let i = (slot + 1) & this.mask;
    while (this.used[i] === 1) {
      const home = this.keyLo[i] & this.mask;
      // Move i into the hole unless its home lies cyclically in (hole, i].
      const inRun = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (!inRun) {
        this.copySlot(i, hole);
        hole = i;
      }
      i = (i + 1) & this.mask;
    }
    this.used[hole] = 0;
    this.size--;
  }

  /** Drops every tree last created in a generation older than `keepFrom` (mod 256). */
  expire(current: number, keep: number): number {
    let dropped = 0;
    const old = new PendingTable(this.capacity);
    for (let i = 0; i < this.capacity; i++) {
      if (this.used[i] === 0) continue;
      if (((current - this.generation[i]) & 0xff) >= keep) {
        dropped++;
        continue;
      }
      const s = old.slot(this.keyHi[i], this.keyLo[i], this.generation[i]);
      old.valHi[s] = this.valHi[i];
      old.valLo[s] = this.valLo[i];
      old.spoutTask[s] = this.spoutTask[i];
    }
    this.adopt(old);
    return dropped;
  }

  private copySlot(from: number, to: number): void {
    this.used[to] = 1;
    this.keyHi[to] = this.keyHi[from];
    this.keyLo[to] = this.keyLo[from];
    this.valHi[to] = this.valHi[from];
    this.valLo[to] = this.valLo[from];
    this.spoutTask[to] = this.spoutTask[from];
    this.generation[to] = this.generation[from];
  }

  private resize(capacity: number): void {
    const next = new PendingTable(capacity);
    for (let i = 0; i < this.capacity; i++) {
      if (this.used[i] === 0) continue;
      const s = next.slot(this.keyHi[i], this.keyLo[i], this.generation[i]);
      next.valHi[s] = this.valHi[i];
      next.valLo[s] = this.valLo[i];
      next.spoutTask[s] = this.spoutTask[i];
    }
    this.adopt(next);
  }

  private adopt(other: PendingTable): void {
    this.keyHi = other.keyHi;
    this.keyLo = other.keyLo;
    this.valHi = other.valHi;
    this.valLo = other.valLo;
    this.spoutTask = other.spoutTask;
    this.generation = other.generation;
    this.used = other.used;
    this.mask = other.mask;
    this.size = other.size;
  }
}
