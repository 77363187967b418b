/**
 * Where in a component an error came from: the method that threw, `reportError` when the
 * component reported it itself (multi-lang subprocesses' `error` commands and deaths
 * included).
 */
export type ErrorSource = 'open' | 'prepare' | 'activate' | 'deactivate' | 'nextTuple' | 'process' | 'ack' | 'fail' | 'close' | 'cleanup' | 'reportError' | 'checkpoint';

/**
 * One error of a component as kept and shown (Storm's ErrorInfo, plus what Topo knows):
 * plain data, the same locally, over a worker's IPC channel and in Redis.
 */
export interface ErrorRecord {
  component: string;
  task: number;
  /** The worker process it happened in; absent when the run has one worker, in its own process. */
  worker?: string;
  /** The worker's address (the host and port it listens on for other workers). */
  host?: string;
  port?: number;
  /** When it happened, ms since the epoch. */
  time: number;
  source: ErrorSource;
  /** One line naming the error: `ENOENT data/urls.txt` for a failed file operation, else its message's first line. */
  summary: string;
  /** The full text, stack included, cut to `MAX_ERROR_TEXT` characters. */
  error: string;
}

/** Longest summary kept: Storm's `lastError` is 200 characters. */
export const MAX_ERROR_SUMMARY = 200;
/** Longest error text kept: a stack, with its causes, fits; an input echoed into a message cannot fill memory or Redis. */
export const MAX_ERROR_TEXT = 8192;

/** Where the record came from, minus what the error itself says. */
export interface ErrorOrigin {
  worker?: string;
  host?: string;
  port?: number;
}

export function errorRecord(component: string, task: number, source: ErrorSource, error: unknown, time: number, origin: ErrorOrigin): ErrorRecord {
  const record: ErrorRecord = { component, task, time, source, summary: errorSummary(error), error: errorText(error) };
  if (origin.worker !== undefined) record.worker = origin.worker;
  if (origin.host !== undefined) record.host = origin.host;
  if (origin.port !== undefined) record.port = origin.port;
  return record;
}

/**
 * The line a status shows: `urlSpout open(): ENOENT data/urls.txt` (a component's own
 * report reads `urlSpout: ...`).
 */
export function errorHeadline(record: Pick<ErrorRecord, 'component' | 'source' | 'summary'>): string {
  return record.source === 'reportError' ? `${record.component}: ${record.summary}` : `${record.component} ${record.source}(): ${record.summary}`;
}

function errorSummary(error: unknown): string {
  const system = error as NodeJS.ErrnoException | undefined;
  // Node's file errors say `ENOENT: no such file or directory, open 'data/urls.txt'`; the code and path are what a status line needs.
  if (error instanceof Error && typeof system?.code === 'string' && typeof system.path === 'string') return cut(`${system.code} ${system.path}`, MAX_ERROR_SUMMARY);
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n', 1)[0].trim();
  return cut(line === '' && error instanceof Error ? error.name : line, MAX_ERROR_SUMMARY);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return cut(text, MAX_ERROR_TEXT);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
