import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The `pidDir` of the handshake: a component creates an empty file named after each
 * process it wants stopped with it (itself, helpers it forked). The engine signals every
 * pid listed here when it stops or replaces the component, then removes the directory.
 */
export class PidDirectory {
  private constructor(readonly path: string) {}

  static create(component: string, task: number): PidDirectory {
    const safe = component.replace(/[^A-Za-z0-9_.-]/g, '_');
    return new PidDirectory(mkdtempSync(path.join(os.tmpdir(), `topo-pids-${safe}-${task}-`)));
  }

  /** Pids listed now; never this process or init, whatever a component wrote. */
  pids(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.path);
    } catch {
      return [];
    }
    return names.filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => pid > 1 && pid !== process.pid);
  }

  /** Sends `signal` to every listed pid that is still running. */
  signalAll(signal: NodeJS.Signals): void {
    for (const pid of this.pids()) signalPid(pid, signal);
  }

  /** True while some listed pid still runs. */
  anyAlive(): boolean {
    return this.pids().some(isRunning);
  }

  /** Forgets every listed pid (before a new subprocess writes its own). */
  clear(): void {
    for (const name of this.safeList()) rmSync(path.join(this.path, name), { force: true, recursive: true });
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }

  private safeList(): string[] {
    try {
      return readdirSync(this.path);
    } catch {
      return [];
    }
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone (ESRCH) or not ours to signal (EPERM): nothing more to do.
  }
}

/**
 * True for a live process; a zombie (dead, not yet reaped by its parent) counts as gone.
 * The same check as `isRunning` of @topo/runtime, kept here because TypeScript
 * components load this package in every subprocess, and importing the runtime would load
 * the whole engine into each of them.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone between the two checks, or no /proc to ask (not Linux): then the signal check is all there is.
    return process.platform !== 'linux';
  }
}
