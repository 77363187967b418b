import type { Logger, LogRecord } from '@topo/runtime';
import { captureLogger } from '@topo/runtime';

/** A logger that keeps what it is given, so tests can check what a component said (and how often). */
export function logCapture(): { logger: Logger; records: LogRecord[]; matching(component: string, pattern: RegExp): LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    logger: captureLogger(records),
    records,
    matching: (component, pattern) => records.filter((r) => r.component === component && pattern.test(r.message)),
  };
}
