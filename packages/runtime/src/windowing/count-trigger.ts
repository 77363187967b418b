import type { WindowClock } from './clock.js';
import type { EvictionPolicy } from './eviction-policy.js';
import type { TriggerHandler, TriggerPolicy } from './trigger-policy.js';
import type { WindowEvent } from './window-event.js';

/** Evaluates the window every `every` events (Storm's CountTriggerPolicy); the window's end is the clock when it fires. */
export class CountTrigger<T> implements TriggerPolicy<T> {
  private count = 0;
  private started = false;

  constructor(
    private readonly every: number,
    private readonly handler: TriggerHandler,
    private readonly eviction: EvictionPolicy<T>,
    private readonly clock: WindowClock,
  ) {}

  track(event: WindowEvent<T>): void {
    if (!this.started || event.watermark) return;
    if (++this.count >= this.every) {
      this.eviction.setContext({ referenceTime: this.clock.now() });
      this.handler.onTrigger();
    }
  }

  reset(): void {
    this.count = 0;
  }

  start(): void {
    this.started = true;
  }

  shutdown(): void {}
}
