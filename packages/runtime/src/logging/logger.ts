import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '@topo/topology-dsl';
import { terminalLines } from './terminal-lines.js';

/**
 * Every engine and daemon logger is a pino logger: `logger.info(msg)`,
 * `logger.error(err, msg)`, `logger.child({ component, task })`. A line is one JSON object
 * (`time` in epoch ms, `level` as a name, the context fields, `msg`, `err`), written to a
 * destination the process chose: a rotating file for workers, terminal lines for daemons.
 */
export type Logger = PinoLogger;

/** The context fields a line may carry, named as in the JSON. */
export interface LogContext {
  /** The worker that wrote it. */
  worker?: string;
  component?: string;
  task?: number;
}

/** One line as written, parsed back (the CLI's `topo logs` and tests read these). */
export interface LogRecord extends LogContext {
  time: number;
  level: LogLevel | 'fatal';
  message: string;
  error?: { type?: string; message?: string; stack?: string };
}

/** Builds a logger writing JSON lines to `destination`. */
export function createLogger(destination: DestinationStream, level: LogLevel = 'info', context: LogContext = {}): Logger {
  return pino(
    {
      level,
      // Names, not numbers: the files are read by people and by `grep` as much as by tools.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.epochTime,
      base: context,
      serializers: { err: stdSerializers.err },
    },
    destination,
  );
}

/**
 * The daemons' and `topo run`'s logger: human lines on stderr, or the JSON lines
 * themselves when `TOPO_LOG_FORMAT=json` (for a log collector).
 */
export function terminalLogger(level: LogLevel = 'info', context: LogContext = {}): Logger {
  const json = process.env.TOPO_LOG_FORMAT === 'json';
  return createLogger(json ? process.stderr : terminalLines(process.stderr), level, context);
}

/** Parses one written line; undefined for a line that is not one of ours (a crash trace in the same file). */
export function parseLogLine(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw.time !== 'number' || typeof raw.level !== 'string') return undefined;
  const record: LogRecord = { time: raw.time, level: raw.level as LogRecord['level'], message: typeof raw.msg === 'string' ? raw.msg : '' };
  if (typeof raw.worker === 'string') record.worker = raw.worker;
  if (typeof raw.component === 'string') record.component = raw.component;
  if (typeof raw.task === 'number') record.task = raw.task;
  if (typeof raw.err === 'object' && raw.err !== null) record.error = raw.err as LogRecord['error'];
  return record;
}

/** A logger that writes nothing (testing helpers whose callers look at results, not lines). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
