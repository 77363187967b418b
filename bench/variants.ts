import type { BenchPart, BenchVariant } from './part.js';
import { cluster } from './parts/cluster.js';
import { connectors } from './parts/connectors.js';
import { crossWorker } from './parts/cross-worker.js';
import { inProcessChain } from './parts/in-process-chain.js';
import { multilang } from './parts/multilang.js';
import { state } from './parts/state.js';
import { stats } from './parts/stats.js';
import { urlPipeline } from './parts/url-pipeline.js';
import { windows } from './parts/windows.js';

/** Every part `npm run bench` knows, in report order. */
export const parts: BenchPart[] = [inProcessChain, windows, state, urlPipeline, stats, crossWorker, multilang, connectors, cluster];

export const variants: BenchVariant[] = parts.flatMap((p) => p.variants);
