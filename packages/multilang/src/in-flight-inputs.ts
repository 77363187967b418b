import type { Tuple } from '@topo/topology-dsl';

const INITIAL_SLOTS = 1024;

/**
 * The inputs a ShellBolt has written to its subprocess and not yet seen acked or failed,
 * by the id it gave each. Ids are a counter sent as decimal strings (Storm's wire type),
 * and subprocesses mostly answer in order, so inputs sit in a ring indexed by id: no
 * hashing of a freshly decoded string, no map entry per tuple, on every ack and anchor.
 *
 * The ring spans the ids from the oldest one still in flight to the newest. An input the
 * subprocess never answers would stretch that span without bound, so when the ring is
 * mostly holes, such stragglers move to a map instead of the ring growing.
 */
export class InFlightInputs {
  private slots: (Tuple | undefined)[] = new Array<Tuple | undefined>(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  /** No id below this is in the ring (stragglers may be in `overflow`). */
  private oldest = 1;
  private last = 0;
  private inRing = 0;
  private readonly overflow = new Map<number, Tuple>();

  get size(): number {
    return this.inRing + this.overflow.size;
  }

  /** Records `tuple` under a new id and returns the id to send (as its decimal string). */
  add(tuple: Tuple): number {
    const id = this.last + 1;
    if (id - this.oldest >= this.slots.length) this.makeRoom(id);
    this.last = id;
    this.slots[id & this.mask] = tuple;
    this.inRing++;
    return id;
  }

  /** A new id for a message that is not an input (a heartbeat): a hole in the ring. */
  nextId(): string {
    const id = ++this.last;
    if (this.inRing === 0) this.oldest = id + 1;
    return String(id);
  }

  get(id: string): Tuple | undefined {
    return this.getNumbered(parseId(id));
  }

  /** The input the id whose value is `n` names (-1 names none). */
  getNumbered(n: number): Tuple | undefined {
    if (n < 0 || n > this.last) return undefined;
    return n >= this.oldest ? this.slots[n & this.mask] : this.overflow.get(n);
  }

  /** Removes and returns the input `id` names, if it is in flight. */
  take(id: string): Tuple | undefined {
    return this.takeNumbered(parseId(id));
  }

  takeNumbered(n: number): Tuple | undefined {
    if (n < 0 || n > this.last) return undefined;
    if (n < this.oldest) {
      const straggler = this.overflow.get(n);
      if (straggler !== undefined) this.overflow.delete(n);
      return straggler;
    }
    const slots = this.slots;
    const tuple = slots[n & this.mask];
    if (tuple === undefined) return undefined;
    slots[n & this.mask] = undefined;
    this.inRing--;
    if (n === this.oldest) this.advanceOldest();
    return tuple;
  }

  /** Every input in flight, forgotten: for failing them when the subprocess is lost. */
  takeAll(): Tuple[] {
    const all = [...this.overflow.values()];
    this.overflow.clear();
    for (let n = this.oldest; n <= this.last && this.inRing > 0; n++) {
      const tuple = this.slots[n & this.mask];
      if (tuple === undefined) continue;
      all.push(tuple);
      this.slots[n & this.mask] = undefined;
      this.inRing--;
    }
    this.oldest = this.last + 1;
    return all;
  }

  private advanceOldest(): void {
    const slots = this.slots;
    const mask = this.mask;
    let n = this.oldest + 1;
    while (n <= this.last && slots[n & mask] === undefined) n++;
    this.oldest = n;
  }

  /** Before `id` goes in: moves stragglers out of a ring that is mostly holes, or doubles it. */
  private makeRoom(id: number): void {
    if (this.inRing * 4 < this.slots.length) {
      const keepFrom = id - (this.slots.length >> 1);
      for (let n = this.oldest; n < keepFrom; n++) {
        const tuple = this.slots[n & this.mask];
        if (tuple === undefined) continue;
        this.overflow.set(n, tuple);
        this.slots[n & this.mask] = undefined;
        this.inRing--;
      }
      this.oldest = keepFrom;
      if (this.slots[keepFrom & this.mask] === undefined) this.advanceOldest();
      return;
    }
    const grown = new Array<Tuple | undefined>(this.slots.length * 2).fill(undefined);
    const grownMask = grown.length - 1;
    for (let n = this.oldest; n <= this.last; n++) grown[n & grownMask] = this.slots[n & this.mask];
    this.slots = grown;
    this.mask = grownMask;
  }
}

/** The value of an id as `add` writes it (digits, no leading zero), or -1 for any other string. */
function parseId(id: string): number {
  const length = id.length;
  if (length === 0 || length > 15 || (id.charCodeAt(0) === 48 && length > 1)) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
