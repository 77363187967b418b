import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** What the figures were measured on, printed beside them so they can be compared. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryGiB: number;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU seconds the whole machine has been busy so far, over all cores (Linux /proc/stat;
 * steal counts as busy, since it is CPU this machine did not get): a variant compares it
 * with its own use to tell how much other processes took during its window.
 */
export function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** The fields of /proc/<pid>/stat after the command name (state first), or undefined once the process is gone. */
function processStat(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User plus system time in a stat's fields, in seconds. */
function statCpuSeconds(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** CPU seconds (utime + stime) process `pid` has used so far; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  const fields = processStat(pid);
  return fields === undefined ? 0 : statCpuSeconds(fields);
}

/** CPU seconds used so far by the live child processes of `pid` (Linux /proc; 0 elsewhere). */
export function childCpuSeconds(pid: number): number {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  let total = 0;
  for (const task of tasks) {
    const fields = processStat(task);
    // fields[1] is the parent pid.
    if (fields !== undefined && Number(fields[1]) === pid) total += statCpuSeconds(fields);
  }
  return total;
}

/** The peak resident set (VmHWM) of process `pid` so far, in MiB; 0 once it is gone. */
export function processPeakRssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return line === null ? 0 : Number(line[1]) / 1024;
  } catch {
    return 0;
  }
}
