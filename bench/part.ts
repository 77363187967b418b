/** Figures one measurement produced: names to numbers (tuples/s, µs, bytes, ...). */
export type Figures = Record<string, number>;

export interface MeasureOptions {
  /** Seconds of measurement after warm-up. */
  seconds: number;
  /** A short run for the test suite: proves the code works, not how fast it is. */
  quick: boolean;
}

/** Where a variant appears in the charts; figures come from its medians. */
export interface ChartPlacement {
  /** Legend entry, e.g. `Topo, 1 process`; the points of one series are joined by a line. */
  series: string;
  /** Throughput chart: the variant's tuples/s at this many workers (processes or threads doing the work). */
  workers?: number;
  /** Latency chart: the variant ran at a fixed offered rate, its `offeredTuplesPerSec` figure. */
  offeredLoad?: boolean;
}

/**
 * One benchmark measurement, run in a fresh process per repetition so that one
 * measurement's heap and JIT state never colour the next.
 */
export interface BenchVariant {
  /** `part/variant`, e.g. `in-process-chain/acked`. */
  id: string;
  /** What is measured, for the report. */
  description: string;
  chart?: ChartPlacement;
  measure(options: MeasureOptions): Promise<Figures>;
}

/**
 * A target the issue tracker set: `subject`'s tuples/s divided by `peer`'s should reach
 * `atLeast`; without a peer, `subject`'s tuples/s itself should (a figure for the bench machine).
 */
export interface BenchTarget {
  subject: string;
  peer?: string;
  atLeast: number;
}

/** Variants that do the same work, reported in one table and compared with `reference`. */
export interface BenchPart {
  name: string;
  /** What the variants have in common, for the report. */
  description: string;
  /** The Topo variant every row's ratio is computed against (its tuples/s over the row's). */
  reference?: string;
  /** Ratios and rates to report with the target beside them, including targets whose variants do not exist yet. */
  targets?: BenchTarget[];
  variants: BenchVariant[];
}
