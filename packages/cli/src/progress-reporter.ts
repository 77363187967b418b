import type { ComponentMetricsSnapshot, RunningTopology } from '@topo/runtime';
import { formatCount } from './format-count.js';

interface SpoutTotals {
  emitted: number;
  acked: number;
  failed: number;
  timedOut: number;
  pending: number;
}

/**
 * The lines `topo run` prints: a progress line per interval and a final summary. Spout
 * counters measure the topology's throughput (one per tree, whatever its fan-out), so
 * the totals sum spout components only; errors are summed over every component.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private lastAt: number;
  private lastAcked = 0;

  constructor(
    private readonly worker: Pick<RunningTopology, 'definition' | 'metrics' | 'completeLatency'>,
    now = performance.now(),
  ) {
    this.startedAt = now;
    this.lastAt = now;
  }

  /** `[  5s] emitted 123,456  acked 123,000  failed 12  pending 456  24,600 tuples/s` (acked per second since the previous line). */
  progressLine(now = performance.now()): string {
    const t = spoutTotals(this.worker.metrics());
    const intervalSecs = (now - this.lastAt) / 1000;
    const rate = intervalSecs > 0 ? (t.acked - this.lastAcked) / intervalSecs : 0;
    this.lastAt = now;
    this.lastAcked = t.acked;
    const elapsed = String(Math.round((now - this.startedAt) / 1000)).padStart(3);
    return `[${elapsed}s] emitted ${formatCount(t.emitted)}  acked ${formatCount(t.acked)}  failed ${formatCount(t.failed)}  pending ${formatCount(t.pending)}  ${formatCount(rate)} tuples/s`;
  }

  /**
   * The summary line (plain integers, for scripts: `acked 1200`), the complete latency
   * when trees were tracked, and one line per component in the topology's order.
   */
  summaryLines(now = performance.now()): string[] {
    const order = this.worker.definition.components.map((c) => c.name);
    const metrics = this.worker
      .metrics()
      .filter((m) => m.kind !== 'acker')
      .sort((a, b) => order.indexOf(a.component) - order.indexOf(b.component));
    const t = spoutTotals(metrics);
    const errors = metrics.reduce((sum, m) => sum + m.errors, 0);
    const secs = (now - this.startedAt) / 1000;
    const rate = secs > 0 ? Math.round(t.acked / secs) : 0;
    const lines = [
      `summary: emitted ${t.emitted} acked ${t.acked} failed ${t.failed} timed out ${t.timedOut} errors ${errors} pending ${t.pending} in ${secs.toFixed(1)}s (${rate} acked/s)`,
    ];
    const latency = this.worker.completeLatency();
    if (latency.count > 0) {
      lines.push(`complete latency: p50 ${millis(latency.percentile(50))}  p99 ${millis(latency.percentile(99))}  max ${millis(latency.max)}`);
    }
    const width = Math.max(...metrics.map((m) => m.component.length));
    for (const m of metrics) lines.push(`  ${m.component.padEnd(width)}  ${componentCounts(m)}`);
    return lines;
  }
}

function spoutTotals(metrics: ComponentMetricsSnapshot[]): SpoutTotals {
  const t: SpoutTotals = { emitted: 0, acked: 0, failed: 0, timedOut: 0, pending: 0 };
  for (const m of metrics) {
    if (m.kind !== 'spout') continue;
    t.emitted += m.emitted;
    t.acked += m.acked;
    t.failed += m.failed;
    t.timedOut += m.timedOut;
    t.pending += m.pending;
  }
  return t;
}

function componentCounts(m: ComponentMetricsSnapshot): string {
  return m.kind === 'spout'
    ? `spout  emitted ${m.emitted}  acked ${m.acked}  failed ${m.failed}  timed out ${m.timedOut}  pending ${m.pending}  errors ${m.errors}`
    : `bolt   executed ${m.executed}  emitted ${m.emitted}  acked ${m.acked}  failed ${m.failed}  errors ${m.errors}`;
}

function millis(micros: number): string {
  return `${(micros / 1000).toFixed(micros < 10_000 ? 2 : 0)}ms`;
}
