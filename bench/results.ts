import type { MachineInfo } from './machine.js';
import type { BenchPart, BenchTarget, ChartPlacement, Figures } from './part.js';

/** What latest.json holds: every run's figures, their medians, and the targets' figures computed from the medians. */
export interface BenchResults {
  date: string;
  /** The machine as the run started, and its load average as it ended. */
  machine: MachineInfo;
  loadAverageAtEnd: number[];
  runsPerVariant: number;
  secondsPerRun: number;
  quick: boolean;
  /** A run during which other processes took more CPU (cores) than this was measured again, */
  disturbedCores: number;
  /** up to this many attempts in all, keeping the least disturbed. */
  maxAttempts: number;
  parts: PartResult[];
}

export interface PartResult {
  name: string;
  description: string;
  reference?: string;
  variants: VariantResult[];
  targets: TargetResult[];
}

export interface VariantResult {
  id: string;
  description: string;
  chart?: ChartPlacement;
  runs: Figures[];
  /** Extra attempts its runs took because other processes disturbed them. */
  repeated: number;
  median: Figures;
}

/** A target's ratio of median tuples/s (or the subject's median tuples/s, without a peer); null when a side was not measured in this run. */
export interface TargetResult extends BenchTarget {
  measured: number | null;
  reached: boolean | null;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each figure over the runs that produced it. */
export function medianFigures(runs: Figures[]): Figures {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Figures = {};
  for (const key of keys) out[key] = median(runs.map((r) => r[key]).filter((v) => typeof v === 'number'));
  return out;
}

/** Medians of a part's measured variants (those run, in part order) and its targets' figures. */
export function partResult(part: BenchPart, runs: ReadonlyMap<string, Figures[]>, repeated: ReadonlyMap<string, number>): PartResult {
  const variants = part.variants
    .filter((v) => runs.has(v.id))
    .map((v) => ({ id: v.id, description: v.description, chart: v.chart, runs: runs.get(v.id)!, repeated: repeated.get(v.id) ?? 0, median: medianFigures(runs.get(v.id)!) }));
  const rate = (id: string) => variants.find((v) => v.id === id)?.median.tuplesPerSec;
  const targets = (part.targets ?? []).map((target) => {
    const subject = rate(target.subject);
    const peer = target.peer === undefined ? 1 : rate(target.peer);
    const measured = subject === undefined || peer === undefined ? null : subject / peer;
    return { ...target, measured, reached: measured === null ? null : measured >= target.atLeast };
  });
  return { name: part.name, description: part.description, reference: part.reference, variants, targets };
}
