#!/usr/bin/env node
import { execute } from '@oclif/core';

// oclif finds this package's manifest (its `oclif` config, `dist/commands`) from here,
// wherever the package is installed.
await execute({ dir: import.meta.url });
