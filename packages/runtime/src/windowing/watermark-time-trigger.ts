import { WatermarkTrigger } from './watermark-trigger.js';

/**
 * Event time, duration slide (Storm's WatermarkTimeTriggerPolicy): a watermark evaluates
 * every window whose end it has passed. Ends are multiples of the slide (aligned to the
 * epoch); stretches without events are skipped, not evaluated.
 */
export class WatermarkTimeTrigger<T> extends WatermarkTrigger<T> {
  private nextWindowEnd = 0;

  protected onWatermark(watermark: number): void {
    const slide = this.every;
    let end = this.nextWindowEnd;
    while (end <= watermark) {
      this.eviction.setContext({ referenceTime: end, currentCount: this.manager.eventCount(end) });
      if (this.manager.onTrigger()) {
        end += slide;
        continue;
      }
      const next = this.manager.earliestEventTs(end, watermark);
      if (next === Infinity) break;
      end = next % slide === 0 ? next : next + slide - (next % slide);
    }
    this.nextWindowEnd = end;
  }
}
