import { fileURLToPath } from 'node:url';
// By path, not through @topo/runtime: vitest loads a config's relative imports from source, with no build needed.
import { scaledMs } from '../../../packages/runtime/src/testing/time-scale.js';
import { RESULTS_DIR_VARIABLE } from './results-file.js';

const resultsReporter = fileURLToPath(new URL('./results-reporter.ts', import.meta.url));
const temporaryDirsSetup = fileURLToPath(new URL('./temporary-dirs-setup.ts', import.meta.url));

/**
 * The options every package's vitest config shares: its test and hook timeouts, given as an
 * idle machine's and put on the test time scale (TOPO_TEST_TIMEOUT_SCALE); test files that
 * share a vitest worker process also share the modules they import (`isolate: false`);
 * the removal of each test file's temporary folders after it (`temporaryDir()`); and, when
 * `npm test` collects results, the results reporter beside the default one.
 *
 * Without isolation each file imported the engine, its dependencies and the test helpers
 * afresh: a third to a half of the runtime's, multilang's and connectors' test time. Test
 * files keep their own module state; what they share is the packages they test, which keep
 * none a test could trip over (a package that needs it can set `isolate: true` after these).
 */
export function testOptions(testTimeoutMs: number, hookTimeoutMs = testTimeoutMs): { testTimeout: number; hookTimeout: number; isolate: boolean; reporters: string[]; setupFiles: string[] } {
  const collecting = (process.env[RESULTS_DIR_VARIABLE] ?? '') !== '';
  return {
    testTimeout: scaledMs(testTimeoutMs),
    hookTimeout: scaledMs(hookTimeoutMs),
    isolate: false,
    reporters: collecting ? ['default', resultsReporter] : ['default'],
    setupFiles: [temporaryDirsSetup],
  };
}
