import { tuneV8ForTuples } from '@topo/runtime';
import type { BenchPart, BenchVariant } from './part.js';

// Every variant, Topo's or a peer's, runs under the V8 settings of Topo's own processes.
tuneV8ForTuples();

/**
 * Child-process entry: runs each variant named (comma-separated ids: several only for a
 * quick run, which shares one process among a part's variants) once, printing each one's
 * figures as a line `figures <id> <JSON>`.
 */
const [ids = '', ...rest] = process.argv.slice(2);
const seconds = Number(rest[rest.indexOf('--seconds') + 1] ?? 5);
const quick = rest.includes('--quick');
for (const id of ids.split(',')) {
  const variant = await ownPartVariant(id);
  if (variant === undefined) {
    const { variants } = await import('./variants.js');
    process.stderr.write(`unknown bench variant ${id}; known: ${variants.map((v) => v.id).join(', ')}\n`);
    process.exit(2);
  }
  const figures = await variant.measure({ seconds, quick });
  figures.peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`figures ${id} ${JSON.stringify(figures)}\n`);
}
process.exit(0);

/**
 * The variant from its own part's module (`parts/<part>.ts` for `<part>/<variant>`) alone:
 * a measurement is a fresh process, and every other part's libraries would double its start.
 */
async function ownPartVariant(variantId: string): Promise<BenchVariant | undefined> {
  const part = variantId.split('/')[0];
  if (!/^[a-z][a-z-]*$/.test(part)) return undefined;
  const module = (await import(`./parts/${part}.js`).catch(() => ({}))) as Record<string, unknown>;
  const owner = Object.values(module).find((value): value is BenchPart => (value as BenchPart | undefined)?.name === part && Array.isArray((value as BenchPart).variants));
  return owner?.variants.find((v) => v.id === variantId);
}
