import type { ConfigValue, TopologyConfig } from './config.js';
import { TopoError } from './errors.js';
import type { Tuple } from './tuple.js';

/** Storm's window keys (its Config.java), so configs and habits carry over; Topo's own start with `topo.`. */
export const WINDOW_LENGTH_COUNT = 'topology.bolts.window.length.count';
export const WINDOW_LENGTH_MS = 'topology.bolts.window.length.duration.ms';
export const WINDOW_SLIDING_COUNT = 'topology.bolts.window.sliding.interval.count';
export const WINDOW_SLIDING_MS = 'topology.bolts.window.sliding.interval.duration.ms';
export const WINDOW_LAG_MS = 'topology.bolts.tuple.timestamp.max.lag.ms';
export const WINDOW_WATERMARK_INTERVAL_MS = 'topology.bolts.watermark.event.interval.ms';
export const WINDOW_LATE_STREAM = 'topology.bolts.late.tuple.stream';
/** Event time from this input field (Storm has no key: its extractor is an object on the bolt). */
export const WINDOW_TIMESTAMP_FIELD = 'topo.bolts.tuple.timestamp.field';
/** Event time from the spec's extractor function, which cannot be JSON; the flag says there is one. */
export const WINDOW_TIMESTAMP_EXTRACTOR = 'topo.bolts.tuple.timestamp.extractor';
/** The single field of a late tuple stream (Storm's name). */
export const LATE_TUPLE_FIELD = 'late_tuple';

/** A duration in one unit: `{ seconds: 60 }`, `{ ms: 500 }`. */
export type WindowDuration = { ms: number } | { seconds: number } | { minutes: number } | { hours: number } | { days: number };
/** A window length or sliding interval: a number of tuples, or a duration. */
export type WindowSize = { count: number } | WindowDuration;

/** Reads a tuple's event time, in milliseconds since the epoch (any positive, increasing scale works). */
export type TimestampExtractor = (tuple: Tuple) => number;

/** The `window:` option of a windowed bolt's spec. */
export interface WindowOptions {
  /** How much a window holds: the last `count` tuples, or the tuples of the last duration. */
  length: WindowSize;
  /** How often a window is evaluated; omitted, the window tumbles (slide = length). Storm's `withWindow(L)` is `slide: { count: 1 }`. */
  slide?: WindowSize;
  /** Event time: the input field holding each tuple's timestamp (a number of ms), or a function reading it. Omitted: processing time. */
  timestamp?: string | TimestampExtractor;
  /** Event time: how far out of order tuples may arrive (default 0). */
  lag?: WindowDuration;
  /** Event time: how often watermarks are computed (default 1 s). Per component, unlike Storm, which drops the per-bolt value. */
  watermarkInterval?: WindowDuration;
  /** Event time: emit late tuples on this stream (one field, `late_tuple`) instead of dropping and counting them. */
  lateStream?: string;
}

const UNIT_MS = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** The size as Storm's keys: a count, or whole milliseconds; throws naming `what` for a malformed size. */
function sizeOf(size: unknown, what: string, component: string): { count: number } | { ms: number } {
  const keys = typeof size === 'object' && size !== null ? Object.keys(size) : [];
  if (keys.length !== 1 || !(keys[0] === 'count' || keys[0] in UNIT_MS)) {
    throw new TopoError(`component ${component}: window ${what} must be one of { count }, { ms }, { seconds }, { minutes }, { hours }, { days } (got ${JSON.stringify(size)})`, { component });
  }
  const value = (size as Record<string, unknown>)[keys[0]];
  if (typeof value !== 'number') throw new TopoError(`component ${component}: window ${what} must be a number (got ${JSON.stringify(value)})`, { component });
  // Fractions of a unit become whole ms; range and integrality are the schema's to report, with the rest.
  return keys[0] === 'count' ? { count: value } : { ms: Math.round(value * UNIT_MS[keys[0] as keyof typeof UNIT_MS]) };
}

/**
 * The component config a spec's `window:` option compiles to: Storm's keys, with the
 * sliding interval always explicit (Storm's default of one tuple applies only to raw config).
 */
export function windowComponentConfig(options: WindowOptions, component: string): TopologyConfig {
  const config: Record<string, ConfigValue> = {};
  const length = sizeOf(options.length, 'length', component);
  const slide = options.slide === undefined ? length : sizeOf(options.slide, 'slide', component);
  if ('count' in length) config[WINDOW_LENGTH_COUNT] = length.count;
  else config[WINDOW_LENGTH_MS] = length.ms;
  if ('count' in slide) config[WINDOW_SLIDING_COUNT] = slide.count;
  else config[WINDOW_SLIDING_MS] = slide.ms;
  if (typeof options.timestamp === 'string') config[WINDOW_TIMESTAMP_FIELD] = options.timestamp;
  else if (typeof options.timestamp === 'function') config[WINDOW_TIMESTAMP_EXTRACTOR] = true;
  if (options.lag !== undefined) config[WINDOW_LAG_MS] = msOf(options.lag, 'lag', component);
  if (options.watermarkInterval !== undefined) config[WINDOW_WATERMARK_INTERVAL_MS] = msOf(options.watermarkInterval, 'watermarkInterval', component);
  if (options.lateStream !== undefined) config[WINDOW_LATE_STREAM] = options.lateStream;
  return config;
}

function msOf(duration: WindowDuration, what: string, component: string): number {
  const size = sizeOf(duration, what, component);
  if ('count' in size) throw new TopoError(`component ${component}: window ${what} must be a duration, not a count`, { component });
  return size.ms;
}

/** A window as a worker runs it, read from a component's merged config. */
export interface WindowSettings {
  length: { count: number } | { ms: number };
  slide: { count: number } | { ms: number };
  /** Event time: where the timestamp comes from; undefined for processing time. */
  timestamp: { field: string } | { extractor: true } | undefined;
  lagMs: number;
  watermarkIntervalMs: number;
  lateStream: string | undefined;
}

/**
 * Reads the window keys as Storm's executor does: a count key wins over a duration key
 * of the same dimension, and with neither sliding key the window slides by one tuple.
 * Undefined when no length is set (validation reports it).
 */
export function readWindowSettings(config: Readonly<TopologyConfig>): WindowSettings | undefined {
  const num = (key: string): number | undefined => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const lengthCount = num(WINDOW_LENGTH_COUNT);
  const lengthMs = num(WINDOW_LENGTH_MS);
  const length = lengthCount !== undefined ? { count: lengthCount } : lengthMs !== undefined ? { ms: lengthMs } : undefined;
  if (length === undefined) return undefined;
  const slideCount = num(WINDOW_SLIDING_COUNT);
  const slideMs = num(WINDOW_SLIDING_MS);
  const slide = slideCount !== undefined ? { count: slideCount } : slideMs !== undefined ? { ms: slideMs } : { count: 1 };
  const field = config[WINDOW_TIMESTAMP_FIELD];
  const timestamp = typeof field === 'string' ? { field } : config[WINDOW_TIMESTAMP_EXTRACTOR] === true ? ({ extractor: true } as const) : undefined;
  const late = config[WINDOW_LATE_STREAM];
  return {
    length,
    slide,
    timestamp,
    lagMs: num(WINDOW_LAG_MS) ?? 0,
    watermarkIntervalMs: num(WINDOW_WATERMARK_INTERVAL_MS) ?? 1000,
    lateStream: typeof late === 'string' ? late : undefined,
  };
}
