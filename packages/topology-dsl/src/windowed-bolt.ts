import { Bolt } from './bolt.js';
import { ComponentSpec, type BoltSpecOptions, type StreamFieldsOf } from './component-spec.js';
import { TopoError } from './errors.js';
import type { Tuple } from './tuple.js';
import type { WindowOptions } from './window-config.js';

/** What `execute()` of a windowed bolt receives: one evaluation of its window. */
export interface TupleWindow {
  /** Every tuple in the window, in arrival order. */
  readonly tuples: readonly Tuple[];
  /** Tuples not in the previous evaluation. */
  readonly newTuples: readonly Tuple[];
  /** Tuples that left the window since the previous evaluation (already acked). */
  readonly expiredTuples: readonly Tuple[];
  /** `end` minus the window length for a duration window; undefined for a count window (Storm's null). */
  readonly start: number | undefined;
  /**
   * The window's reference time: for a processing-time duration slide the firing time
   * minus 1 ms; for a processing-time count slide the clock when it fired; for event time
   * the window's end (duration slide) or the largest event time counted (count slide).
   */
  readonly end: number;
}

export interface WindowedBoltSpecOptions extends BoltSpecOptions {
  window: WindowOptions;
}

/**
 * A bolt that sees windows of tuples instead of single tuples (Storm's BaseWindowedBolt).
 * The engine keeps the window, calls `execute(window)` when it slides, acks each input
 * when it leaves the window, and anchors an emit without explicit anchors to every tuple
 * of the current window. Do not ack or fail inputs yourself.
 */
export abstract class WindowedBolt extends Bolt {
  /** Tells the compiler (and through the definition, the engine) to run this class through a window. */
  static windowed = true;

  /** Places this bolt in a topology with its window: `TopHosts.spec({ input, window: { length: { seconds: 60 }, slide: { seconds: 10 } } })`. */
  static override spec<C extends typeof Bolt>(this: C, options: WindowedBoltSpecOptions): ComponentSpec<StreamFieldsOf<C>> {
    return new ComponentSpec('bolt', this, options);
  }

  /** Handles one evaluation of the window. May return a promise; the next evaluation waits for it. */
  abstract execute(window: TupleWindow): void | Promise<void>;

  /** Inputs reach a windowed bolt through its window, never here. */
  process(_tuple: Tuple): never {
    throw new TopoError(`${this.constructor.name} is a WindowedBolt: the engine calls execute(window), not process()`);
  }
}
