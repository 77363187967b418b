import type { DestinationStream } from 'pino';
import { parseLogLine, type LogRecord } from './logger.js';

/**
 * A destination that turns each JSON line into the line a person reads,
 * `time LEVEL [component:task] (worker) message`, with an error's stack under it, and
 * writes it to `out`. It runs in the logging process itself (no transport thread):
 * logging is off the hot paths, so parsing a line back costs nothing that matters.
 */
export function terminalLines(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const record = parseLogLine(line);
      out.write(record === undefined ? line : `${formatLogRecord(record)}\n`);
    },
  };
}

/** The human form of one record (also how `topo logs` prints worker lines). */
export function formatLogRecord(record: LogRecord): string {
  const where = record.component !== undefined ? ` [${record.component}${record.task !== undefined ? `:${record.task}` : ''}]` : '';
  const worker = record.worker !== undefined ? ` (${record.worker})` : '';
  const stack = record.error?.stack !== undefined ? `\n${record.error.stack}` : '';
  return `${new Date(record.time).toISOString()} ${record.level.toUpperCase()}${where}${worker} ${record.message}${stack}`;
}
