/**
 * The one time scale of every deadline a test waits up to. A deadline only bounds how long
 * a stuck test takes to fail (a passing test waits for its condition, never for the
 * deadline), so a busy or slow machine needs longer ones and an idle one loses nothing by
 * having them: TOPO_TEST_TIMEOUT_SCALE multiplies each, 3 when unset. Deadlines in tests are
 * written as they would be on an idle machine and pass through `scaledMs`.
 *
 * Dependency-free, because the vitest configs of every package import this file directly.
 */
export const TEST_TIMEOUT_SCALE_VARIABLE = 'TOPO_TEST_TIMEOUT_SCALE';

const DEFAULT_SCALE = 3;

/** TOPO_TEST_TIMEOUT_SCALE as a positive number, 3 when unset or empty. */
export function testTimeScale(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env[TEST_TIMEOUT_SCALE_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_SCALE;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`${TEST_TIMEOUT_SCALE_VARIABLE} must be a positive number, such as 1 or 2.5 (got "${raw}")`);
  return scale;
}

/** `ms`, an idle machine's deadline, on the test time scale. */
export function scaledMs(ms: number): number {
  return Math.round(ms * testTimeScale());
}
