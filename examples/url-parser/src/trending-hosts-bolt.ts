import { WindowedBolt, type Tuple, type TupleWindow } from '@topo/topology-dsl';

/** How many hosts each evaluation logs. */
const LOGGED_HOSTS = 5;

function countByHost(tuples: readonly Tuple[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tuple of tuples) {
    const host = tuple.get('host') as string;
    counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  return counts;
}

/**
 * Each time its sliding window moves, emits `host, lastMinute, arrived` for every host of
 * the window (and `host, 0, 0` for a host that just left it): `lastMinute` is the host's
 * URLs in the window, `arrived` those that came since the previous evaluation, each URL
 * counted as arrived exactly once, so their sum is a host's running total. Logs the
 * window's busiest hosts. Subscribed with a fields grouping on `host`, each task sees
 * whole hosts.
 */
export class TrendingHostsBolt extends WindowedBolt {
  static outputs = ['host', 'lastMinute', 'arrived'] as const;
  declare static fieldTypes: { host: string; lastMinute: number; arrived: number };

  execute(window: TupleWindow): void {
    const inWindow = countByHost(window.tuples);
    const arrived = countByHost(window.newTuples);
    for (const [host, count] of inWindow) this.emit([host, count, arrived.get(host) ?? 0]);
    for (const host of countByHost(window.expiredTuples).keys()) if (!inWindow.has(host)) this.emit([host, 0, 0]);
    if (inWindow.size === 0) return;
    const top = [...inWindow].sort((a, b) => b[1] - a[1]).slice(0, LOGGED_HOSTS);
    this.context.log('info', `trending until ${new Date(window.end).toISOString()}: ${top.map(([host, n]) => `${host}=${n}`).join(', ')}`);
  }
}
