import type { EvictionPolicy } from './eviction-policy.js';
import type { TriggerPolicy } from './trigger-policy.js';
import type { WindowEvent } from './window-event.js';
import type { WindowManager } from './window-manager.js';

/**
 * Event time, count slide (Storm's WatermarkCountTriggerPolicy): a watermark evaluates a
 * window for every `every` events with timestamps up to it; events short of the next
 * `every` wait for a later watermark. A window's end is the largest event time counted.
 */
export class WatermarkCountTrigger<T> implements TriggerPolicy<T> {
  private lastProcessedTs = 0;
  private started = false;

  constructor(
    private readonly every: number,
    private readonly manager: WindowManager<T>,
    private readonly eviction: EvictionPolicy<T>,
  ) {}

  track(event: WindowEvent<T>): void {
    if (!this.started || !event.watermark) return;
    for (const ts of this.manager.slidingCountTimestamps(this.lastProcessedTs, event.ts, this.every)) {
      this.eviction.setContext({ referenceTime: ts, slidingCount: this.every });
      this.manager.onTrigger();
      this.lastProcessedTs = ts;
    }
  }

  reset(): void {}

  start(): void {
    this.started = true;
  }

  shutdown(): void {}
}
