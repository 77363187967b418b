import type { ConfigValue, TopologyConfig } from './config.js';
import type { ComponentDefinition } from './definition.js';
import { TopoError, type ValidationProblem } from './errors.js';
import { DEFAULT_STREAM } from './tuple.js';
import type { CustomGroupingFn, GroupingSpec } from './grouping.js';
import type { WindowOptions } from './window-config.js';

/** Stream name -> union of its field names; what the type checker knows of a component's outputs. */
export type StreamFieldMap = Record<string, string>;

/** How a class declares one output stream: its fields, or its fields and whether it is direct. */
export type StreamDeclaration = readonly string[] | { readonly fields: readonly string[]; readonly direct?: boolean };

/**
 * Type-only key under which an input carries the field names its stream provides, so that
 * `spec({ input })` can check them against what the bolt's `process()` reads. Nothing of
 * it exists at run time.
 */
declare const PROVIDES: unique symbol;

/** One input of a bolt: a source component's stream, split among the bolt's tasks by a grouping. */
export interface InputDeclaration<F extends string = string> {
  readonly source: ComponentSpec;
  readonly stream: string;
  readonly grouping: GroupingSpec;
  readonly [PROVIDES]?: FieldSet<F>;
}

/** Anything `input:` accepts: a component (shuffle on its default stream), a stream, or a grouped input. */
export type InputLike = ComponentSpec<any> | StreamRef<any> | InputDeclaration;

export interface CommonSpecOptions {
  /** Parallelism: the number of executors. `par` and `parallelism` are aliases. */
  p?: number;
  par?: number;
  parallelism?: number;
  /** Number of tasks (default: the parallelism); an executor runs tasks/p of them. */
  tasks?: number;
  /** Component name; defaults to the topology property the spec is assigned to. */
  name?: string;
  /** Component-level config, merged over the topology's. */
  config?: Record<string, ConfigValue>;
  /** Deliver a `__tick` tuple to every task this often. */
  tickSecs?: number;
  /** Bound on tuples (bolts) or `nextTuple` calls (spouts) whose promise is pending in one executor. */
  maxInFlight?: number;
}

export interface SpoutSpecOptions extends CommonSpecOptions {}

export interface BoltSpecOptions<Needed extends string = never> extends CommonSpecOptions {
  input?: InputProviding<Needed>;
  inputs?: readonly InputLike[];
}

/** The field names a stream provides, as keys: `{ url: true, host: true }`. */
export type FieldSet<F extends string> = { readonly [K in F]: true };

/**
 * An input that provides at least the fields `Needed`: what `spec({ input })` accepts for
 * a bolt whose `process()` reads them (see InputFieldsOf). A missing field is reported as
 * a property missing from the input's field set, named.
 */
export type InputProviding<Needed extends string> = InputLike & { readonly [PROVIDES]?: FieldSet<Needed> };

export type ComponentKind = 'spout' | 'bolt';

/** The class behind a spec, as the compiler sees it. */
export interface ComponentClassInfo {
  readonly name: string;
  readonly outputs?: StreamDeclaration;
  readonly streams?: Readonly<Record<string, StreamDeclaration>>;
  readonly autoAck?: boolean;
  /** True for WindowedBolt classes: the spec must give a `window`. */
  readonly windowed?: boolean;
  /** True for StatefulBolt classes. */
  readonly stateful?: boolean;
  /**
   * Problems with the component's own options (a connector's queue name, a Redis URL),
   * which the JSON schema cannot know; `build()` reports them with the rest. `config` is
   * the topology's config merged with the component's, as the component will see it.
   */
  validateComponent?(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[];
}

/** Groupings offered on a stream; `F` is the union of the stream's field names. */
abstract class Groupable<F extends string> {
  declare readonly [PROVIDES]?: FieldSet<F>;
  protected abstract input(grouping: GroupingSpec): InputDeclaration<F>;

  /** Random, even split (Storm's shuffle grouping). */
  shuffle(): InputDeclaration<F> {
    return this.input({ type: 'shuffle' });
  }
  /** Equal values of these fields always reach the same task. */
  fields(...fields: [F, ...F[]]): InputDeclaration<F> {
    return this.input({ type: 'fields', fields });
  }
  /** Every task gets every tuple. */
  all(): InputDeclaration<F> {
    return this.input({ type: 'all' });
  }
  /** Every tuple goes to the subscriber's lowest task id. */
  global(): InputDeclaration<F> {
    return this.input({ type: 'global' });
  }
  /** No preference (same as shuffle). */
  none(): InputDeclaration<F> {
    return this.input({ type: 'none' });
  }
  /** The emitter picks the task with `emitDirect`; the stream must be declared direct. */
  direct(): InputDeclaration<F> {
    return this.input({ type: 'direct' });
  }
  /** Shuffle, preferring tasks in the emitter's worker process. */
  localOrShuffle(): InputDeclaration<F> {
    return this.input({ type: 'localOrShuffle' });
  }
  /** Fields grouping split over two candidate tasks, sending to the less loaded one. */
  partialKey(...fields: [F, ...F[]]): InputDeclaration<F> {
    return this.input({ type: 'partialKey', fields });
  }
  /** Your own choice of tasks. */
  custom(fn: CustomGroupingFn): InputDeclaration<F> {
    return this.input({ type: 'custom', fn });
  }
}

const SPEC_BRAND = Symbol.for('topo.ComponentSpec');
const STREAM_REF_BRAND = Symbol.for('topo.StreamRef');

/** A named stream of a component, as `this.bolt.stream('invalid')` returns it. */
export class StreamRef<F extends string = string> extends Groupable<F> {
  /** Branded like ComponentSpec, for the same reason. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STREAM_REF_BRAND] === true;
  }
  readonly [STREAM_REF_BRAND] = true;

  constructor(
    readonly source: ComponentSpec,
    readonly stream: string,
  ) {
    super();
  }
  protected input(grouping: GroupingSpec): InputDeclaration<F> {
    return { source: this.source, stream: this.stream, grouping };
  }
}

/**
 * A component placed in a topology: its class, parallelism, inputs and options. `S` maps
 * each output stream to its fields so that groupings are checked at compile time.
 */
export class ComponentSpec<S extends StreamFieldMap = StreamFieldMap> extends Groupable<S[typeof DEFAULT_STREAM]> {
  /**
   * `instanceof` by brand, not by prototype: a topology loaded through another module
   * system (CommonJS under tsx) may hold specs from a second copy of this package.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SPEC_BRAND] === true;
  }
  readonly [SPEC_BRAND] = true;

  constructor(
    readonly kind: ComponentKind,
    readonly componentClass: ComponentClassInfo,
    readonly options: CommonSpecOptions & BoltSpecOptions & { window?: WindowOptions },
  ) {
    super();
  }

  protected input(grouping: GroupingSpec): InputDeclaration<S[typeof DEFAULT_STREAM]> {
    return { source: this, stream: DEFAULT_STREAM, grouping };
  }

  /** One of this component's named streams, to group on. */
  stream<K extends keyof S & string>(name: K): StreamRef<S[K]> {
    return new StreamRef<S[K]>(this, name);
  }

  /**
   * The inputs as declarations, with bare components and streams made shuffle groupings.
   * `component` names this spec in the error thrown for an input that is not a spec.
   */
  inputDeclarations(component: string = this.componentClass.name): InputDeclaration[] {
    // `'input' in` rather than `!== undefined`: `input: this.later` is undefined when `later`
    // is declared below, and that mistake deserves an error, not a bolt without inputs.
    const raw: unknown[] = [...('input' in this.options ? [this.options.input] : []), ...(this.options.inputs ?? []), ...this.laterInputs];
    return raw.map((input, index) => toInputDeclaration(input, component, index));
  }

  private readonly laterInputs: InputLike[] = [];

  /**
   * Adds an input from a spec declared further down, which `input:` cannot name because
   * properties initialize in order: how a cycle's back edge is declared, in the
   * topology's constructor after `super()`.
   */
  addInput(input: InputLike): this {
    this.laterInputs.push(input);
    return this;
  }
}

function toInputDeclaration(input: unknown, component: string, index: number): InputDeclaration {
  if (input instanceof ComponentSpec || input instanceof StreamRef) return input.shuffle();
  if (isInputDeclaration(input)) return input;
  const problem =
    input === undefined
      ? 'is undefined; class properties initialize in order, so a spec can only use specs declared above it'
      : 'is not a spec, stream or grouping; pass this.source, this.source.stream(...) or this.source.fields(...)';
  throw new TopoError(`component ${component}: input ${index + 1} ${problem}`, { component });
}

function isInputDeclaration(input: unknown): input is InputDeclaration {
  const o = input as InputDeclaration;
  return typeof o === 'object' && o !== null && o.source instanceof ComponentSpec && typeof o.stream === 'string' && typeof o.grouping === 'object' && o.grouping !== null;
}

type FieldsOfDecl<D> = D extends readonly (infer F extends string)[]
  ? F
  : D extends { readonly fields: readonly (infer F extends string)[] }
    ? F
    : never;

/**
 * Stream -> fields of a component class, read from its `static outputs` and `static streams`.
 * Field names are checked when declared `as const`; named streams whenever declared as a
 * literal. A class that declares no named streams inherits the base's index signature:
 * that means none, not any, so that `.stream('typo')` is a type error.
 */
export type StreamFieldsOf<C> = {
  [DEFAULT_STREAM]: C extends { outputs?: infer D } ? FieldsOfDecl<D> : never;
} & (C extends { streams: infer M extends Record<string, StreamDeclaration> }
  ? string extends keyof M
    ? {}
    : { [K in keyof M & string]: FieldsOfDecl<M[K]> }
  : {});
