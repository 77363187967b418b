import type { WorkerFailure } from './state/worker-failure.js';
import type { WorkerHeartbeat } from './state/worker-heartbeat.js';

/** Restarts in a row, with the latest start failed or the process young, that make a crash loop. */
const CRASH_LOOP_RESTARTS = 2;
/** A process younger than this after several restarts has not shown it stays up. */
const YOUNG_MS = 60_000;

/**
 * What is wrong with one worker, as a phrase for the topology's status, or undefined when
 * nothing is: `crash-looping: <why its start failed>` when it keeps dying and its latest
 * start failed (or it never lives long), `failed to start: <why>` after one failure.
 */
export function workerHealth(beat: WorkerHeartbeat | undefined, failure: WorkerFailure | undefined, now: number): string | undefined {
  const restarts = beat?.restarts ?? 0;
  const young = beat === undefined || beat.pid === 0 || now - beat.startedAt < YOUNG_MS;
  if (restarts >= CRASH_LOOP_RESTARTS && (failure !== undefined || young)) {
    return `crash-looping: ${failure?.message ?? `restarted ${restarts} times`}`;
  }
  if (failure !== undefined) return `failed to start: ${failure.message}`;
  return undefined;
}
