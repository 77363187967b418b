import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatLogRecord, parseLogLine } from '@topo/runtime';
import { workerLogFile, workerOutFile } from '@topo/supervisor';

/**
 * What a supervisor's worker wrote, as a person reads it: its process output (launch
 * line, anything that escaped the logger) then its log's lines in their human form.
 */
export function workerLogText(supervisorDir: string, topology: string, port: number): string {
  const logDir = path.join(supervisorDir, 'logs');
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const lines = read(workerLogFile(logDir, topology, port))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = parseLogLine(line);
      return record === undefined ? line : formatLogRecord(record);
    });
  return `${read(workerOutFile(logDir, topology, port))}${lines.map((l) => `${l}\n`).join('')}`;
}
