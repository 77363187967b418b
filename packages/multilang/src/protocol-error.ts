import { TopoError } from '@topo/topology-dsl';

export interface ShellFailure {
  component: string;
  task: number;
  /** The pid the subprocess reported in the handshake, else the one the engine spawned. */
  pid: number | undefined;
  /** Exit code when it exited by itself; null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What went wrong, e.g. `exited`, `sent malformed JSON: ...`, `no message for 30 s`. */
  reason: string;
  /** The last lines it wrote to stderr, oldest first. */
  stderrTail: readonly string[];
}

/**
 * A multi-lang subprocess died or broke the protocol. Reported as the component's error;
 * the engine has already failed its in-flight tuples and restarts just that subprocess.
 */
export class ShellProtocolError extends TopoError {
  readonly component: string;
  readonly task: number;
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly reason: string;
  readonly stderrTail: readonly string[];

  constructor(failure: ShellFailure) {
    super(describe(failure), {
      component: failure.component,
      task: failure.task,
      pid: failure.pid,
      exitCode: failure.exitCode,
      signal: failure.signal,
    });
    this.component = failure.component;
    this.task = failure.task;
    this.pid = failure.pid;
    this.exitCode = failure.exitCode;
    this.signal = failure.signal;
    this.reason = failure.reason;
    this.stderrTail = failure.stderrTail;
  }
}

function describe(f: ShellFailure): string {
  const ended = f.exitCode !== null ? `exit code ${f.exitCode}` : f.signal !== null ? `ended by ${f.signal}` : 'no exit status';
  const stderr =
    f.stderrTail.length === 0 ? 'stderr: (empty)' : `last ${f.stderrTail.length} line${f.stderrTail.length === 1 ? '' : 's'} of stderr:\n${f.stderrTail.map((l) => `    ${l}`).join('\n')}`;
  return `multi-lang subprocess of ${f.component} (task ${f.task}, pid ${f.pid ?? 'unknown'}) ${f.reason}; ${ended}; ${stderr}`;
}
