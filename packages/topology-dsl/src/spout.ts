import { ComponentSpec, type SpoutSpecOptions, type StreamFieldsOf } from './component-spec.js';
import type { SpoutCollector, TopologyContext } from './context.js';
import { TopoError } from './errors.js';
import { DEFAULT_STREAM } from './tuple.js';

export interface SpoutEmitOptions {
  stream?: string;
  /** Track this tuple's tree: `ack(msgId)` or `fail(msgId)` is called when it completes. */
  msgId?: unknown;
}

/**
 * Why a tree failed, the second argument of `Spout.fail` (Storm's `fail` has none, so it
 * is optional to implement):
 * - `failed`: a bolt failed one of its tuples (`fail()`, or a BasicBolt that threw); the
 *   message's own doing as far as the engine can tell.
 * - `timeout`: the tree was not complete within `topology.message.timeout.secs`: a tuple
 *   or an ack lost with a worker or a link, or a bolt too slow or stuck.
 * - `lost`: tuples of the tree could not be delivered (their worker stayed unreachable),
 *   so the tree failed without waiting for the timeout.
 * Only `failed` says something about the message: a source with a retry budget (BullMQ's
 * attempts, a dead-letter limit) spends it on those, and replays the others for free.
 */
export type FailReason = 'failed' | 'timeout' | 'lost';

/**
 * What a spout may implement besides `nextTuple()`; the engine calls those present.
 * `class MySpout extends Spout implements SpoutHooks` has their signatures checked.
 */
export interface SpoutHooks {
  open?(context: TopologyContext): void | Promise<void>;
  activate?(): void;
  deactivate?(): void;
  close?(): void | Promise<void>;
  /** The tree of `msgId` completed. */
  ack?(msgId: unknown): void;
  /** The tree of `msgId` failed, for `reason` (see FailReason); replay it here. */
  fail?(msgId: unknown, reason?: FailReason): void;
  /**
   * Where the spout is now (a file offset, a stream entry id), as JSON. With `rewind` it
   * makes the spout rewindable: its position is saved with every checkpoint of a
   * stateful topology, and a rollback rewinds it to the saved one.
   */
  position?(): unknown;
  /**
   * Continue from `position` (a value `position()` returned), forgetting every message
   * emitted after it; undefined means from the start. Called before the first
   * `nextTuple()` of a stateful topology and after every rollback.
   */
  rewind?(position: unknown): void | Promise<void>;
}

/** Where a bound spout keeps its collector: a symbol, not a #private field, for the reason Bolt's gives. */
const COLLECTOR = Symbol('collector');

/**
 * A source of tuples. Override `nextTuple()` to emit (it may return a promise; it is not
 * called again until that settles). Emit with a `msgId` to have the tree tracked; `fail`
 * is where a spout replays.
 */
export abstract class Spout {
  // Subclasses declare `static outputs` (fields of the `default` stream), `static streams`
  // (named ones: `{ errors: ['reason'] }` or `{ routed: { fields: ['x'], direct: true } }`)
  // and optionally the type-only `declare static fieldTypes`. Neither these nor the
  // lifecycle hooks (SpoutHooks) are declared here, so that a spout implementing them
  // needs no `override` under noImplicitOverride.

  /** Places this spout in a topology. */
  static spec<C extends typeof Spout>(this: C, options: SpoutSpecOptions = {}): ComponentSpec<StreamFieldsOf<C>> {
    return new ComponentSpec('spout', this, options);
  }

  [COLLECTOR]: SpoutCollector | undefined = undefined;
  #context: TopologyContext | undefined;

  /** Called by the engine before `open()`; not for users. */
  bindRuntime(collector: SpoutCollector, context: TopologyContext): void {
    this[COLLECTOR] = collector;
    this.#context = context;
  }

  get context(): TopologyContext {
    if (this.#context === undefined) throw new TopoError(`${this.constructor.name}: context is only available once the spout runs`);
    return this.#context;
  }

  abstract nextTuple(): void | Promise<void>;

  /** Emits on `options.stream` (default `default`); returns the task ids it went to. */
  emit(values: unknown[], options?: SpoutEmitOptions): readonly number[] {
    // Inline on this hot path: a module-level collectorOf() shared with the other methods measured 730 more instructions per URL of the url-parser (bench/instructions.ts).
    const collector = this[COLLECTOR];
    if (collector === undefined) throw this.#unbound();
    return collector.emit(options?.stream ?? DEFAULT_STREAM, values, options?.msgId, undefined);
  }

  /** Emits to one task of a direct-grouping subscriber; the stream must be declared direct. */
  emitDirect(task: number, values: unknown[], options?: SpoutEmitOptions): readonly number[] {
    return this.#requireCollector().emit(options?.stream ?? DEFAULT_STREAM, values, options?.msgId, task);
  }

  reportError(error: unknown): void {
    this.#requireCollector().reportError(error);
  }

  /**
   * Says this task has nothing more to emit: a finite source has read its end. Call it
   * from `nextTuple()` whenever it finds nothing left (it is cheap to repeat). A failed
   * tree undoes it, since `fail()` may queue a replay, until the next call. `topo run`
   * ends by itself once every spout task has said so and no tree is pending.
   */
  markDone(): void {
    this.#requireCollector().markDone();
  }

  #requireCollector(): SpoutCollector {
    const collector = this[COLLECTOR];
    if (collector === undefined) throw this.#unbound();
    return collector;
  }

  #unbound(): TopoError {
    return new TopoError(`${this.constructor.name}: emit is only possible once the spout runs`);
  }
}
