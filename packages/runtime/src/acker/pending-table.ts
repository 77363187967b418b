/** Int32 cells per slot: root (hi, lo), xor (hi, lo), spout task, meta (used flag and generation). */
const STRIDE = 6;
const ROOT_HI = 0;
const ROOT_LO = 1;
const XOR_HI = 2;
const XOR_LO = 3;
const OWNER = 4;
const META = 5;
/** Set in META for a slot in use; the low byte is the generation it was created in. */
const USED = 0x100;

/**
 * The acker's `root -> (xor, spout task, generation)` table: open addressing with linear
 * probing, every slot's fields side by side in one Int32Array (24 bytes a slot, no object
 * per tree), so a lookup touches one cache line, not one per field. The high half of a
 * random root is the hash: the low half also picks the acker (spouts choose it to land on
 * their own worker's), so with N ackers one acker only ever sees one low half in N.
 */
export class PendingTable {
  private cells: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.mask = capacity - 1;
    this.cells = new Int32Array(capacity * STRIDE);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.cells.byteLength;
  }

  /** The slot of `root`, created empty (in `generation`) when missing. */
  slot(hi: number, lo: number, generation: number): number {
    const cells = this.cells;
    let i = hi & this.mask;
    for (let at = i * STRIDE; cells[at + META] !== 0; at = i * STRIDE) {
      if (cells[at + ROOT_LO] === lo && cells[at + ROOT_HI] === hi) return i;
      i = (i + 1) & this.mask;
    }
    if ((this.size + 1) * 4 > this.capacity * 3) {
      this.resize(this.capacity * 2);
      return this.slot(hi, lo, generation);
    }
    const at = i * STRIDE;
    cells[at + ROOT_HI] = hi;
    cells[at + ROOT_LO] = lo;
    cells[at + XOR_HI] = 0;
    cells[at + XOR_LO] = 0;
    cells[at + OWNER] = 0;
    cells[at + META] = USED | (generation & 0xff);
    this.size++;
    return i;
  }

  /** The slot of `root`, or -1. */
  find(hi: number, lo: number): number {
    const cells = this.cells;
    let i = hi & this.mask;
    for (let at = i * STRIDE; cells[at + META] !== 0; at = i * STRIDE) {
      if (cells[at + ROOT_LO] === lo && cells[at + ROOT_HI] === hi) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** XORs edge ids into the tree's value; true when it is then zero. */
  xor(slot: number, hi: number, lo: number): boolean {
    const cells = this.cells;
    const at = slot * STRIDE;
    return ((cells[at + XOR_HI] ^= hi) | (cells[at + XOR_LO] ^= lo)) === 0;
  }

  /** Spout task that owns the tree; 0 until the spout's init arrives; negative once failed early (see Acker). */
  owner(slot: number): number {
    return this.cells[slot * STRIDE + OWNER];
  }

  setOwner(slot: number, task: number): void {
    this.cells[slot * STRIDE + OWNER] = task;
  }

  rootHi(slot: number): number {
    return this.cells[slot * STRIDE + ROOT_HI];
  }

  rootLo(slot: number): number {
    return this.cells[slot * STRIDE + ROOT_LO];
  }

  xorHi(slot: number): number {
    return this.cells[slot * STRIDE + XOR_HI];
  }

  xorLo(slot: number): number {
    return this.cells[slot * STRIDE + XOR_LO];
  }

  /** Removes a slot, shifting later entries of its probe run back so lookups stay correct. */
  remove(slot: number): void {
    const cells = this.cells;
    let hole = slot;
    let i = (slot + 1) & this.mask;
    while (cells[i * STRIDE + META] !== 0) {
      const home = cells[i * STRIDE + ROOT_HI] & this.mask;
      // Move i into the hole unless its home lies cyclically in (hole, i].
      const inRun = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (!inRun) {
        cells.copyWithin(hole * STRIDE, i * STRIDE, i * STRIDE + STRIDE);
        hole = i;
      }
      i = (i + 1) & this.mask;
    }
    cells[hole * STRIDE + META] = 0;
    this.size--;
  }

  /** Drops every tree last created in a generation older than `keepFrom` (mod 256). */
  expire(current: number, keep: number): number {
    let dropped = 0;
    const kept = new PendingTable(this.capacity);
    const cells = this.cells;
    for (let at = 0; at < cells.length; at += STRIDE) {
      const meta = cells[at + META];
      if (meta === 0) continue;
      if (((current - meta) & 0xff) >= keep) dropped++;
      else kept.adoptSlot(cells, at);
    }
    this.cells = kept.cells;
    this.size = kept.size;
    return dropped;
  }

  private resize(capacity: number): void {
    const next = new PendingTable(capacity);
    const cells = this.cells;
    for (let at = 0; at < cells.length; at += STRIDE) if (cells[at + META] !== 0) next.adoptSlot(cells, at);
    this.cells = next.cells;
    this.mask = next.mask;
    this.size = next.size;
  }

  /** Copies the slot at `at` of `from` into this table, where its root belongs here. */
  private adoptSlot(from: Int32Array, at: number): void {
    const slot = this.slot(from[at + ROOT_HI], from[at + ROOT_LO], from[at + META]);
    this.cells.set(from.subarray(at, at + STRIDE), slot * STRIDE);
  }
}
