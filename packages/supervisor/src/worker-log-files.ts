import { renameSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a supervisor's workers write, as Storm lays it out (`<topologyId>/<port>/` under
 * the logs folder): `worker.log`, the worker's own JSON lines, rolled by the worker; and
 * `worker.log.out`, the process's stdout and stderr, which only get what escapes the
 * logger (a crash's trace, the launch line). The logviewer serves this folder.
 */
export function workerLogFile(logDir: string, topology: string, port: number): string {
  return path.join(logDir, topology, String(port), 'worker.log');
}

export function workerOutFile(logDir: string, topology: string, port: number): string {
  return `${workerLogFile(logDir, topology, port)}.out`;
}

/**
 * Rolls the output file to `.out.1` (replacing an older one) when it has reached
 * `maxBytes`, before a worker is started on it: a crash-looping worker appends a trace
 * per start, and this bounds that file to twice the limit.
 */
export function rollOutFile(file: string, maxBytes: number): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return;
  }
  if (size >= maxBytes) renameSync(file, `${file}.1`);
}
