#!/usr/bin/env node
// `npm create topo <dir> [--name N] [--python]` runs this: it is `topo init` with the same arguments.
process.argv.splice(2, 0, 'init');
await import('@topo/cli/bin/topo.js');
