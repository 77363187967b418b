import type { LogLevel } from '@topo/topology-dsl';
import { createLogger, parseLogLine, type Logger, type LogRecord } from '../logging/logger.js';

/** A real logger whose lines are parsed back and pushed to `sink` (or passed to it), for tests to look at. */
export function captureLogger(sink: LogRecord[] | ((record: LogRecord) => void), level: LogLevel = 'trace'): Logger {
  const take = Array.isArray(sink) ? (record: LogRecord) => void sink.push(record) : sink;
  return createLogger(
    {
      write(line: string) {
        const record = parseLogLine(line);
        if (record !== undefined) take(record);
      },
    },
    level,
  );
}
