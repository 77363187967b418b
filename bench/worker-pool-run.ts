import { LatencyHistogram, LocalWorkerPool, silentLogger } from '@topo/runtime';
import type { TopologyConfig } from '@topo/topology-dsl';
import { latencyFigures, sparseSince } from './latency-figures.js';
import { processCpuSeconds, processPeakRssMiB } from './machine.js';
import type { Figures, MeasureOptions } from './part.js';
import { measureWindow } from './window.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Heartbeat = ReturnType<LocalWorkerPool['heartbeats']>[number];

/** A topology running in worker processes, as `topo run --workers N` runs it. */
export interface PoolRun {
  pool: LocalWorkerPool;
  /** Trees the spout component has seen acked, from the workers' last heartbeats. */
  acked(): number;
  /** Trees one worker's spout tasks had seen acked when it sent this heartbeat. */
  ackedIn(heartbeat: Heartbeat): number;
}

export async function startPool(topologyFile: string, exportName: string, workers: number, spout: string, config: TopologyConfig = {}): Promise<PoolRun> {
  const pool = await LocalWorkerPool.start({ topologyFile, exportName, workers, config, logger: silentLogger() });
  pool.activate();
  return {
    pool,
    acked: () => pool.metrics().find((m) => m.component === spout)?.acked ?? 0,
    ackedIn: (heartbeat) => heartbeat.metrics.find((m) => m.component === spout)?.acked ?? 0,
  };
}

/**
 * Acked trees per second between two sets of heartbeats, each worker's count over the
 * time between its own two heartbeats. Counts read at the window's edges are up to a
 * heartbeat (0.5 s) old, and when the two edges catch different phases of it a 4 s window
 * gains or loses an eighth; the heartbeats' own times do not. Undefined when no worker
 * sent a new heartbeat in between (a quick run's short window).
 */
function heartbeatRate(run: PoolRun, opened: Heartbeat[], closed: Heartbeat[]): number | undefined {
  let rate: number | undefined;
  for (const last of closed) {
    const first = opened.find((h) => h.workerId === last.workerId);
    if (first === undefined || last.sentAt <= first.sentAt) continue;
    rate = (rate ?? 0) + ((run.ackedIn(last) - run.ackedIn(first)) * 1000) / (last.sentAt - first.sentAt);
  }
  return rate;
}

function workerPids(run: PoolRun): number[] {
  return [...run.pool.pids().values()].filter((pid): pid is number => pid !== undefined);
}

/**
 * Spout trees acked per second over the window, with the workers' complete latency
 * recorded in that window only, the bytes per tuple their connections sent, and the
 * workers' CPU (counted with this process's) and summed peak RSS.
 */
export async function measurePool(run: PoolRun, options: MeasureOptions): Promise<Figures> {
  let before = new Map<string, number[]>();
  let opened: Heartbeat[] = [];
  const figures = await measureWindow(options, {
    completed: () => run.acked(),
    windowOpened: () => {
      opened = run.pool.heartbeats();
      before = new Map(opened.map((h) => [h.workerId, h.latency.buckets]));
    },
    helperCpuSeconds: () => workerPids(run).reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
  });
  figures.tuplesPerSec = heartbeatRate(run, opened, run.pool.heartbeats()) ?? figures.tuplesPerSec;
  const childrenPeakRssMiB = workerPids(run).reduce((sum, pid) => sum + processPeakRssMiB(pid), 0);
  // Heartbeats come every half second: wait for one from after the window closed.
  await sleep(600);
  const window = new LatencyHistogram();
  for (const h of run.pool.heartbeats()) window.mergeSparse(sparseSince(before.get(h.workerId) ?? [], h.latency.buckets), h.latency.max);
  const wire = run.pool
    .heartbeats()
    .reduce((t, h) => ({ frames: t.frames + h.transport.framesSent, bytes: t.bytes + h.transport.bytesSent, tuples: t.tuples + h.transport.tuplesSent }), { frames: 0, bytes: 0, tuples: 0 });
  // Frames both ways count, those of acks alone too: what waking the other worker costs is per frame.
  const wireFigures: Figures = wire.tuples > 0 ? { wireBytesPerTuple: wire.bytes / wire.tuples, tuplesPerFrame: wire.tuples / wire.frames } : {};
  return { ...figures, childrenPeakRssMiB, ...latencyFigures(window), ...wireFigures };
}

/** Starts the pool, measures it and stops it whatever happens. */
export async function measureNewPool(
  options: MeasureOptions,
  start: () => Promise<PoolRun>,
  measure: (run: PoolRun) => Promise<Figures> = (run) => measurePool(run, options),
): Promise<Figures> {
  const run = await start();
  try {
    return await measure(run);
  } finally {
    await run.pool.stop();
  }
}
