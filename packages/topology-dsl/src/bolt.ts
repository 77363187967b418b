import { ComponentSpec, type BoltSpecOptions, type StreamFieldsOf } from './component-spec.js';
import type { AnchorsLike, BoltCollector, TopologyContext } from './context.js';
import { TopoError } from './errors.js';
import type { Tuple } from './tuple.js';
import type { InputFieldsOf } from './tuple-of.js';
import { DEFAULT_STREAM } from './tuple.js';

export interface BoltEmitOptions {
  stream?: string;
  /** Input tuple(s) the new tuple descends from. A BasicBolt anchors to the current input by default. */
  anchors?: AnchorsLike;
}

/**
 * Where a bound bolt keeps its collector. Not a #private field: `emit` runs on instances
 * of every Bolt subclass, so its loads from `this` go megamorphic, and V8 finds a
 * symbol-named property in its stub cache but a private field the slow way, about 100
 * instructions a load (two per emit). Not exported, so users cannot reach it.
 */
const COLLECTOR = Symbol('collector');

/**
 * What a bolt may implement besides `process()`; the engine calls those present.
 * `class MyBolt extends BasicBolt implements BoltHooks` has their signatures checked.
 */
export interface BoltHooks {
  /** Called once before the first `process()`. */
  prepare?(context: TopologyContext): void | Promise<void>;
  /** Called once when the bolt stops. */
  cleanup?(): void | Promise<void>;
}

/**
 * A processing step that acks and fails its inputs itself, and anchors explicitly
 * (Storm's IRichBolt). For the common case extend `BasicBolt`.
 */
export abstract class Bolt {
  // `static outputs`, `static streams` and the type-only `declare static fieldTypes` are
  // the subclass's to declare (see ComponentClassInfo); declaring them here would make
  // every bolt write `override` under noImplicitOverride; likewise the lifecycle hooks
  // (BoltHooks).

  /** When true the engine anchors emits to the input and acks it after `process()` (fails it on a throw). */
  static autoAck = false;

  /**
   * Places this bolt in a topology. When `process()` takes a typed tuple (`TupleOf<...>`),
   * `input` must provide the fields it reads.
   */
  static spec<C extends typeof Bolt>(this: C, options: BoltSpecOptions<InputFieldsOf<C>> = {}): ComponentSpec<StreamFieldsOf<C>> {
    return new ComponentSpec('bolt', this, options);
  }

  [COLLECTOR]: BoltCollector | undefined = undefined;
  #context: TopologyContext | undefined;

  /** Called by the engine before `prepare()`; not for users. */
  bindRuntime(collector: BoltCollector, context: TopologyContext): void {
    this[COLLECTOR] = collector;
    this.#context = context;
  }

  get context(): TopologyContext {
    if (this.#context === undefined) throw new TopoError(`${this.constructor.name}: context is only available once the bolt runs`);
    return this.#context;
  }

  /**
   * Handles one input. May return a promise; `maxInFlight` bounds how many run at once.
   * Type the input with `TupleOf<typeof Upstream>` to have its fields checked.
   */
  abstract process(tuple: Tuple<any, any>): void | Promise<void>;

  emit(values: unknown[], options?: BoltEmitOptions): readonly number[] {
    // Inline on this hot path: a module-level collectorOf() shared with the other methods measured 730 more instructions per URL of the url-parser (bench/instructions.ts).
    const collector = this[COLLECTOR];
    if (collector === undefined) throw this.#unbound();
    return collector.emit(options?.stream ?? DEFAULT_STREAM, values, options?.anchors, undefined);
  }

  emitDirect(task: number, values: unknown[], options?: BoltEmitOptions): readonly number[] {
    return this.#requireCollector().emit(options?.stream ?? DEFAULT_STREAM, values, options?.anchors, task);
  }

  ack(tuple: Tuple): void {
    this.#requireCollector().ack(tuple);
  }

  fail(tuple: Tuple): void {
    this.#requireCollector().fail(tuple);
  }

  reportError(error: unknown): void {
    this.#requireCollector().reportError(error);
  }

  #requireCollector(): BoltCollector {
    const collector = this[COLLECTOR];
    if (collector === undefined) throw this.#unbound();
    return collector;
  }

  #unbound(): TopoError {
    return new TopoError(`${this.constructor.name}: emit is only possible once the bolt runs`);
  }
}

/**
 * The common case (Storm's IBasicBolt): emits are anchored to the input being processed,
 * the input is acked when `process()` returns (or its promise resolves) and failed when
 * it throws. An emit after an `await` in a bolt with `maxInFlight` > 1 must name its anchors.
 */
export abstract class BasicBolt extends Bolt {
  static override autoAck = true;
}
