import { readFileSync } from 'node:fs';

/**
 * The start time of a live process (clock ticks since boot, from /proc/<pid>/stat), or
 * undefined when none runs under that pid (a zombie counts as gone). A pid alone may be
 * reused by an unrelated process once its owner dies; the pid with its start time names
 * one process for good, which is how a supervisor recognises the workers it left running
 * and a worker the supervisor it answers to. Linux only, like the rest of the daemon.
 */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces and parentheses): state is the 3rd field, starttime the 22nd.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
}
