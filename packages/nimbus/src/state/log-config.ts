import type { LevelName, LevelOverrides } from '@topo/runtime';
import { HttpError } from '../api/http-error.js';

/** Storm's level names, as `set_log_level` and the UI send them. */
export const STORM_LOG_LEVELS = ['ALL', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'] as const;
export type StormLogLevel = (typeof STORM_LOG_LEVELS)[number];

const PINO_LEVEL: Record<StormLogLevel, LevelName> = { ALL: 'trace', TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'fatal', OFF: 'silent' };

/** One logger's override, in Storm's field names (`/api/v1/topology/:id/logconfig`). */
export interface NamedLoggerLevel {
  target_level: StormLogLevel;
  /** What the logger goes back to when the override ends: the level workers start with. */
  reset_level: StormLogLevel;
  /** Seconds it lasts; 0: until removed. */
  timeout: number;
  /** When it ends (epoch ms); 0: never. */
  timeout_epoch: number;
}

/**
 * A topology's log levels set at run time, by logger name: `ROOT` (every logger of its
 * workers) or a component's name. Stored as it is in Redis; workers read it with their
 * assignment and apply what has not expired.
 */
export interface LogConfig {
  namedLoggerLevels: Record<string, NamedLoggerLevel>;
}

export const logConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:log-config',
  type: 'object',
  required: ['namedLoggerLevels'],
  additionalProperties: false,
  properties: {
    namedLoggerLevels: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['target_level', 'reset_level', 'timeout', 'timeout_epoch'],
        additionalProperties: false,
        properties: {
          target_level: { enum: STORM_LOG_LEVELS },
          reset_level: { enum: STORM_LOG_LEVELS },
          timeout: { type: 'number', minimum: 0 },
          timeout_epoch: { type: 'number', minimum: 0 },
        },
      },
    },
  },
} as const;

/** The longest override nimbus keeps a logger name to, and how many names one topology may have. */
const MAX_LOGGER_NAME = 256;
const MAX_LOGGERS = 256;

/**
 * Storm's `setLogConfig`: each entry of `request.namedLoggerLevels` sets (`target_level`
 * a level, `timeout` seconds, 0 or absent for no end) or removes (`target_level: null`)
 * the override of that logger; entries not named stay as they are, and expired ones
 * go. A bad entry is refused whole (400 naming the logger and field): unlike Storm, an
 * unknown level is not quietly read as DEBUG.
 */
export function mergeLogConfig(current: LogConfig | undefined, request: unknown, now: number, resetLevel: StormLogLevel = 'INFO'): LogConfig {
  const entries = (request as { namedLoggerLevels?: unknown } | null)?.namedLoggerLevels;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new HttpError(400, 'the body must be {"namedLoggerLevels": {"<logger>": {"target_level": "DEBUG", "timeout": 30}}}');
  }
  const next: Record<string, NamedLoggerLevel> = Object.fromEntries(Object.entries(unexpired(current, now)));
  for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
    if (name === '' || name.length > MAX_LOGGER_NAME) throw new HttpError(400, `logger names must be 1 to ${MAX_LOGGER_NAME} characters (ROOT or a component's name)`);
    const { target_level: target, timeout = 0 } = (entry ?? {}) as { target_level?: unknown; timeout?: unknown };
    if (target === null) {
      delete next[name];
      continue;
    }
    const level = typeof target === 'string' ? target.toUpperCase() : target;
    if (!STORM_LOG_LEVELS.includes(level as StormLogLevel)) {
      throw new HttpError(400, `logger ${name}: target_level must be one of ${STORM_LOG_LEVELS.join(', ')} (or null to remove it), got ${JSON.stringify(target)}`);
    }
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
      throw new HttpError(400, `logger ${name}: timeout must be a number of seconds >= 0 (0: no end), got ${JSON.stringify(timeout)}`);
    }
    next[name] = { target_level: level as StormLogLevel, reset_level: resetLevel, timeout, timeout_epoch: timeout > 0 ? now + Math.round(timeout * 1000) : 0 };
  }
  if (Object.keys(next).length > MAX_LOGGERS) throw new HttpError(400, `at most ${MAX_LOGGERS} loggers may have a level set`);
  return { namedLoggerLevels: next };
}

/** The overrides in force at `now`, as the levels a worker's loggers take. */
export function levelOverrides(config: LogConfig | undefined, now: number): LevelOverrides {
  return Object.fromEntries(Object.entries(unexpired(config, now)).map(([name, entry]) => [name, PINO_LEVEL[entry.target_level]]));
}

/** The entries that have not run out at `now`. */
export function unexpired(config: LogConfig | undefined, now: number): Record<string, NamedLoggerLevel> {
  return Object.fromEntries(Object.entries(config?.namedLoggerLevels ?? {}).filter(([, e]) => e.timeout_epoch === 0 || e.timeout_epoch > now));
}
