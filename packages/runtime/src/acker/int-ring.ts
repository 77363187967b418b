/**
 * A growable FIFO of fixed-width int32 records, for acker traffic: no object per message.
 */
export class IntRing {
  private buf: Int32Array;
  private head = 0;
  private mask: number;
  /** Number of records queued. */
  size = 0;

  constructor(
    readonly width: number,
    initialRecords = 1024,
  ) {
    const records = 1 << Math.ceil(Math.log2(initialRecords));
    this.buf = new Int32Array(records * width);
    this.mask = records - 1;
  }

  /** Index in `data` where the next record must be written; call `commit()` after writing. */
  reserve(): number {
    if (this.size > this.mask) this.grow();
    return ((this.head + this.size) & this.mask) * this.width;
  }

  commit(): void {
    this.size++;
  }

  /** Index in `data` of the oldest record; call `release()` when done reading it. */
  front(): number {
    return this.head * this.width;
  }

  release(): void {
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }

  get data(): Int32Array {
    return this.buf;
  }

  private grow(): void {
    const records = (this.mask + 1) * 2;
    const next = new Int32Array(records * this.width);
    for (let k = 0; k < this.size; k++) {
      const from = ((this.head + k) & this.mask) * this.width;
      next.set(this.buf.subarray(from, from + this.width), k * this.width);
    }
    this.buf = next;
    this.head = 0;
    this.mask = records - 1;
  }
}
