import { fileURLToPath } from 'node:url';
// By path, not through @topo/runtime: vitest loads a config's relative imports from source, with no build needed.
import { scaledMs } from '../../../packages/runtime/src/testing/time-scale.js';
import { RESULTS_DIR_VARIABLE } from './results-file.js';

const resultsReporter = fileURLToPath(new URL('./results-reporter.ts', import.meta.url));

/**
 * The options every package's vitest config shares: its test and hook timeouts, given as an
 * idle machine's and put on the test time scale (TOPO_TEST_TIMEOUT_SCALE), and, when
 * `npm test` collects results, the results reporter beside the default one.
 */
export function testOptions(testTimeoutMs: number, hookTimeoutMs = testTimeoutMs): { testTimeout: number; hookTimeout: number; reporters: string[] } {
  const collecting = (process.env[RESULTS_DIR_VARIABLE] ?? '') !== '';
  return {
    testTimeout: scaledMs(testTimeoutMs),
    hookTimeout: scaledMs(hookTimeoutMs),
    reporters: collecting ? ['default', resultsReporter] : ['default'],
  };
}
