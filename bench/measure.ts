import { tuneV8ForTuples } from '@topo/runtime';
import { variants } from './variants.js';

// Every variant, Topo's or a peer's, runs under the V8 settings of Topo's own processes.
tuneV8ForTuples();

/** Child-process entry: runs one variant once and prints its figures as one JSON line. */
const [id, ...rest] = process.argv.slice(2);
const variant = variants.find((v) => v.id === id);
if (variant === undefined) {
  process.stderr.write(`unknown bench variant ${id}; known: ${variants.map((v) => v.id).join(', ')}\n`);
  process.exit(2);
}
const seconds = Number(rest[rest.indexOf('--seconds') + 1] ?? 5);
const quick = rest.includes('--quick');
const figures = await variant.measure({ seconds, quick });
figures.peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
