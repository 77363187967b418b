import { EXPIRE, KEEP, PROCESS, type EvictionAction, type EvictionContext, type EvictionPolicy } from './eviction-policy.js';
import type { WindowClock } from './clock.js';
import type { WindowEvent } from './window-event.js';

/** How far a time trigger may drift from its interval before it is worth a warning (Storm's 100 ms). */
const DRIFT_WARNING_MS = 100;

/**
 * The window is the events of the last `length` ms before the reference time (Storm's
 * TimeEvictionPolicy). `delta` corrects for a time trigger firing late or early, so a
 * late firing does not drop events no window showed (STORM-2489); the first window
 * expires nothing.
 */
export class TimeEviction<T> implements EvictionPolicy<T> {
  context: EvictionContext | undefined;
  protected delta = 0;

  constructor(
    protected readonly length: number,
    private readonly clock: WindowClock,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  track(): void {}

  evict(event: WindowEvent<T>): EvictionAction {
    const now = this.context === undefined ? this.clock.now() : this.context.referenceTime;
    const diff = now - event.ts;
    if (diff >= this.length + this.delta) return EXPIRE;
    if (diff < 0) return KEEP;
    return PROCESS;
  }

  setContext(context: EvictionContext): void {
    const previous = this.context;
    this.context = context;
    if (context.slidingInterval === undefined) return;
    if (previous === undefined) {
      this.delta = Infinity;
      return;
    }
    this.delta = context.referenceTime - previous.referenceTime - context.slidingInterval;
    if (Math.abs(this.delta) > DRIFT_WARNING_MS) this.warn(`window trigger drifted ${this.delta} ms from its ${context.slidingInterval} ms interval`);
  }
}
