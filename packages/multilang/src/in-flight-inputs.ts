import type { Tuple } from '@topo/topology-dsl';

/**
 * The inputs a ShellBolt has written to its subprocess and not yet seen acked or failed,
 * by the id it gave each. The ids are decimal counters sent as strings (Storm's wire
 * type); keying by their numeric value spares hashing a freshly decoded string on every
 * ack and anchor, the hottest lookups of a shell bolt.
 */
export class InFlightInputs {
  private readonly byId = new Map<number, Tuple>();
  private last = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Records `tuple` under a new id and returns the id to send. */
  add(tuple: Tuple): string {
    const id = ++this.last;
    this.byId.set(id, tuple);
    return String(id);
  }

  /** A new id for a message that is not an input (a heartbeat). */
  nextId(): string {
    return String(++this.last);
  }

  get(id: string): Tuple | undefined {
    const n = parseId(id);
    return n < 0 ? undefined : this.byId.get(n);
  }

  /** Removes and returns the input `id` names, if it is in flight. */
  take(id: string): Tuple | undefined {
    const n = parseId(id);
    if (n < 0) return undefined;
    const tuple = this.byId.get(n);
    if (tuple !== undefined) this.byId.delete(n);
    return tuple;
  }

  /** Every input in flight, forgotten: for failing them when the subprocess is lost. */
  takeAll(): Tuple[] {
    const all = [...this.byId.values()];
    this.byId.clear();
    return all;
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
