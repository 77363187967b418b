import { defineConfig } from 'vitest/config';
import { testOptions } from '../test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(60_000),
  },
});
