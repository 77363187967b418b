import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The environment of a command run in the user's project: this one's, less what npm and
 * vitest set for the repository's own run (`npm_config_*` would point npm at the
 * repository's workspace; a nested vitest would read its parent's worker variables), and
 * without colours so output can be matched.
 */
export function projectEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|INIT_CWD$)/i.test(key)));
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A command running in a folder, as a user would start it from a shell there, with its output collected. */
export class ProjectProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<ProcessResult>;

  constructor(command: string, args: readonly string[], cwd: string) {
    // Its own process group, as a shell gives a foreground job: Ctrl-C reaches every process of it.
    this.child = spawn(command, args, { cwd, env: projectEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /**
   * SIGTERM to the group (a daemon's clean stop: a supervisor stops its workers, which run
   * in groups of their own), then SIGKILL if anything lingers past `graceMs`; resolves on exit.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(-this.child.pid!, 'SIGTERM');
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends whatever is left of the group; for cleanup after a failed test. */
  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Runs a command to its end; the result whatever its exit code. */
export function runInProject(command: string, args: readonly string[], cwd: string): Promise<ProcessResult> {
  return new ProjectProcess(command, args, cwd).exited;
}
