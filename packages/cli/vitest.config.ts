import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test runs topologies flat out in a child process; one file at a time keeps them off each other's cores.
    fileParallelism: false,
  },
});
