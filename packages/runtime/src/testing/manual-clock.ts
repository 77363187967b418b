import { TopoError } from '@topo/topology-dsl';
import type { WindowClock } from '../windowing/clock.js';

interface ManualTimer {
  due: number;
  readonly every: number;
  readonly fn: () => void;
  readonly order: number;
}

/**
 * A clock that moves only when a test says so: `advanceTo`/`advanceBy` run every timer
 * that falls due on the way, in time order, each with `now()` at its due time, so
 * windows fire exactly as they would have, without sleeping. Pass it to `testBolt`,
 * `completeTopology` or a `Worker` as `clock`.
 */
export class ManualClock implements WindowClock {
  private time: number;
  private timers: ManualTimer[] = [];
  private created = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  every(ms: number, fn: () => void): () => void {
    if (!(ms > 0)) throw new TopoError(`ManualClock: a timer interval must be positive (got ${ms})`);
    const timer: ManualTimer = { due: this.time + ms, every: ms, fn, order: this.created++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock to `time`, running due timers on the way. */
  advanceTo(time: number): void {
    if (time < this.time) throw new TopoError(`ManualClock: cannot go back from ${this.time} to ${time}`);
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers) if (t.due <= time && (next === undefined || t.due < next.due || (t.due === next.due && t.order < next.order))) next = t;
      if (next === undefined) break;
      this.time = next.due;
      next.due += next.every;
      next.fn();
    }
    this.time = time;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }
}
