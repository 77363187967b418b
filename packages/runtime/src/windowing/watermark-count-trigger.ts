import { WatermarkTrigger } from './watermark-trigger.js';

/**
 * Event time, count slide (Storm's WatermarkCountTriggerPolicy): a watermark evaluates a
 * window for every `every` events with timestamps up to it; events short of the next
 * `every` wait for a later watermark. A window's end is the largest event time counted.
 */
export class WatermarkCountTrigger<T> extends WatermarkTrigger<T> {
  private lastProcessedTs = 0;

  protected onWatermark(watermark: number): void {
    for (const ts of this.manager.slidingCountTimestamps(this.lastProcessedTs, watermark, this.every)) {
      this.eviction.setContext({ referenceTime: ts, slidingCount: this.every });
      this.manager.onTrigger();
      this.lastProcessedTs = ts;
    }
  }
}
