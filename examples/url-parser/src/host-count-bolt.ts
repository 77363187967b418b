import { BasicBolt, type Tuple } from '@topo/topology-dsl';
import { urlsCounted } from './urls-counted.js';

/** How many hosts the cleanup log lists. */
const TOP_HOSTS = 10;

/**
 * Counts URLs per host. Subscribed with a fields grouping on `host`, so each host is
 * counted by exactly one task and every count is whole. An input with a `count` field
 * (a HostTallyBolt's partial count) adds that many. Emits each new count as
 * `host, count` for anything downstream, and logs the task's top hosts at cleanup.
 */
export class HostCountBolt extends BasicBolt {
  static outputs = ['host', 'count'] as const;

  private readonly counts = new Map<string, number>();

  process(tuple: Tuple): void {
    const host = tuple.get('host') as string;
    const count = (this.counts.get(host) ?? 0) + urlsCounted(tuple);
    this.counts.set(host, count);
    this.emit([host, count]);
  }

  cleanup(): void {
    if (this.counts.size === 0) return this.context.log('info', 'no URLs counted');
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, TOP_HOSTS);
    this.context.log('info', `top ${top.length} of ${this.counts.size} hosts: ${top.map(([host, n]) => `${host}=${n}`).join(', ')}`);
  }
}
