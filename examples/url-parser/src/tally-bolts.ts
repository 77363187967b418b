import { BasicBolt, type Tuple } from '@topo/topology-dsl';

/**
 * Counts inputs per key in the worker that produced them, and on each tick tuple emits
 * what it counted since the last one as `key, count` partial counts (then starts again).
 * Fed by `localOrShuffle()`, it keeps the per-URL traffic inside the worker: only one
 * partial count per key and tick crosses to the fields-grouped count bolt that merges
 * them, where a fields grouping straight into that bolt would move every URL.
 *
 * Each input is acked once it is counted here, as the count bolts ack theirs: the counts
 * live in memory in either layout. The merged counts trail by at most one tick
 * (`topology.tick.tuple.freq.secs`).
 */
abstract class TallyBolt extends BasicBolt {
  private counts = new Map<string, number>();

  protected abstract key(tuple: Tuple): string;

  process(tuple: Tuple): void {
    if (tuple.isTick()) {
      for (const [key, count] of this.counts) this.emit([key, count]);
      this.counts = new Map();
      return;
    }
    const key = this.key(tuple);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

/** Partial counts per host of UrlBolt's default stream, for HostCountBolt to merge. */
export class HostTallyBolt extends TallyBolt {
  static outputs = ['host', 'count'] as const;
  protected key(tuple: Tuple): string {
    return tuple.get('host') as string;
  }
}

/** Partial counts per reason of UrlBolt's `invalid` stream, for InvalidCountBolt to merge. */
export class InvalidTallyBolt extends TallyBolt {
  static outputs = ['reason', 'count'] as const;
  protected key(tuple: Tuple): string {
    return tuple.get('reason') as string;
  }
}
