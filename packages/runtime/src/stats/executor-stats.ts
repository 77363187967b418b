/**
 * What one executor counts, per stream: plain increments into typed arrays indexed by the
 * topology's StreamCatalog index (the tuple already carries it), so counting costs one
 * array store and allocates nothing. Outputs (emitted, transferred) are keyed by the
 * executor's own streams; a bolt's executed, acked and failed by the input's
 * (source component, stream), a spout's acked and failed by the stream of the tree's root.
 * Latencies are sums and counts of sampled measurements (`topology.stats.sample.rate`),
 * in milliseconds: windows turn them into Storm's averages at report time.
 */
export class ExecutorStats {
  readonly emitted: Float64Array;
  readonly transferred: Float64Array;
  readonly executed: Float64Array;
  readonly acked: Float64Array;
  readonly failed: Float64Array;
  readonly executeMs: Float64Array;
  readonly executeSamples: Float64Array;
  readonly processMs: Float64Array;
  readonly processSamples: Float64Array;
  readonly completeMs: Float64Array;
  readonly completeSamples: Float64Array;
  /** Spout: trees failed by the message timeout (also counted in `failed`). */
  timedOut = 0;
  errors = 0;
  /** Counters the component keeps itself (`context.incrMetric`), created on first use. */
  custom: Record<string, number> | undefined = undefined;
  /** One measurement in this many is taken (1 / `topology.stats.sample.rate`). */
  readonly sampleEvery: number;
  private sinceSample = 0;
  readonly startedAt = Date.now();

  constructor(
    /** Streams in the topology's StreamCatalog. */
    readonly streams: number,
    sampleRate: number,
  ) {
    const arrays = Array.from({ length: STAT_ARRAYS }, () => new Float64Array(streams));
    [this.emitted, this.transferred, this.executed, this.acked, this.failed, this.executeMs, this.executeSamples, this.processMs, this.processSamples, this.completeMs, this.completeSamples] = arrays;
    this.sampleEvery = Math.max(1, Math.round(1 / sampleRate));
  }

  /** True once every `sampleEvery` calls: whether to time this event. */
  sample(): boolean {
    if (++this.sinceSample < this.sampleEvery) return false;
    this.sinceSample = 0;
    return true;
  }

  incrCustom(name: string, amount: number): void {
    const custom = (this.custom ??= {});
    custom[name] = (custom[name] ?? 0) + amount;
  }

  /** Every per-stream counter, laid end to end in `STAT_NAMES` order: what rolling windows keep. */
  vector(into = new Float64Array(STAT_ARRAYS * this.streams)): Float64Array {
    const n = this.streams;
    into.set(this.emitted, 0);
    into.set(this.transferred, n);
    into.set(this.executed, 2 * n);
    into.set(this.acked, 3 * n);
    into.set(this.failed, 4 * n);
    into.set(this.executeMs, 5 * n);
    into.set(this.executeSamples, 6 * n);
    into.set(this.processMs, 7 * n);
    into.set(this.processSamples, 8 * n);
    into.set(this.completeMs, 9 * n);
    into.set(this.completeSamples, 10 * n);
    return into;
  }

  total(counter: Float64Array): number {
    let sum = 0;
    for (let i = 0; i < counter.length; i++) sum += counter[i];
    return sum;
  }
}

/** The per-stream arrays of ExecutorStats, in the order `vector()` lays them out. */
export const STAT_NAMES = ['emitted', 'transferred', 'executed', 'acked', 'failed', 'executeMs', 'executeSamples', 'processMs', 'processSamples', 'completeMs', 'completeSamples'] as const;
export type StatName = (typeof STAT_NAMES)[number];
const STAT_ARRAYS = STAT_NAMES.length;
