import { STAT_NAMES } from './executor-stats.js';

/**
 * One executor's stats over one window, in Storm's terms. Outputs (emitted, transferred;
 * a spout's acked, failed and complete latency) are keyed by the executor's own stream;
 * a bolt's inputs (executed, acked, failed, latencies) by `sourceComponent:stream`
 * (component names cannot hold a colon). Latencies are averages in milliseconds over the
 * sampled events. Zeros are left out.
 */
export interface WindowStats {
  emitted: Record<string, number>;
  transferred: Record<string, number>;
  acked: Record<string, number>;
  failed: Record<string, number>;
  executed: Record<string, number>;
  executeLatencyMs: Record<string, number>;
  processLatencyMs: Record<string, number>;
  completeLatencyMs: Record<string, number>;
}

/** Names a catalog index: the stream's component and name. */
export interface StreamName {
  component: string;
  stream: string;
}

/** The key of a bolt input in WindowStats. */
export function inputKey(component: string, stream: string): string {
  return `${component}:${stream}`;
}

/** Splits an input key into its source component and stream. */
export function splitInputKey(key: string): StreamName {
  const at = key.indexOf(':');
  return at === -1 ? { component: '', stream: key } : { component: key.slice(0, at), stream: key.slice(at + 1) };
}

export function emptyWindowStats(): WindowStats {
  return { emitted: {}, transferred: {}, acked: {}, failed: {}, executed: {}, executeLatencyMs: {}, processLatencyMs: {}, completeLatencyMs: {} };
}

const at = (name: (typeof STAT_NAMES)[number]) => STAT_NAMES.indexOf(name);

/** Turns a window's delta of `ExecutorStats.vector()` into WindowStats. */
export function windowStats(delta: Float64Array, streams: readonly StreamName[], kind: 'spout' | 'bolt' | 'acker'): WindowStats {
  const n = streams.length;
  const out = emptyWindowStats();
  const value = (name: (typeof STAT_NAMES)[number], i: number) => delta[at(name) * n + i];
  for (let i = 0; i < n; i++) {
    const { component, stream } = streams[i];
    const input = kind === 'bolt' ? inputKey(component, stream) : stream;
    put(out.emitted, stream, value('emitted', i));
    put(out.transferred, stream, value('transferred', i));
    put(out.acked, input, value('acked', i));
    put(out.failed, input, value('failed', i));
    put(out.executed, input, value('executed', i));
    put(out.executeLatencyMs, input, average(value('executeMs', i), value('executeSamples', i)));
    put(out.processLatencyMs, input, average(value('processMs', i), value('processSamples', i)));
    put(out.completeLatencyMs, stream, average(value('completeMs', i), value('completeSamples', i)));
  }
  return out;
}

/**
 * Storm's capacity of one bolt executor: the share of the last 10 minutes (or of its
 * uptime, when shorter) spent inside execute, as Σ executed × average execute latency.
 * The first second counts as a whole one, so a bolt that just started does not read as
 * saturated from a handful of inputs.
 */
export function capacity(window600: WindowStats, uptimeSecs: number): number {
  const secs = Math.min(Math.max(uptimeSecs, 1), 600);
  let busyMs = 0;
  for (const [input, executed] of Object.entries(window600.executed)) busyMs += executed * (window600.executeLatencyMs[input] ?? 0);
  return busyMs / (secs * 1000);
}

function put(into: Record<string, number>, key: string, v: number): void {
  if (v !== 0) into[key] = (into[key] ?? 0) + v;
}

function average(sum: number, count: number): number {
  return count > 0 ? sum / count : 0;
}
