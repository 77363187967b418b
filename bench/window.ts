import { scaledMs } from '@topo/runtime';
import { TopoError } from '@topo/topology-dsl';
import { machineBusySeconds } from './machine.js';
import type { Figures, MeasureOptions } from './part.js';

export interface WindowProbe {
  /** Work items finished so far (acked trees, last-stage jobs, parsed URLs). */
  completed(): number;
  /** Called when the measured window opens, to drop what warm-up recorded (latency histograms). */
  windowOpened?(): void;
  /** CPU seconds used so far by helper processes the variant depends on (its redis-server, its worker processes). */
  helperCpuSeconds?(): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a variant may take to finish its first items before the bench gives up on it; a quick run (the test suite's) shares the machine, and has it on the test time scale. */
const firstItemDeadlineMs = (options: MeasureOptions) => (options.quick ? scaledMs(30_000) : 30_000);

/**
 * Cores other processes kept busy while the variant's `own` ran: what the machine was
 * busy with beyond it. Clamped at 0, since the two clocks tick at different grains.
 */
export function otherCores(machine: number, own: number): number {
  return Math.max(0, machine - own);
}

/** Resolves once more than `count` items have completed. */
async function completionAfter(probe: WindowProbe, count: number, deadline: number, limitMs: number): Promise<void> {
  while (probe.completed() <= count) {
    if (performance.now() > deadline) throw new TopoError(`nothing completed within ${limitMs / 1000} s of starting`);
    await sleep(10);
  }
}

/**
 * Lets the variant warm up (JIT, connections, steady queues) until it has finished at
 * least one item, then counts completions over `options.seconds` (or until the first
 * completion in the window, if that comes later). `cpuCores` is the CPU time of this
 * process and its helpers over the window divided by its length: how many cores the
 * variant kept busy; `helperCpuCores` is the helpers' share of it; `otherCpuCores` what
 * the rest of the machine took meanwhile, which says how far to trust the run.
 */
export async function measureWindow(options: MeasureOptions, probe: WindowProbe): Promise<Figures> {
  const limitMs = firstItemDeadlineMs(options);
  const deadline = performance.now() + limitMs;
  await sleep(options.quick ? 100 : 1000);
  await completionAfter(probe, 0, deadline, limitMs);
  probe.windowOpened?.();
  const before = probe.completed();
  const cpuBefore = process.cpuUsage();
  const helperBefore = probe.helperCpuSeconds?.() ?? 0;
  const machineBefore = machineBusySeconds();
  const t0 = performance.now();
  await sleep(options.seconds * 1000);
  // A rate needs at least one event: a slow starter's short (quick) window stays open until it has one.
  await completionAfter(probe, before, deadline, limitMs);
  const after = probe.completed();
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const helper = (probe.helperCpuSeconds?.() ?? 0) - helperBefore;
  const cpuCores = ((cpu.user + cpu.system) / 1e6 + helper) / elapsed;
  const figures: Figures = { tuplesPerSec: (after - before) / elapsed, cpuCores, otherCpuCores: otherCores((machineBusySeconds() - machineBefore) / elapsed, cpuCores) };
  if (probe.helperCpuSeconds !== undefined) figures.helperCpuCores = helper / elapsed;
  return figures;
}
