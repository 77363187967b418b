import type { TopologyStatsBody } from '@topo/nimbus';
import { formatCount } from './format-count.js';

/**
 * `topo stats`'s table: one row per spout and bolt for the window, with Storm's columns
 * (counts, capacity, latencies in ms), and the topology's totals above it.
 */
export function statsTable(name: string, status: string, body: TopologyStatsBody): string[] {
  const total = body.topologyStats.find((t) => t.window === body.window);
  const header = `${name}  ${status}  window ${body.windowHint}` + (total === undefined ? '' : `  acked ${formatCount(total.acked)}  failed ${formatCount(total.failed)}  complete latency ${total.completeLatency} ms`);
  const rows = [['component', 'type', 'executors', 'emitted', 'transferred', 'executed', 'acked', 'failed', 'capacity', 'execute ms', 'process ms', 'complete ms']];
  for (const s of body.spouts) {
    rows.push([s.spoutId, 'spout', String(s.executors), formatCount(s.emitted), formatCount(s.transferred), '', formatCount(s.acked), formatCount(s.failed), '', '', '', s.completeLatency]);
  }
  for (const b of body.bolts) {
    rows.push([b.boltId, 'bolt', String(b.executors), formatCount(b.emitted), formatCount(b.transferred), formatCount(b.executed), formatCount(b.acked), formatCount(b.failed), b.capacity, b.executeLatency, b.processLatency, '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  // Names left-aligned, numbers right-aligned, as in `topo run`'s summary.
  const line = (r: string[]) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [header, '', line(rows[0]), ...rows.slice(1).map(line)];
}
