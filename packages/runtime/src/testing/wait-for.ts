import { scaledMs } from './time-scale.js';

/**
 * The longest pause between checks (unless a caller's interval is longer). A check in the
 * CLI's cluster tests is mostly a few HTTP and Redis round trips, which cost nimbus and
 * redis-server CPU too; with pauses growing to this, the CLI package's tests took 197.7
 * CPU-seconds instead of 203.8, in the same wall time.
 */
const MAX_PAUSE_MS = 50;

/**
 * Polls `condition` (sync or async) until it holds: tests wait for what they expect rather
 * than for a fixed time, so they are fast when the system is and slow only when it is stuck.
 * Fails naming `what` once `timeoutMs` (an idle machine's deadline, multiplied by the test
 * time scale, TOPO_TEST_TIMEOUT_SCALE) has passed.
 *
 * The first checks come `intervalMs` apart, and each pause is half as long again as the
 * one before, up to MAX_PAUSE_MS: a condition that holds soon is seen soon, and one that
 * takes seconds (a worker moved, a timeout passed) is not checked hundreds of times. A
 * pause is never shorter than the last check took: a check that asks a daemon over HTTP
 * or reads a growing log would otherwise keep a core busy, taken from the processes whose
 * progress it waits for.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 5): Promise<void> {
  const limitMs = scaledMs(timeoutMs);
  const deadline = performance.now() + limitMs;
  let pauseMs = intervalMs;
  for (;;) {
    const started = performance.now();
    if (await condition()) return;
    const now = performance.now();
    if (now > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(pauseMs, now - started)));
    pauseMs = Math.min(Math.max(intervalMs, MAX_PAUSE_MS), pauseMs * 1.5);
  }
}
