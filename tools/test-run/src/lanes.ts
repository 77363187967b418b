import { spawn } from 'node:child_process';
import path from 'node:path';

/** How one job ended. */
export interface JobRun {
  /** The job's name: the package's folder relative to the repository root, for a package's tests. */
  package: string;
  exitCode: number;
  durationMs: number;
}

/** A command to run in a lane: a package's tests, or the shared type check. */
export interface LaneJob {
  /** The package's folder relative to the repository root, or what the job is. */
  name: string;
  /** Relative to the repository root. */
  cwd: string;
  /** Run with `sh -c`, with the cwd's and the root's `node_modules/.bin` on the PATH, as npm runs a script. */
  command: string;
}

export interface LaneOptions {
  /** Jobs run at once. */
  lanes: number;
  /**
   * Up to `lanes` more jobs may start while `spare()` says the machine has a core to spare
   * (asked every `everyMs`, by default a second): jobs that mostly wait for processes leave
   * cores idle.
   */
  spare?: { lanes: number; spare: () => boolean; everyMs?: number };
  /** Given to every package's test command on top of this process's environment. */
  env: NodeJS.ProcessEnv;
  /** Called as each package starts and ends, with its whole output once it has ended. */
  report: (line: string) => void;
}

/**
 * Runs each job, `lanes` at a time (more while there is a spare core), in the order given
 * (longest first keeps the lanes even, so the run ends when its longest job does). Each
 * job's output is held and written whole when it ends, so that two jobs' lines never
 * interleave. Every job runs, whichever failed before it.
 */
export async function runInLanes(root: string, jobs: readonly LaneJob[], options: LaneOptions): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  let next = 0;
  let running = 0;
  await new Promise<void>((resolve) => {
    const start = () => {
      const job = jobs[next++];
      running++;
      options.report(`▶ ${job.name}: ${job.command}`);
      void runJob(root, job, options).then((run) => {
        running--;
        runs.push(run);
        options.report(run.output);
        options.report(`${run.exitCode === 0 ? '✓' : '✗'} ${job.name}: ${run.exitCode === 0 ? 'passed' : `failed (exit code ${run.exitCode})`} in ${(run.durationMs / 1000).toFixed(1)} s`);
        fill();
      });
    };
    const fill = () => {
      while (next < jobs.length && running < Math.max(1, options.lanes)) start();
      if (next === jobs.length && running === 0) {
        clearInterval(spareCheck);
        resolve();
      }
    };
    const spare = options.spare;
    const spareCheck =
      spare === undefined
        ? undefined
        : setInterval(() => {
            // Asked on every tick, a lane free or not: it is cheap, and a test can count the ticks.
            const idle = spare.spare();
            if (idle && next < jobs.length && running < options.lanes + spare.lanes) start();
          }, spare.everyMs ?? 1000);
    fill();
  });
  return runs.map(({ package: p, exitCode, durationMs }) => ({ package: p, exitCode, durationMs }));
}

async function runJob(root: string, job: LaneJob, options: LaneOptions): Promise<JobRun & { output: string }> {
  const started = performance.now();
  const cwd = path.join(root, job.cwd);
  const bins = [...new Set([path.join(cwd, 'node_modules', '.bin'), path.join(root, 'node_modules', '.bin')])];
  const env = { ...process.env, ...options.env, PATH: [...bins, process.env.PATH ?? ''].join(path.delimiter) };
  const child = spawn('sh', ['-c', job.command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exitCode = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      output += `\ncould not start sh: ${error.message}\n`;
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  return { package: job.name, exitCode, durationMs: performance.now() - started, output };
}
