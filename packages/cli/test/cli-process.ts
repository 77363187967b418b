import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scaledMs } from '@topo/runtime';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const bin = fileURLToPath(new URL('../../../bin/topo.js', import.meta.url));

/** A fixture's path relative to the repo root, as a user would type it there. */
export function fixture(name: string): string {
  return `packages/cli/test/fixtures/${name}`;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process (`node bin/topo.js ...` from the repo root), with its output collected as it comes. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  /** With `stdin`, the CLI reads that text on its standard input (then end of file), as from a pipe; `env` adds to the environment. */
  constructor(args: string[], stdin?: string, env?: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      // Plain text whatever the environment: with CI set, oclif's colour library colours output even into a pipe.
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) this.child.stdin!.end(stdin);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Resolves once `pattern` shows up in the given output; fails if the process exits first or `timeoutMs` (on the test time scale) runs out. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + scaledMs(timeoutMs);
    for (;;) {
      const match = this[stream].match(pattern);
      if (match !== null) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`exited before ${pattern} appeared on ${stream}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`${pattern} did not appear on ${stream} within ${scaledMs(timeoutMs)} ms\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Runs the CLI to completion. */
export function runCli(...args: string[]): Promise<CliResult> {
  return new CliProcess(args).exited;
}
