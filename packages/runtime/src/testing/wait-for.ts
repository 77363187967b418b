import { scaledMs } from './time-scale.js';

/**
 * Polls `condition` (sync or async) until it holds: tests wait for what they expect rather
 * than for a fixed time, so they are fast when the system is and slow only when it is stuck.
 * Fails naming `what` once `timeoutMs` (an idle machine's deadline, multiplied by the test
 * time scale, TOPO_TEST_TIMEOUT_SCALE) has passed.
 *
 * Between checks it waits `intervalMs`, or as long as the last check took if that was
 * longer: a check that asks a daemon over HTTP or reads a growing log would otherwise keep
 * a core busy, taken from the processes whose progress it waits for.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 5): Promise<void> {
  const limitMs = scaledMs(timeoutMs);
  const deadline = performance.now() + limitMs;
  for (;;) {
    const started = performance.now();
    if (await condition()) return;
    const now = performance.now();
    if (now > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(intervalMs, now - started)));
  }
}
