import { spawn } from 'node:child_process';
import path from 'node:path';

/** How one package's `npm run test` ended. */
export interface PackageRun {
  /** The package's folder relative to the repository root. */
  package: string;
  exitCode: number;
  durationMs: number;
}

export interface LaneOptions {
  /** Packages run at once. */
  lanes: number;
  /** Given to every package's test command on top of this process's environment. */
  env: NodeJS.ProcessEnv;
  /** Called as each package starts and ends, with its whole output once it has ended. */
  report: (line: string) => void;
}

/**
 * Runs each package's `npm run test`, `lanes` at a time, in the order given (longest
 * first keeps the lanes even, so the run ends when its longest package does). Each
 * package's output is held and written whole when it ends, so that two packages' lines
 * never interleave. Every package runs, whichever failed before it.
 */
export async function runInLanes(root: string, packages: readonly string[], options: LaneOptions): Promise<PackageRun[]> {
  const runs: PackageRun[] = [];
  let next = 0;
  const lane = async () => {
    while (next < packages.length) {
      const packageDir = packages[next++];
      options.report(`▶ ${packageDir}: testing`);
      const run = await runPackage(root, packageDir, options);
      runs.push(run);
      options.report(run.output);
      options.report(`${run.exitCode === 0 ? '✓' : '✗'} ${packageDir}: ${run.exitCode === 0 ? 'passed' : `failed (exit code ${run.exitCode})`} in ${(run.durationMs / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.lanes) }, lane));
  return runs.map(({ package: p, exitCode, durationMs }) => ({ package: p, exitCode, durationMs }));
}

async function runPackage(root: string, packageDir: string, options: LaneOptions): Promise<PackageRun & { output: string }> {
  const started = performance.now();
  const child = spawn('npm', ['run', 'test'], { cwd: path.join(root, packageDir), env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exitCode = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      output += `\ncould not start npm: ${error.message}\n`;
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  return { package: packageDir, exitCode, durationMs: performance.now() - started, output };
}
