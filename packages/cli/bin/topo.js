#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { execute, settings } from '@oclif/core';
import { ensureCommandManifest } from '../dist/command-manifest.js';

// The built commands, always: under NODE_ENV=test or development (a test runner sets the
// former for every process it starts) oclif would load the TypeScript sources through a
// transpiler instead, doubling each start and running other code than users run.
settings.enableAutoTranspile = false;
// oclif finds this package's manifest (its `oclif` config, `dist/commands`) from here,
// wherever the package is installed.
await ensureCommandManifest(fileURLToPath(new URL('..', import.meta.url)));
await execute({ dir: import.meta.url });
