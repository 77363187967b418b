import type { BenchPart, BenchVariant } from './part.js';
import { inProcessChain } from './parts/in-process-chain.js';
import { urlPipeline } from './parts/url-pipeline.js';

/** Every part `npm run bench` knows, in report order. */
export const parts: BenchPart[] = [inProcessChain, urlPipeline];

export const variants: BenchVariant[] = parts.flatMap((p) => p.variants);
const { cluster } = await import('./parts/cluster.js'); parts.push(cluster); variants.push(...cluster.variants);
const { connectors } = await import('./parts/connectors.js'); parts.push(connectors); variants.push(...connectors.variants);
const { multilang } = await import('./parts/multilang.js'); parts.push(multilang); variants.push(...multilang.variants);
