import { scaledMs } from './time-scale.js';

/**
 * Polls `condition` (sync or async) until it holds: tests wait for what they expect rather
 * than for a fixed time, so they are fast when the system is and slow only when it is stuck.
 * Fails naming `what` once `timeoutMs` (an idle machine's deadline, multiplied by the test
 * time scale, TOPO_TEST_TIMEOUT_SCALE) has passed.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 5): Promise<void> {
  const limitMs = scaledMs(timeoutMs);
  const deadline = performance.now() + limitMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
