import { EXPIRE, KEEP, PROCESS, STOP, type EvictionAction, type EvictionContext, type EvictionPolicy } from './eviction-policy.js';
import type { WindowEvent } from './window-event.js';

/**
 * Event time, count length (Storm's WatermarkCountEvictionPolicy): the last `length`
 * events with a timestamp up to the window's end. Nothing is evicted before the first
 * watermark.
 */
export class WatermarkCountEviction<T> implements EvictionPolicy<T> {
  context: EvictionContext | undefined;
  private currentCount = 0;
  private processed = 0;

  constructor(private readonly length: number) {}

  track(): void {}

  evict(event: WindowEvent<T>): EvictionAction {
    if (this.context === undefined) return STOP;
    if (event.ts <= this.context.referenceTime && this.processed < this.currentCount) {
      if (this.currentCount > this.length) {
        this.currentCount--;
        return EXPIRE;
      }
      this.processed++;
      return PROCESS;
    }
    return KEEP;
  }

  setContext(context: EvictionContext): void {
    this.context = context;
    this.currentCount = context.currentCount ?? this.processed + (context.slidingCount ?? 0);
    this.processed = 0;
  }
}
