import { defineConfig } from 'vitest/config';
import { testOptions } from '../../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(60_000),
    // Two files at a time even on two cores (vitest would run one): most of their time is spent
    // waiting for subprocesses to start, answer, time out or be restarted, not computing.
    maxWorkers: 2,
  },
});
