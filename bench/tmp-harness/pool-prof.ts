import { fileURLToPath } from 'node:url';
import { startPool } from '../worker-pool-run.js';
const file = fileURLToPath(new URL('../parts/url-pipeline/two-worker-topology.ts', import.meta.url));
const run = await startPool(file, 'default', 2, 'urlSpout', { 'topology.worker.childopts': process.argv[2] ?? '' });
await new Promise((r) => setTimeout(r, 3000));
const a0 = run.acked(); const t0 = performance.now();
await new Promise((r) => setTimeout(r, Number(process.argv[3] ?? 8000)));
console.log('acked/s', ((run.acked() - a0) / ((performance.now() - t0) / 1000)).toFixed(0));
await run.pool.stop();
