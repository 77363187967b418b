import type { WindowClock } from './clock.js';
import type { EvictionPolicy } from './eviction-policy.js';
import type { TriggerHandler, TriggerPolicy } from './trigger-policy.js';

/**
 * Evaluates the window every `every` ms from `start()`, with or without new events
 * (Storm's TimeTriggerPolicy): windows align to the bolt's start, not to the epoch. The
 * reference time is the firing time minus 1 ms, so an event stamped in the firing
 * millisecond belongs to the next window.
 */
export class TimeTrigger<T> implements TriggerPolicy<T> {
  private cancel: (() => void) | undefined;

  constructor(
    private readonly every: number,
    private readonly handler: TriggerHandler,
    private readonly eviction: EvictionPolicy<T>,
    private readonly clock: WindowClock,
    /** Runs each firing: the runner serializes it with inputs and evaluations in progress. */
    private readonly schedule: (fire: () => void) => void,
  ) {}

  track(): void {}

  reset(): void {}

  start(): void {
    this.cancel = this.clock.every(this.every, () =>
      this.schedule(() => {
        this.eviction.setContext({ referenceTime: this.clock.now() - 1, slidingInterval: this.every });
        this.handler.onTrigger();
      }),
    );
  }

  shutdown(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
