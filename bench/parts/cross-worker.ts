import { fileURLToPath } from 'node:url';
import { LatencyHistogram, LocalWorkerPool } from '@topo/runtime';
import { latencyFigures } from '../latency-figures.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

const topologyFile = fileURLToPath(new URL('./cross-worker/topology.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PoolRun {
  pool: LocalWorkerPool;
  acked(): number;
}

async function startPool(exportName: string, workers: number, config: Record<string, number>): Promise<PoolRun> {
  const pool = await LocalWorkerPool.start({ topologyFile, exportName, workers, config, logger: () => {} });
  pool.activate();
  return { pool, acked: () => pool.metrics().find((m) => m.component === 'spout')?.acked ?? 0 };
}

/** The pool's workers do the work; the CPU this process used would only mislead. */
function withoutCpu(figures: Figures): Figures {
  const { cpuCores: _cpuCores, ...rest } = figures;
  return rest;
}

/** Spout trees acked per second over the window, with the workers' latency recorded in that window only. */
async function measurePool(run: PoolRun, options: MeasureOptions): Promise<Figures> {
  let before: Map<string, number[]> = new Map();
  const figures = await measureWindow(options, {
    completed: () => run.acked(),
    windowOpened: () => {
      before = new Map(run.pool.heartbeats().map((h) => [h.workerId, h.latency.buckets]));
    },
  });
  // Heartbeats come every half second: wait for one from after the window closed.
  await sleep(600);
  const window = new LatencyHistogram();
  for (const h of run.pool.heartbeats()) window.mergeSparse(subtract(h.latency.buckets, before.get(h.workerId) ?? []), h.latency.max);
  const wire = run.pool.heartbeats().reduce((t, h) => ({ bytes: t.bytes + h.transport.bytesSent, tuples: t.tuples + h.transport.tuplesSent }), { bytes: 0, tuples: 0 });
  return { ...withoutCpu(figures), ...latencyFigures(window), ...(wire.tuples > 0 ? { wireBytesPerTuple: wire.bytes / wire.tuples } : {}) };
}

/** Bucket counts of `after` minus those of `before` (both sparse [index, count, ...]). */
function subtract(after: number[], before: number[]): number[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < after.length; i += 2) counts.set(after[i], after[i + 1]);
  for (let i = 0; i < before.length; i += 2) counts.set(before[i], (counts.get(before[i]) ?? 0) - before[i + 1]);
  return [...counts].filter(([, n]) => n > 0).flat();
}

async function peak(options: MeasureOptions): Promise<Figures> {
  const run = await startPool('CrossWorker', 2, {});
  try {
    return await measurePool(run, options);
  } finally {
    await run.pool.stop();
  }
}

/** Finds the peak rate first, then offers half of it and reports latency at that load. */
async function halfPeakLatency(options: MeasureOptions): Promise<Figures> {
  const probe = await startPool('CrossWorker', 2, {});
  let peakRate: number;
  try {
    peakRate = (await measureWindow({ ...options, seconds: Math.max(1, options.seconds / 2) }, { completed: () => probe.acked() })).tuplesPerSec;
  } finally {
    await probe.pool.stop();
  }
  const offered = Math.round(peakRate / 2);
  const run = await startPool('CrossWorker', 2, { 'bench.rate': offered });
  try {
    return { ...(await measurePool(run, options)), offeredTuplesPerSec: offered };
  } finally {
    await run.pool.stop();
  }
}

/** The same CPU-heavy sink over one worker process, then two: the speed-up is their ratio. */
async function cpuBoundSpeedup(options: MeasureOptions): Promise<Figures> {
  const work = options.quick ? 200 : 2000;
  const rates: number[] = [];
  for (const workers of [1, 2]) {
    const run = await startPool('CpuBound', workers, { 'bench.work': work });
    try {
      rates.push((await measureWindow(options, { completed: () => run.acked() })).tuplesPerSec);
    } finally {
      await run.pool.stop();
    }
  }
  return { tuplesPerSec: rates[1], oneWorkerTuplesPerSec: rates[0], speedup: rates[1] / rates[0], hashRoundsPerTuple: work };
}

export const crossWorker: BenchPart = {
  name: 'cross-worker',
  description:
    'Two worker processes on this machine: the spout in one, its bolt in the other, every tree acked across the TCP connection (msgpackr frames). Latency is spout emit to ack.',
  variants: [
    {
      id: 'cross-worker/peak',
      description: 'as fast as the spout can emit (max spout pending 20,000); wire bytes per tuple from the transport counters',
      chart: { series: 'Topo, spout and bolt in 2 processes', workers: 2 },
      measure: peak,
    },
    {
      id: 'cross-worker/half-peak-latency',
      description: 'latency percentiles at half of the peak rate (measured first in the same run)',
      chart: { series: 'Topo, 2 processes', offeredLoad: true },
      measure: halfPeakLatency,
    },
    {
      id: 'cross-worker/cpu-bound-speedup',
      description: 'a CPU-bound bolt (2,000 hash rounds per tuple, p 2) in 1 worker, then 2 workers: speed-up = 2-worker rate / 1-worker rate',
      measure: cpuBoundSpeedup,
    },
  ],
};
