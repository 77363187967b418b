/**
 * A log-linear latency histogram (HDR-style: 3 significant digits from 1 µs to about an
 * hour) in a fixed Float64Array: recording allocates nothing and percentiles are exact
 * to the bucket width, unlike an average.
 */
export class LatencyHistogram {
  private static readonly SUB_BUCKETS = 2048;
  private static readonly MAGNITUDES = 32;
  private readonly counts = new Float64Array(LatencyHistogram.SUB_BUCKETS * LatencyHistogram.MAGNITUDES);
  count = 0;
  max = 0;

  /** Records a value in microseconds. */
  record(micros: number): void {
    const v = micros < 1 ? 1 : micros;
    this.counts[LatencyHistogram.indexOf(v)]++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** The value (µs) at or below which `p` percent of recorded values fall. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= target) return Math.min(LatencyHistogram.upperBoundOf(i), this.max);
    }
    return this.max;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  /** Non-empty buckets as flat [index, count, ...]: small enough to send in a heartbeat. */
  toSparse(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) out.push(i, this.counts[i]);
    return out;
  }

  /** Adds buckets produced by `toSparse()` (of a histogram whose largest value was `max`). */
  mergeSparse(sparse: readonly number[], max: number): void {
    for (let i = 0; i < sparse.length; i += 2) {
      this.counts[sparse[i]] += sparse[i + 1];
      this.count += sparse[i + 1];
    }
    if (max > this.max) this.max = max;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  private static indexOf(v: number): number {
    const sub = LatencyHistogram.SUB_BUCKETS;
    if (v < sub) return Math.floor(v);
    const magnitude = Math.min(LatencyHistogram.MAGNITUDES - 1, Math.floor(Math.log2(v / sub)) + 1);
    const scaled = Math.floor(v / 2 ** magnitude);
    return magnitude * sub + Math.min(sub - 1, scaled);
  }

  private static upperBoundOf(index: number): number {
    const sub = LatencyHistogram.SUB_BUCKETS;
    const magnitude = Math.floor(index / sub);
    const offset = index % sub;
    return magnitude === 0 ? offset + 1 : (offset + 1) * 2 ** magnitude;
  }
}
