import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { machineBusySeconds } from '../../machine.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { loadUrls } from '../../url-list.js';
import { countKey, countOne } from '../../url-work.js';
import { otherCores } from '../../window.js';

const execFileAsync = promisify(execFile);
const PROCESS_ENTRY = fileURLToPath(new URL('./tight-loop-process.ts', import.meta.url));
/** URLs parsed between two looks at the clock. */
const CHUNK = 1000;

/** What one loop did over its measured window. */
export interface LoopResult {
  parsed: number;
  seconds: number;
  /** CPU seconds its process used over the window. */
  cpuSeconds: number;
  /** CPU seconds the whole machine was busy over the window. */
  machineCpuSeconds: number;
  /** Its process's peak resident set. */
  peakRssMiB: number;
}

/**
 * The limit: the example's parse and count over the URLs in a loop, with nothing else,
 * for `warmupMs` (JIT) and then for `seconds`, which is measured.
 */
export function tightLoop(urls: readonly string[], warmupMs: number, seconds: number): LoopResult {
  const counts = new Map<string, number>();
  let next = 0;
  const run = (until: number): number => {
    let parsed = 0;
    do {
      for (let i = 0; i < CHUNK; i++) {
        countOne(counts, countKey(urls[next]));
        next = next + 1 === urls.length ? 0 : next + 1;
      }
      parsed += CHUNK;
    } while (performance.now() < until);
    return parsed;
  };
  run(performance.now() + warmupMs);
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const t0 = performance.now();
  const parsed = run(t0 + seconds * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    parsed,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    machineCpuSeconds: machineBusySeconds() - machineBefore,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

const warmupMs = (options: MeasureOptions) => (options.quick ? 100 : 1000);

/** One core: the loop on the main thread. */
export async function tightLoopOneCore(options: MeasureOptions): Promise<Figures> {
  const { parsed, seconds, cpuSeconds, machineCpuSeconds } = tightLoop(loadUrls(), warmupMs(options), options.seconds);
  return { tuplesPerSec: parsed / seconds, cpuCores: cpuSeconds / seconds, otherCpuCores: otherCores(machineCpuSeconds / seconds, cpuSeconds / seconds) };
}

/**
 * Every core: the same loop in `processes` child processes at once, their rates summed.
 * Processes rather than worker threads because tsx's loader does not reach worker threads
 * on Node 20; a loop that shares nothing runs the same in either.
 */
export async function tightLoopProcesses(processes: number, options: MeasureOptions): Promise<Figures> {
  const results = await Promise.all(
    Array.from({ length: processes }, async () => {
      const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', PROCESS_ENTRY, String(warmupMs(options)), String(options.seconds)], { encoding: 'utf8' });
      return JSON.parse(stdout) as LoopResult;
    }),
  );
  const sum = (f: (r: LoopResult) => number) => results.reduce((total, r) => total + f(r), 0);
  const cpuCores = sum((r) => r.cpuSeconds / r.seconds);
  // The loops' windows all but coincide, so each saw the whole machine over the same time.
  const machineCores = sum((r) => r.machineCpuSeconds / r.seconds) / results.length;
  return { tuplesPerSec: sum((r) => r.parsed / r.seconds), cpuCores, otherCpuCores: otherCores(machineCores, cpuCores), childrenPeakRssMiB: sum((r) => r.peakRssMiB) };
}
