import { fileURLToPath } from 'node:url';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureNewPool, measurePool, startPool } from '../worker-pool-run.js';

const topologyFile = fileURLToPath(new URL('./cross-worker/topology.ts', import.meta.url));
const start = (exportName: string, workers: number, config: Record<string, number> = {}) => startPool(topologyFile, exportName, workers, 'spout', config);

function peak(options: MeasureOptions): Promise<Figures> {
  return measureNewPool(options, () => start('CrossWorker', 2));
}

/** Finds the peak rate first, then offers half of it and reports latency at that load. */
async function halfPeakLatency(options: MeasureOptions): Promise<Figures> {
  // A full run probes for a second at least, for a peak worth halving; a quick run only proves the variant works, at its own window.
  const probeOptions = { ...options, seconds: options.quick ? options.seconds : Math.max(1, options.seconds / 2) };
  const { tuplesPerSec: peakRate } = await measureNewPool(options, () => start('CrossWorker', 2), (probe) => measurePool(probe, probeOptions));
  const offered = Math.round(peakRate / 2);
  const figures = await measureNewPool(options, () => start('CrossWorker', 2, { 'bench.rate': offered }));
  return { ...figures, offeredTuplesPerSec: offered, peakTuplesPerSec: peakRate };
}

/** A rate far below what two workers manage anywhere, as much of production runs. */
const MODERATE_RATE = 50_000;
/** Messages per frame in the batched variant, with Storm's default 1 ms flush interval for a partial one. */
const TRANSFER_BATCH = 100;

/** The CPU that moving MODERATE_RATE tuples a second between two workers costs, with frames sent at once or batched. */
function moderateLoad(batch: number) {
  return (options: MeasureOptions): Promise<Figures> =>
    measureNewPool(options, () => start('CrossWorker', 2, { 'bench.rate': MODERATE_RATE, 'topology.transfer.batch.size': batch }));
}

/** Hash rounds per tuple in the CPU-bound variant: about 20 µs of work, far above what moving a tuple costs. */
const WORK_ROUNDS = 20_000;

/** The same CPU-heavy sink over one worker process, then two: the speed-up is their ratio. */
async function cpuBoundSpeedup(options: MeasureOptions): Promise<Figures> {
  const work = options.quick ? 2_000 : WORK_ROUNDS;
  const rates: number[] = [];
  for (const workers of [1, 2]) {
    const { tuplesPerSec } = await measureNewPool(options, () => start('CpuBound', workers, { 'bench.work': work }));
    rates.push(tuplesPerSec);
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
      description: 'as fast as the spout can emit (max spout pending 20,000); wire bytes per tuple: every frame byte both ways (the tuples, and the ack records coming back to the acker in the spout\'s worker) over tuples sent',
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
      id: 'cross-worker/moderate-load',
      description: `${MODERATE_RATE.toLocaleString('en-US')} tuples/s offered, every frame sent at the end of the slice that filled it (topology.transfer.batch.size 1, Storm's default): at such a rate a frame carries a tuple or two, and waking the other process for each costs more CPU than the tuples`,
      measure: moderateLoad(1),
    },
    {
      id: 'cross-worker/moderate-load-batched',
      description: `as moderate-load, with topology.transfer.batch.size ${TRANSFER_BATCH}: a frame goes once it holds ${TRANSFER_BATCH} messages or has waited topology.batch.flush.interval.millis (1 ms)`,
      measure: moderateLoad(TRANSFER_BATCH),
    },
    {
      id: 'cross-worker/cpu-bound-speedup',
      description: `a CPU-bound bolt (${WORK_ROUNDS.toLocaleString('en-US')} hash rounds per tuple; spout and bolt p 2, shuffle) in 1 worker, then 2 workers: speed-up = 2-worker rate / 1-worker rate`,
      measure: cpuBoundSpeedup,
    },
  ],
};
