#!/usr/bin/env node
// The repository's `npx topo`: the same command as an installed @topo/cli gives.
await import('@topo/cli/bin/topo.js');
