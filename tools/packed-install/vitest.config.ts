import { defineConfig } from 'vitest/config';
import { testOptions } from '../test-run/src/vitest-options.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing and installing happen once, in the file's beforeAll; an idle machine needs about 30 s for them.
    ...testOptions(60_000, 120_000),
  },
});
