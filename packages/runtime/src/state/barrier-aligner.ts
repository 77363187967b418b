import type { TupleImpl } from '../tuple-impl.js';

/** What one copy of a barrier did: completed it, left it waiting for more copies, or met an open alignment for another barrier. */
export type BarrierArrival = 'complete' | 'wait' | 'conflict';

/**
 * The checkpoint barriers of one task, which arrive once from each upstream task that
 * sends it `$checkpoint` (its channels). Aligned (Topo's default): once a barrier arrived
 * on a channel, that channel's later tuples wait in `held` until it has arrived on every
 * channel, so the snapshot holds exactly what was sent before the barrier. Unaligned
 * (Storm's counting): copies are counted per (action, txid) and nothing waits.
 */
export class BarrierAligner {
  /** Tuples from channels whose barrier arrived, in arrival order, until the barrier is complete. */
  held: TupleImpl[] = [];
  private readonly expected: number;
  private key: string | undefined;
  private readonly arrived = new Set<number>();
  private readonly counts = new Map<string, number>();

  constructor(
    channels: ReadonlySet<number>,
    readonly aligned: boolean,
  ) {
    this.expected = channels.size;
  }

  /** True when a data tuple from `channel` must wait for the barrier to complete. */
  holds(channel: number): boolean {
    return this.arrived.size > 0 && this.arrived.has(channel);
  }

  /** Counts a copy of the barrier `key` (action and txid) from `channel`. */
  arrive(channel: number, key: string): BarrierArrival {
    if (!this.aligned) {
      const count = (this.counts.get(key) ?? 0) + 1;
      if (count < this.expected) {
        this.counts.set(key, count);
        return 'wait';
      }
      this.counts.delete(key);
      return 'complete';
    }
    if (this.arrived.size > 0 && key !== this.key) return 'conflict';
    this.key = key;
    this.arrived.add(channel);
    if (this.arrived.size < this.expected) return 'wait';
    this.arrived.clear();
    this.key = undefined;
    return 'complete';
  }

  /** Ends the open alignment (complete or abandoned): returns the tuples it held, in arrival order. */
  release(): TupleImpl[] {
    this.arrived.clear();
    this.key = undefined;
    const held = this.held;
    this.held = [];
    return held;
  }

  /** Forgets partial counts: a rollback or a new start makes them stale (Storm never resets them; port note 6). */
  resetCounts(): void {
    this.counts.clear();
  }
}
