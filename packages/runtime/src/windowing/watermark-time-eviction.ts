import { STOP, KEEP, type EvictionAction } from './eviction-policy.js';
import { TimeEviction } from './time-eviction.js';
import type { WindowClock } from './clock.js';
import type { WindowEvent } from './window-event.js';

/**
 * Event time, duration length (Storm's WatermarkTimeEvictionPolicy): a window ending at
 * `E` holds `E - length < ts <= E`. Nothing is evicted before the first watermark; an
 * event more than `lag` past the window's end stops the scan, since arrival order is
 * event order within the lag.
 */
export class WatermarkTimeEviction<T> extends TimeEviction<T> {
  constructor(
    length: number,
    private readonly lag: number,
    clock: WindowClock,
  ) {
    super(length, clock);
  }

  override evict(event: WindowEvent<T>): EvictionAction {
    if (this.context === undefined) return STOP;
    const diff = this.context.referenceTime - event.ts;
    if (diff < -this.lag) return STOP;
    if (diff < 0) return KEEP;
    return super.evict(event);
  }
}
