import type { EvictionPolicy } from './eviction-policy.js';
import type { TriggerPolicy } from './trigger-policy.js';
import type { WindowEvent } from './window-event.js';
import type { WindowManager } from './window-manager.js';

/** An event-time trigger: it ignores inputs and evaluates windows as watermarks pass them. */
export abstract class WatermarkTrigger<T> implements TriggerPolicy<T> {
  private started = false;

  constructor(
    protected readonly every: number,
    protected readonly manager: WindowManager<T>,
    protected readonly eviction: EvictionPolicy<T>,
  ) {}

  track(event: WindowEvent<T>): void {
    if (this.started && event.watermark) this.onWatermark(event.ts);
  }

  protected abstract onWatermark(watermark: number): void;

  reset(): void {}

  start(): void {
    this.started = true;
  }

  shutdown(): void {}
}
