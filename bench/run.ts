import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderCharts } from './charts.js';
import { machineInfo } from './machine.js';
import type { BenchVariant, Figures } from './part.js';
import { renderMarkdown } from './report.js';
import { partResult, type BenchResults } from './results.js';
import { parts, variants } from './variants.js';

/**
 * `npm run bench [-- --only <part or variant>...] [--quick [--jobs N]] [--runs N] [--seconds S] [--out DIR]`:
 * runs every variant `runs` times, alternating variants so that drift of the machine
 * spreads evenly over them, and writes results/latest.json, the charts and BENCHMARKS.md
 * (with --out, all of them into DIR). A quick run is the test suite's smoke run, whose
 * figures mean nothing: a part's variants share a process (up to six to a process), and
 * `--jobs` runs that many processes at once.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string' },
    jobs: { type: 'string' },
  },
});
const quick = args.quick === true;
const runs = Number(args.runs ?? (quick ? 1 : 3));
// A quick run proves every variant works: a tenth of a second of measuring shows that, once the first items are through.
const seconds = Number(args.seconds ?? (quick ? 0.1 : 4));
const only = args.only ?? [];
const jobs = Number(args.jobs ?? 1);
if (!Number.isInteger(jobs) || jobs < 1 || (jobs > 1 && !quick)) {
  process.stderr.write(`--jobs must be a positive integer, and above 1 only with --quick: variants measured side by side slow each other (got ${args.jobs})\n`);
  process.exit(2);
}
const selected = variants.filter((v) => only.length === 0 || only.some((o) => v.id === o || v.id.startsWith(`${o}/`)));
if (selected.length === 0) {
  process.stderr.write(`no bench part matches ${only.join(', ')}; parts: ${parts.map((p) => p.name).join(', ')}\n`);
  process.exit(2);
}

/** Other processes' CPU (cores) above which a run counts as disturbed and is measured again. */
const DISTURBED_CORES = 0.25;
/** Attempts per run at most; the least disturbed one is kept. */
const MAX_ATTEMPTS = quick ? 1 : 3;

/** Runs the variants `ids` one after the other in one fresh process, returning their figures in order. */
async function measureInProcess(ids: string[]): Promise<Figures[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'measure.ts'), ids.join(','), '--seconds', String(seconds), ...(quick ? ['--quick'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const measured = new Map([...stdout.matchAll(/^figures (\S+) (\{.*\})$/gm)].map((m) => [m[1], JSON.parse(m[2]) as Figures]));
  if (status !== 0 || ids.some((id) => !measured.has(id))) {
    process.stderr.write(`bench ${ids.join(', ')} failed (exit ${status}):\n${stdout}\n`);
    process.exit(1);
  }
  return ids.map((id) => measured.get(id)!);
}

async function measureOnce(id: string): Promise<Figures> {
  return (await measureInProcess([id]))[0];
}

function record(id: string, run: number, result: Figures): void {
  figures.get(id)!.push(result);
  process.stdout.write(`${id} run ${run + 1}/${runs}: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`);
}

/** Measures `variant` for one run, again while other processes disturbed it, keeping the least disturbed. */
async function measureRun(variant: BenchVariant, run: number): Promise<void> {
  let result = await measureOnce(variant.id);
  for (let attempt = 1; attempt < MAX_ATTEMPTS && (result.otherCpuCores ?? 0) > DISTURBED_CORES; attempt++) {
    repeated.set(variant.id, repeated.get(variant.id)! + 1);
    const again = await measureOnce(variant.id);
    if (again.otherCpuCores < result.otherCpuCores) result = again;
  }
  record(variant.id, run, result);
}

/** A quick run's processes: each takes up to this many variants of one part, so that the lanes stay evenly loaded. */
const QUICK_VARIANTS_PER_PROCESS = 6;

/** Variant ids by part, in the order given, a big part in several groups. */
function partGroups(order: BenchVariant[]): string[][] {
  const byPart = new Map<string, string[]>();
  for (const { id } of order) {
    const part = id.split('/')[0];
    byPart.set(part, [...(byPart.get(part) ?? []), id]);
  }
  return [...byPart.values()].flatMap((ids) => Array.from({ length: Math.ceil(ids.length / QUICK_VARIANTS_PER_PROCESS) }, (_, i) => ids.slice(i * QUICK_VARIANTS_PER_PROCESS, (i + 1) * QUICK_VARIANTS_PER_PROCESS)));
}

/** A quick run's measurement of a group of a part's variants, one after the other in one process. */
async function measurePart(ids: string[], run: number): Promise<void> {
  const results = await measureInProcess(ids);
  for (const [i, id] of ids.entries()) record(id, run, results[i]);
}

const machine = machineInfo();
const figures = new Map<string, Figures[]>(selected.map((v) => [v.id, []]));
const repeated = new Map<string, number>(selected.map((v) => [v.id, 0]));
for (let run = 0; run < runs; run++) {
  const order = run % 2 === 0 ? selected : [...selected].reverse();
  // The machine may be shared: a run during which other processes took CPU is measured again.
  const tasks: (() => Promise<void>)[] = quick
    ? partGroups(order).map((ids) => () => measurePart(ids, run))
    : order.map((variant) => () => measureRun(variant, run));
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: jobs }, lane));
}

const results: BenchResults = {
  date: new Date().toISOString(),
  machine,
  loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  runsPerVariant: runs,
  secondsPerRun: seconds,
  quick,
  disturbedCores: DISTURBED_CORES,
  maxAttempts: MAX_ATTEMPTS,
  parts: parts.filter((p) => p.variants.some((v) => figures.has(v.id))).map((p) => partResult(p, figures, repeated)),
};
const outDir = args.out ?? path.join(here, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
const charts = renderCharts(results);
for (const chart of charts) writeFileSync(path.join(outDir, chart.file), chart.svg);
const markdownFile = args.out === undefined ? path.join(here, '..', 'BENCHMARKS.md') : path.join(outDir, 'BENCHMARKS.md');
const markdown = renderMarkdown(results, charts, path.relative(path.dirname(markdownFile), outDir) || '.');
writeFileSync(markdownFile, markdown);
process.stdout.write(`\n${markdown}`);
