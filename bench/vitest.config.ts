import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The quick run starts a fresh process per variant, redis-servers and thread pools.
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
