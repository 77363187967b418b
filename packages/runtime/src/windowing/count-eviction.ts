import { EXPIRE, PROCESS, type EvictionAction, type EvictionContext, type EvictionPolicy } from './eviction-policy.js';
import type { WindowEvent } from './window-event.js';

/** The window is the last `length` events in arrival order (Storm's CountEvictionPolicy). */
export class CountEviction<T> implements EvictionPolicy<T> {
  private count = 0;
  context: EvictionContext | undefined;

  constructor(private readonly length: number) {}

  track(event: WindowEvent<T>): void {
    if (!event.watermark) this.count++;
  }

  evict(): EvictionAction {
    if (this.count > this.length) {
      this.count--;
      return EXPIRE;
    }
    return PROCESS;
  }

  setContext(context: EvictionContext): void {
    this.context = context;
  }
}
