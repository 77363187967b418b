#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { execute, settings } from '@oclif/core';
import { ensureCommandManifest } from '../packages/cli/dist/command-manifest.js';

// The built commands, always: under NODE_ENV=test or development (a test runner sets the
// former for every process it starts) oclif would load the TypeScript sources through a
// transpiler instead, doubling each start and running other code than users run.
settings.enableAutoTranspile = false;
const cli = new URL('../packages/cli/', import.meta.url);
await ensureCommandManifest(fileURLToPath(cli));
await execute({ dir: new URL('package.json', cli).href });
