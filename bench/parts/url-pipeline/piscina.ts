import { LatencyHistogram } from '@topo/runtime';
import { Piscina } from 'piscina';
import { latencyFigures } from '../../latency-figures.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { loadUrls } from '../../url-list.js';
import { measureWindow } from '../../window.js';

/** URLs per task: enough that a task's round trip costs little beside its parsing. */
const BATCH = 1000;
/** Tasks in flight per thread, so a thread never waits for the main thread to merge and resubmit. */
const TASKS_PER_THREAD = 2;

/**
 * The "just use threads" answer: the main thread cuts the URLs into batches, a piscina
 * pool of `threads` worker threads parses them and returns counts per host, and the main
 * thread merges the counts. No delivery guarantee: a crashed thread loses its batch.
 * Latency is a batch's round trip, which each of its URLs waits.
 */
export async function piscinaPool(threads: number, options: MeasureOptions): Promise<Figures> {
  const urls = loadUrls();
  const pool = new Piscina({ filename: new URL('./piscina-task.ts', import.meta.url).href, minThreads: threads, maxThreads: threads });
  const counts = new Map<string, number>();
  const latency = new LatencyHistogram();
  let completed = 0;
  let next = 0;
  let running = true;
  const inFlight = new Set<Promise<void>>();

  function submit(): void {
    const batch: string[] = [];
    for (let i = 0; i < BATCH; i++, next = (next + 1) % urls.length) batch.push(urls[next]);
    const sentAt = performance.now();
    const task = (pool.run(batch) as Promise<Map<string, number>>).then((partial) => {
      for (const [key, n] of partial) counts.set(key, (counts.get(key) ?? 0) + n);
      latency.record((performance.now() - sentAt) * 1000);
      completed += batch.length;
      inFlight.delete(task);
      if (running) submit();
    });
    inFlight.add(task);
  }
  for (let i = 0; i < threads * TASKS_PER_THREAD; i++) submit();

  const figures = await measureWindow(options, { completed: () => completed, windowOpened: () => latency.reset() });
  running = false;
  await Promise.all(inFlight);
  await pool.destroy();
  return { ...figures, ...latencyFigures(latency) };
}
