/**
 * Where a window reads the time and schedules its timers (time triggers, the watermark
 * generator). Injected so tests can run windows on a clock they advance by hand
 * (`ManualClock`) instead of sleeping.
 */
export interface WindowClock {
  /** Milliseconds since the epoch (or since any origin the clock chooses). */
  now(): number;
  /** Calls `fn` every `ms` ms, first `ms` ms from now; returns what cancels it. */
  every(ms: number, fn: () => void): () => void;
}

/** The wall clock and the event loop's timers: processing time is wall-clock time, as in Storm. */
export const systemClock: WindowClock = {
  now: () => Date.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};
