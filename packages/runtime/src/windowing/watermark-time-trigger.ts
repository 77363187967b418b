import type { EvictionPolicy } from './eviction-policy.js';
import type { TriggerPolicy } from './trigger-policy.js';
import type { WindowEvent } from './window-event.js';
import type { WindowManager } from './window-manager.js';

/**
 * Event time, duration slide (Storm's WatermarkTimeTriggerPolicy): a watermark evaluates
 * every window whose end it has passed. Ends are multiples of the slide (aligned to the
 * epoch); stretches without events are skipped, not evaluated.
 */
export class WatermarkTimeTrigger<T> implements TriggerPolicy<T> {
  private nextWindowEnd = 0;
  private started = false;

  constructor(
    private readonly slide: number,
    private readonly manager: WindowManager<T>,
    private readonly eviction: EvictionPolicy<T>,
  ) {}

  track(event: WindowEvent<T>): void {
    if (!this.started || !event.watermark) return;
    const watermark = event.ts;
    let end = this.nextWindowEnd;
    while (end <= watermark) {
      this.eviction.setContext({ referenceTime: end, currentCount: this.manager.eventCount(end) });
      if (this.manager.onTrigger()) {
        end += this.slide;
        continue;
      }
      const next = this.manager.earliestEventTs(end, watermark);
      if (next === Infinity) break;
      end = next % this.slide === 0 ? next : next + this.slide - (next % this.slide);
    }
    this.nextWindowEnd = end;
  }

  reset(): void {}

  start(): void {
    this.started = true;
  }

  shutdown(): void {}
}
