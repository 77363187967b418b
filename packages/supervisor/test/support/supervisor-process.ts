import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SupervisorOptions } from '@topo/supervisor';

/** Runs a Supervisor with these options and logs to stderr; SIGTERM stops it cleanly. */
const SCRIPT = `
  import { Supervisor } from '@topo/supervisor';
  import { terminalLogger } from '@topo/runtime';
  const options = JSON.parse(process.argv[1]);
  const supervisor = new Supervisor({ ...options, logger: terminalLogger(options.logLevel ?? 'info') }).start();
  process.on('SIGTERM', () => void supervisor.stop().then(() => process.exit(0)));
`;

/**
 * A supervisor in a process of its own, as `topo supervisor` runs it, so that a test can
 * SIGKILL it and start another with the same options (id, slots, folder).
 */
export class SupervisorProcess {
  stderr = '';
  private constructor(
    readonly options: Omit<SupervisorOptions, 'logger'>,
    readonly child: ChildProcess,
  ) {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Starts it and resolves once it has said it runs. */
  static async start(options: Omit<SupervisorOptions, 'logger'>): Promise<SupervisorProcess> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(options)], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      // As an operator may give `topo supervisor` its Redis, password and all.
      env: { ...process.env, TOPO_REDIS: options.redisUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = new SupervisorProcess(options, child);
    await started.waitFor(/supervisor \S+ on /);
    return started;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves once `pattern` shows up in its log; fails if it exits first or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const match = this.stderr.match(pattern);
      if (match !== null) return match;
      if (this.exited) throw new Error(`the supervisor exited before ${pattern} appeared:\n${this.stderr}`);
      if (performance.now() > deadline) throw new Error(`${pattern} did not appear in the supervisor's log:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (its workers stopped with it), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    this.child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}
