import { defineConfig } from 'vitest/config';
import { testOptions } from '../../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(60_000),
    // Each file starts its own redis-server and daemons; one at a time keeps them off each other's cores.
    fileParallelism: false,
  },
});
