import { defineConfig } from 'vitest/config';
import { testOptions } from '../../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(60_000),
    // Two files at a time even on two cores (vitest would run one): most of their time is spent waiting for CLI
    // processes, daemons and workers to start, heartbeat, time out or be moved, and every deadline is on the test
    // time scale. Each cluster file has its own Redis, nimbuses and supervisors.
    maxWorkers: 2,
  },
});
