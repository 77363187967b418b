import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A test runs the real engine (and, for a Python bolt, real python3 processes).
    testTimeout: 60_000,
  },
});
