import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IdleCores } from './idle-cores.js';
import { runInLanes, type LaneJob } from './lanes.js';
import { RESULTS_DIR_VARIABLE } from './results-file.js';
import { repoRoot } from './repo-root.js';
import { SHARED_TYPE_CHECK_CONFIG, splitTestCommands } from './shared-type-check.js';
import { readResults, summarize } from './test-summary.js';

/**
 * `npm test`: builds what the tests need (`turbo run build`), type-checks every package's
 * tests with one `tsc` (tsconfig.tests.json), runs every package's tests, two jobs at a
 * time and a third while a core is idle (or TOPO_TEST_JOBS at a time), the longest first,
 * carrying on past a failing one, then prints one summary of the whole run. Arguments go
 * to turbo, and choose the packages as they would for `turbo run test` (`npm test --
 * --filter=@topo/cli`). Each package's results stay in .test-results/.
 *
 * Two at a time because much of the test time is spent waiting for processes to start,
 * time out or be restarted: one job alone leaves a core of two idle for long stretches.
 * Every deadline in the tests is on the test time scale, so sharing the cores slows tests
 * without failing them.
 */
const args = process.argv.slice(2);
const resultsDir = path.join(repoRoot, '.test-results');
const durationsFile = path.join(resultsDir, 'durations.json');
const JOBS_VARIABLE = 'TOPO_TEST_JOBS';
const TYPE_CHECK_JOB = `type check (${SHARED_TYPE_CHECK_CONFIG})`;
/**
 * A third job starts while the machine has left this much of a core idle over the last
 * SPARE_WINDOW_MS. On an idle 2-core machine the first minute and a half of the run left
 * 30 to 50% of the CPU idle, with the CLI's cluster tests and the supervisor's or the
 * connectors' all waiting on processes; a machine busy with other work never starts one.
 */
const SPARE_IDLE_CORES = 0.8;
const SPARE_WINDOW_MS = 5000;

const expected = packagesWithTests(args);
// One package's run (`--filter`) keeps its own type check: the shared one would check every package's tests.
const commands = args.length === 0 || expected.length === packagesWithTests([]).length ? splitTestCommands(repoRoot, expected) : expected.map((p) => ({ package: p, command: 'npm run test', covered: [] }));
const jobs: LaneJob[] = commands.map((c) => ({ name: c.package, cwd: c.package, command: c.command }));
if (commands.some((c) => c.covered.length > 0)) jobs.push({ name: TYPE_CHECK_JOB, cwd: '.', command: `tsc -p ${SHARED_TYPE_CHECK_CONFIG}` });
const order = longestFirst(jobs, expectedDurations());
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const build = spawn('turbo', ['run', 'build', '--continue', '--output-logs=errors-only', ...args], { cwd: repoRoot, stdio: 'inherit' });
const buildCode = await new Promise<number>((resolve) => build.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128))));
const fixedLanes = lanesFromEnvironment();
// Only where the run chooses its own pace: TOPO_TEST_JOBS means exactly that many.
const idleCores = fixedLanes === undefined ? new IdleCores(SPARE_WINDOW_MS) : undefined;
const runs = await runInLanes(repoRoot, order, {
  lanes: fixedLanes ?? Math.min(2, os.availableParallelism()),
  spare: idleCores === undefined ? undefined : { lanes: 1, spare: () => idleCores.idle() >= SPARE_IDLE_CORES },
  env: { [RESULTS_DIR_VARIABLE]: resultsDir },
  report: (text) => process.stdout.write(`${text.replace(/\n?$/, '\n')}`),
});
idleCores?.stop();
writeFileSync(durationsFile, `${JSON.stringify(Object.fromEntries(runs.map((r) => [r.package, Math.round(r.durationMs)])), null, 2)}\n`);
const exitCode = buildCode !== 0 ? buildCode : (runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0);
const failedChecks = runs.filter((r) => r.package === TYPE_CHECK_JOB && r.exitCode !== 0).map((r) => r.package);
const { lines, ok } = summarize(expected, readResults(resultsDir, expected), exitCode, failedChecks);
process.stdout.write(`\n${runs.map((r) => `${r.package}: ${(r.durationMs / 1000).toFixed(1)} s`).join('\n')}\n${lines.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;

/** The folders of the packages whose `test` task `turbo run test` would run with these arguments. */
function packagesWithTests(turboArgs: string[]): string[] {
  const plan = JSON.parse(execFileSync('turbo', ['run', 'test', '--dry=json', ...turboArgs], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    tasks: { task: string; directory: string; command: string }[];
  };
  return plan.tasks.filter((t) => t.task === 'test' && t.command !== '<NONEXISTENT>').map((t) => t.directory);
}

/** TOPO_TEST_JOBS, or undefined when unset (two, and a third while a core is idle). */
function lanesFromEnvironment(): number | undefined {
  const raw = process.env[JOBS_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${JOBS_VARIABLE} must be a whole number of jobs to run at once, at least 1 (got "${raw}")`);
  return value;
}

/**
 * Each job's time (ms): the last run's, from .test-results/durations.json, else the
 * typical one committed in typical-durations.json (so that a fresh clone does not start
 * a long package last and leave a core idle while it finishes).
 */
function expectedDurations(): Map<string, number> {
  const read = (file: string) => (existsSync(file) ? (Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) as [string, number][]) : []);
  return new Map([...read(path.join(repoRoot, 'tools/test-run/typical-durations.json')), ...read(durationsFile)]);
}

/** Longest first by `durations`; a job without one by its package's number of test files (ten seconds each). */
function longestFirst(all: readonly LaneJob[], durations: ReadonlyMap<string, number>): LaneJob[] {
  const testFiles = (dir: string) => (existsSync(path.join(repoRoot, dir, 'test')) ? readdirSync(path.join(repoRoot, dir, 'test'), { recursive: true }).filter((f) => String(f).endsWith('.test.ts')).length : 0);
  const weight = (job: LaneJob) => durations.get(job.name) ?? testFiles(job.cwd) * 10_000;
  return [...all].sort((a, b) => weight(b) - weight(a));
}
