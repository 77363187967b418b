import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInLanes } from './package-lanes.js';
import { RESULTS_DIR_VARIABLE } from './results-file.js';
import { repoRoot } from './repo-root.js';
import { readResults, summarize } from './test-summary.js';

/**
 * `npm test`: builds what the tests need (`turbo run build`), runs every package's tests,
 * two packages at a time (TOPO_TEST_JOBS) and the longest first, carrying on past a failing
 * package, then prints one summary of the whole run. Arguments go to turbo, and choose the
 * packages as they would for `turbo run test` (`npm test -- --filter=@topo/cli`). Each
 * package's results stay in .test-results/.
 *
 * Two at a time because most test time is spent waiting for processes to start, time out
 * or be restarted, not computing: a package alone leaves a core of two mostly idle. Every
 * deadline in the tests is on the test time scale, so sharing the cores slows tests
 * without failing them.
 */
const args = process.argv.slice(2);
const resultsDir = path.join(repoRoot, '.test-results');
const JOBS_VARIABLE = 'TOPO_TEST_JOBS';

const expected = packagesWithTests(args);
const order = longestFirst(expected, previousDurations(expected));
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const build = spawn('turbo', ['run', 'build', '--continue', '--output-logs=errors-only', ...args], { cwd: repoRoot, stdio: 'inherit' });
const buildCode = await new Promise<number>((resolve) => build.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128))));
const runs = await runInLanes(repoRoot, order, { lanes: jobs(), env: { [RESULTS_DIR_VARIABLE]: resultsDir }, report: (text) => process.stdout.write(`${text.replace(/\n?$/, '\n')}`) });
const exitCode = buildCode !== 0 ? buildCode : (runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0);
const { lines, ok } = summarize(expected, readResults(resultsDir, expected), exitCode);
process.stdout.write(`\n${runs.map((r) => `${r.package}: ${(r.durationMs / 1000).toFixed(1)} s`).join('\n')}\n${lines.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;

/** The folders of the packages whose `test` task `turbo run test` would run with these arguments. */
function packagesWithTests(turboArgs: string[]): string[] {
  const plan = JSON.parse(execFileSync('turbo', ['run', 'test', '--dry=json', ...turboArgs], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    tasks: { task: string; directory: string; command: string }[];
  };
  return plan.tasks.filter((t) => t.task === 'test' && t.command !== '<NONEXISTENT>').map((t) => t.directory);
}

/** TOPO_TEST_JOBS, else two (one where the machine has a single core). */
function jobs(): number {
  const raw = process.env[JOBS_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return Math.min(2, os.availableParallelism());
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${JOBS_VARIABLE} must be a whole number of packages to test at once, at least 1 (got "${raw}")`);
  return value;
}

/** Each package's time in the last run (its files' durations added up), from the results it left. */
function previousDurations(packages: readonly string[]): Map<string, number> {
  if (!existsSync(resultsDir)) return new Map();
  const results = readResults(resultsDir, packages);
  return new Map([...results].map(([p, r]) => [p, r.files.reduce((sum, f) => sum + f.durationMs, 0)]));
}

/** Longest first by the last run; a package without one by its number of test files (a first run, or one it failed in). */
function longestFirst(packages: readonly string[], durations: ReadonlyMap<string, number>): string[] {
  const testFiles = (p: string) => (existsSync(path.join(repoRoot, p, 'test')) ? readdirSync(path.join(repoRoot, p, 'test'), { recursive: true }).filter((f) => String(f).endsWith('.test.ts')).length : 0);
  const weight = (p: string) => durations.get(p) ?? testFiles(p) * 10_000;
  return [...packages].sort((a, b) => weight(b) - weight(a));
}
