import { BasicBolt, type Tuple } from '@topo/topology-dsl';
import { urlsCounted } from './urls-counted.js';

/**
 * Counts malformed URLs per reason from UrlBolt's `invalid` stream (or adds up an
 * InvalidTallyBolt's partial counts), emitting each new count as `reason, count` and
 * logging the totals at cleanup. It acks what it counts, so a malformed URL's tree
 * completes and the spout does not replay it.
 */
export class InvalidCountBolt extends BasicBolt {
  static outputs = ['reason', 'count'] as const;

  private readonly counts = new Map<string, number>();

  process(tuple: Tuple): void {
    const reason = tuple.get('reason') as string;
    const count = (this.counts.get(reason) ?? 0) + urlsCounted(tuple);
    this.counts.set(reason, count);
    this.emit([reason, count]);
  }

  cleanup(): void {
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    this.context.log('info', `invalid URLs: ${total}${total > 0 ? ` (${[...this.counts].map(([reason, n]) => `${reason}=${n}`).join(', ')})` : ''}`);
  }
}
