/**
 * Polls `condition` (sync or async) until it holds: tests wait for what they expect rather
 * than for a fixed time, so they are fast when the system is and slow only when it is stuck.
 * Fails naming `what` after `timeoutMs`.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
