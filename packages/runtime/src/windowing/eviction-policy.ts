import type { WindowEvent } from './window-event.js';

/** What an eviction policy decides for a queued event during a scan (Storm's Action). */
export const EXPIRE = 0;
/** In the window being evaluated. */
export const PROCESS = 1;
/** Not in this window, but stays queued for a later one. */
export const KEEP = 2;
/** Nothing later in the queue can qualify: end the scan. */
export const STOP = 3;
export type EvictionAction = typeof EXPIRE | typeof PROCESS | typeof KEEP | typeof STOP;

/** What a trigger tells the eviction policy before an evaluation. */
export interface EvictionContext {
  /** The window's end; also what `TupleWindow.end` reports. */
  readonly referenceTime: number;
  /** Set by the processing-time time trigger only: lets time eviction correct for timer drift. */
  readonly slidingInterval?: number;
  /** Set by the event-time count trigger. */
  readonly slidingCount?: number;
  /** Set by the event-time time trigger: events with a timestamp up to the window's end. */
  readonly currentCount?: number;
}

/** Decides which queued events are in, out of, or not yet in the window. */
export interface EvictionPolicy<T> {
  track(event: WindowEvent<T>): void;
  evict(event: WindowEvent<T>): EvictionAction;
  setContext(context: EvictionContext): void;
  readonly context: EvictionContext | undefined;
}
