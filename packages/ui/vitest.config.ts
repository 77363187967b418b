import { defineConfig } from 'vitest/config';
import { testOptions } from '../../tools/test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...testOptions(30_000),
  },
});
