import { afterAll } from 'vitest';
// By path, as vitest-options.ts imports the time scale: a setup file loads from source, with no build needed.
import { removeTemporaryDirs } from '../../../packages/runtime/src/testing/temporary-dir.js';

// vitest ends its worker processes with a signal, so their exit hooks never run: a test file's temporary folders go when it ends.
afterAll(removeTemporaryDirs);
