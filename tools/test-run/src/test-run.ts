import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR_VARIABLE } from './results-file.js';
import { repoRoot } from './repo-root.js';
import { readResults, summarize } from './test-summary.js';

/**
 * `npm test`: every package's tests, one package at a time (each starts processes that use
 * every core; two at once slow both and race their deadlines), carrying on past a failing
 * package, then one summary of the whole run. Arguments go to `turbo run test`
 * (`npm test -- --filter=@topo/cli`). Each package's results stay in .test-results/.
 */
const args = process.argv.slice(2);
const resultsDir = path.join(repoRoot, '.test-results');

const expected = packagesWithTests(args);
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const turbo = spawn('turbo', ['run', 'test', '--concurrency=1', '--continue', ...args], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, [RESULTS_DIR_VARIABLE]: resultsDir },
});
const exitCode = await new Promise<number>((resolve) => turbo.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128))));
const { lines, ok } = summarize(expected, readResults(resultsDir, expected), exitCode);
process.stdout.write(`\n${lines.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;

/** The folders of the packages whose `test` task this run will run, as turbo plans it. */
function packagesWithTests(turboArgs: string[]): string[] {
  const plan = JSON.parse(execFileSync('turbo', ['run', 'test', '--dry=json', ...turboArgs], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    tasks: { task: string; directory: string; command: string }[];
  };
  return plan.tasks.filter((t) => t.task === 'test' && t.command !== '<NONEXISTENT>').map((t) => t.directory);
}
