import { defineConfig } from 'vitest/config';
import { testOptions } from '../../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(60_000),
    // Each test runs topologies flat out in a child process; one file at a time keeps them off each other's cores.
    fileParallelism: false,
  },
});
