import { defineConfig } from 'vitest/config';
import { testOptions } from '../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The quick run starts a fresh process per variant, redis-servers and thread pools.
    ...testOptions(300_000, 60_000),
  },
});
