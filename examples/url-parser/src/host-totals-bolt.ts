import { StatefulBolt, type KeyValueState, type TupleOf } from '@topo/topology-dsl';
import type { TrendingHostsBolt } from './trending-hosts-bolt.js';

/** How many hosts the cleanup log lists. */
const TOP_HOSTS = 10;

/**
 * Adds up the `arrived` counts of TrendingHostsBolt into a running total per host, kept
 * in the task's checkpointed state (with `topology.state.provider: 'redis'`, a Redis hash
 * per task, field = host, value = total), and emits `host, lastMinute, total`. Subscribed
 * with a fields grouping on `host`, so each host's total lives in one task.
 */
export class HostTotalsBolt extends StatefulBolt<number> {
  static outputs = ['host', 'lastMinute', 'total'] as const;
  declare static fieldTypes: { host: string; lastMinute: number; total: number };

  /** Set by initState, which the engine calls before the first process(). */
  private totals: KeyValueState<number> | undefined;

  initState(state: KeyValueState<number>): void {
    this.totals = state;
  }

  process(tuple: TupleOf<typeof TrendingHostsBolt>): void {
    const totals = this.totals!;
    const host = tuple.get('host');
    const total = (totals.get(host) ?? 0) + tuple.get('arrived');
    totals.put(host, total);
    this.emit([host, tuple.get('lastMinute'), total]);
  }

  cleanup(): void {
    // A task stopped before its first checkpoint never had its state.
    if (this.totals === undefined || this.totals.size === 0) return this.context.log('info', 'no URLs counted');
    const top = [...this.totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_HOSTS);
    this.context.log('info', `totals, top ${top.length} of ${this.totals.size} hosts: ${top.map(([host, n]) => `${host}=${n}`).join(', ')}`);
  }
}
