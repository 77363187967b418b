import type { WorkerFailure } from './state/worker-failure.js';
import type { WorkerHeartbeat } from './state/worker-heartbeat.js';

/** Restarts that, with a process that never lived long, make a crash loop even when no start failure was recorded. */
const CRASH_LOOP_RESTARTS = 2;
/** A process younger than this after several restarts has not shown it stays up. */
const YOUNG_MS = 60_000;
/** A start failure of another worker of the topology this recent means the work failed before it moved here. */
const RECENT_FAILURE_MS = 5 * 60_000;

/**
 * What is wrong with one worker, as a phrase for the topology's status, or undefined when
 * nothing is. `crash-looping: <why its start failed>` when its latest start failed and it
 * had failed before: restarted in its slot, or moved here by nimbus after failing in
 * another (a worker that never heartbeats is reassigned, under a new id). `failed to
 * start: <why>` after one failure; `crash-looping: restarted N times` when it keeps dying
 * young without saying why.
 */
export function workerHealth(worker: string, beat: WorkerHeartbeat | undefined, failures: ReadonlyMap<string, WorkerFailure>, now: number): string | undefined {
  const restarts = beat?.restarts ?? 0;
  const failure = failures.get(worker);
  if (failure !== undefined) {
    const failedElsewhere = [...failures.values()].some((f) => f.worker !== worker && now - f.time < RECENT_FAILURE_MS);
    return `${restarts >= 1 || failedElsewhere ? 'crash-looping' : 'failed to start'}: ${failure.message}`;
  }
  const young = beat === undefined || beat.pid === 0 || now - beat.startedAt < YOUNG_MS;
  if (restarts >= CRASH_LOOP_RESTARTS && young) return `crash-looping: restarted ${restarts} times`;
  return undefined;
}
