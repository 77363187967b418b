import type { LogLevel } from '@topo/topology-dsl';

export interface LogRecord {
  level: LogLevel;
  component?: string;
  task?: number;
  message: string;
  error?: unknown;
}

/** Where engine and component logs go; the CLI and daemons choose the sink. */
export type Logger = (record: LogRecord) => void;

const LEVELS: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** Writes `time level [component:task] message` lines to stderr at or above `min`. */
export function stderrLogger(min: LogLevel = 'info'): Logger {
  return (record) => {
    if (LEVELS[record.level] < LEVELS[min]) return;
    const where = record.component !== undefined ? ` [${record.component}${record.task !== undefined ? `:${record.task}` : ''}]` : '';
    const detail = record.error instanceof Error && record.error.stack !== undefined && record.level === 'error' ? `\n${record.error.stack}` : '';
    process.stderr.write(`${new Date().toISOString()} ${record.level.toUpperCase()}${where} ${record.message}${detail}\n`);
  };
}
