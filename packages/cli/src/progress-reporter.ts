import type { ComponentMetricsSnapshot, RunningTopology } from '@topo/runtime';
import { formatCount } from './format-count.js';

interface SpoutTotals {
  emitted: number;
  acked: number;
  failed: number;
  timedOut: number;
  pending: number;
}

/** What `topo run` reports at the end, as `--json` prints it. */
export interface RunSummary {
  emitted: number;
  acked: number;
  failed: number;
  timedOut: number;
  errors: number;
  pending: number;
  /** Seconds from the first emit to the last ack or fail: the time tuples flowed. */
  flowSecs: number;
  /** Seconds from the start of the run to the summary. */
  runSecs: number;
  /** Acked trees per second of flow. */
  ackedPerSec: number;
  /** Complete latency in milliseconds, when trees were tracked and sampled. */
  completeLatencyMs: { p50: number; p99: number; max: number } | null;
  components: ComponentMetricsSnapshot[];
}

/**
 * The lines `topo run` prints: a progress line per interval and a final summary. Spout
 * counters measure the topology's throughput (one per tree, whatever its fan-out), so
 * the totals sum spout components only; errors are summed over every component.
 * `sample()`, called often, finds when tuples started and stopped flowing, so that the
 * summary's rate is not diluted by start-up, a drain or an idle tail.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private lastAt: number;
  private lastAcked = 0;
  private lastSampleAt: number;
  private lastSettled = 0;
  private flowStart: number | undefined;
  private flowEnd: number | undefined;

  constructor(
    private readonly worker: Pick<RunningTopology, 'definition' | 'metrics' | 'completeLatency'>,
    now = performance.now(),
  ) {
    this.startedAt = now;
    this.lastAt = now;
    this.lastSampleAt = now;
  }

  /** Notes whether tuples flow now: the first sample that sees an emit, the last that sees a tree settle. */
  sample(now = performance.now(), metrics = this.worker.metrics()): void {
    const t = spoutTotals(metrics);
    // Between the previous sample and this one: the earlier bound, so the rate is never overstated.
    if (this.flowStart === undefined && t.emitted > 0) this.flowStart = this.lastSampleAt;
    const settled = t.acked + t.failed;
    if (settled > this.lastSettled) {
      this.lastSettled = settled;
      this.flowEnd = now;
    }
    this.lastSampleAt = now;
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

  /** The final figures; `now` ends the run. */
  summary(now = performance.now()): RunSummary {
    const order = this.worker.definition.components.map((c) => c.name);
    const metrics = this.worker
      .metrics()
      .filter((m) => m.kind !== 'acker')
      .sort((a, b) => order.indexOf(a.component) - order.indexOf(b.component));
    this.sample(now, metrics);
    const t = spoutTotals(metrics);
    const flowMs = this.flowStart !== undefined && this.flowEnd !== undefined ? this.flowEnd - this.flowStart : 0;
    const latency = this.worker.completeLatency();
    return {
      ...t,
      errors: metrics.reduce((sum, m) => sum + m.errors, 0),
      flowSecs: flowMs / 1000,
      runSecs: (now - this.startedAt) / 1000,
      ackedPerSec: flowMs > 0 ? Math.round(t.acked / (flowMs / 1000)) : 0,
      completeLatencyMs:
        latency.count > 0 ? { p50: latency.percentile(50) / 1000, p99: latency.percentile(99) / 1000, max: latency.max / 1000 } : null,
      components: metrics,
    };
  }

  /**
   * The summary line (plain integers, for scripts: `acked 1200`), the complete latency
   * when trees were tracked, and one line per component in the topology's order.
   */
  summaryLines(summary: RunSummary): string[] {
    const s = summary;
    const lines = [
      `summary: emitted ${s.emitted} acked ${s.acked} failed ${s.failed} timed out ${s.timedOut} errors ${s.errors} pending ${s.pending} in ${s.flowSecs.toFixed(1)}s (${s.ackedPerSec} acked/s)`,
    ];
    const latency = s.completeLatencyMs;
    if (latency !== null) lines.push(`complete latency: p50 ${millis(latency.p50)}  p99 ${millis(latency.p99)}  max ${millis(latency.max)}`);
    const width = Math.max(...s.components.map((m) => m.component.length));
    for (const m of s.components) lines.push(`  ${m.component.padEnd(width)}  ${componentCounts(m)}`);
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

function millis(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 0)}ms`;
}
