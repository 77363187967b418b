import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by the live child processes of `pid` (Linux /proc; 0 elsewhere). */
export function childCpuSeconds(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[1] is the parent pid; [11] and [12] are user and system time in clock ticks.
      if (Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}
