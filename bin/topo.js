#!/usr/bin/env node
import { execute } from '@oclif/core';

await execute({ dir: new URL('../packages/cli/package.json', import.meta.url).href });
