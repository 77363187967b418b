import { ComponentSpec, type BoltSpecOptions, type StreamDeclaration, type StreamFieldsOf } from './component-spec.js';
import type { AnchorsLike, BoltCollector, TopologyContext } from './context.js';
import { TopoError } from './errors.js';
import type { Tuple } from './tuple.js';
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
 * A processing step that acks and fails its inputs itself, and anchors explicitly
 * (Storm's IRichBolt). For the common case extend `BasicBolt`.
 */
export abstract class Bolt {
  static outputs: StreamDeclaration = [];
  static streams: Readonly<Record<string, StreamDeclaration>> = {};
  /** When true the engine anchors emits to the input and acks it after `process()` (fails it on a throw). */
  static autoAck = false;

  /** Places this bolt in a topology. */
  static spec<C extends typeof Bolt>(this: C, options: BoltSpecOptions = {}): ComponentSpec<StreamFieldsOf<C>> {
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

  prepare(_context: TopologyContext): void | Promise<void> {}
  cleanup(): void | Promise<void> {}
  /** Handles one input. May return a promise; `maxInFlight` bounds how many run at once. */
  abstract process(tuple: Tuple): void | Promise<void>;

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
