import { STAT_BUCKETS, WINDOW_SECONDS, type StatsWindow } from './stats-windows.js';

interface Snapshot {
  time: number;
  values: Float64Array;
}

/**
 * Storm's approximate rolling windows over cumulative counters. At report time the
 * caller hands in the counters' current values; each window keeps up to STAT_BUCKETS
 * earlier snapshots, one per window/(buckets-1), and a window's value is the current
 * value minus the oldest snapshot still inside it (zero while the counters are younger
 * than the window). So a window covers between 19/20 of its length and all of it, as in
 * Storm, and nothing is done per tuple.
 */
export class RollingWindows {
  private readonly rings = new Map<StatsWindow, Snapshot[]>();

  constructor(
    /** When the counters started (ms since the epoch): before that, everything was zero. */
    private readonly startedAt: number,
  ) {
    for (const window of Object.keys(WINDOW_SECONDS) as (keyof typeof WINDOW_SECONDS)[]) this.rings.set(window, []);
  }

  /** Each window's delta as of `now`, from the counters' current values; keeps a snapshot when a bucket has passed. */
  roll(current: Float64Array, now: number): Map<StatsWindow, Float64Array> {
    const out = new Map<StatsWindow, Float64Array>();
    for (const [window, ring] of this.rings) {
      const lengthMs = WINDOW_SECONDS[window as keyof typeof WINDOW_SECONDS] * 1000;
      const from = now - lengthMs;
      while (ring.length > 0 && ring[0].time < from) ring.shift();
      const base = this.startedAt >= from ? undefined : (ring[0]?.values ?? current);
      out.set(window, base === undefined ? current.slice() : subtract(current, base));
      const step = lengthMs / (STAT_BUCKETS - 1);
      const newest = ring[ring.length - 1];
      if (newest === undefined || now - newest.time >= step) ring.push({ time: now, values: current.slice() });
    }
    out.set(':all-time', current.slice());
    return out;
  }
}

function subtract(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  // A base from before a counter array grew is shorter: the rest was zero.
  for (let i = 0; i < a.length; i++) out[i] = a[i] - (i < b.length ? b[i] : 0);
  return out;
}
