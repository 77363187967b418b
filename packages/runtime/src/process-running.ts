import { readFileSync } from 'node:fs';

/**
 * True for a live process. A zombie (dead, not yet reaped by its parent) counts as gone:
 * a killed worker or subprocess is gone as far as anyone waiting for it is concerned.
 * No pid (a process not started yet) is not running either.
 */
export function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
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
