import { ComponentSpec, type ComponentClassInfo, type InputDeclaration, type StreamDeclaration } from './component-spec.js';
import { DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from './config.js';
import type { ComponentDefinition, InputDefinition, StreamDefinition, TopologyDefinition } from './definition.js';
import { TopoError, TopologyValidationError, type ValidationProblem } from './errors.js';
import type { CustomGroupingFn, GroupingDefinition, GroupingSpec } from './grouping.js';
import { Topology, type TopologyClass } from './topology.js';
import { DEFAULT_STREAM } from './tuple.js';
import { addCheckpoints } from './checkpoint-rewrite.js';
import { validate } from './validate.js';
import { LATE_TUPLE_FIELD, WINDOW_LATE_STREAM, windowComponentConfig, type TimestampExtractor } from './window-config.js';

/**
 * A definition plus what cannot be JSON: the classes behind each component and the
 * functions of custom groupings. A worker gets it by loading the topology module.
 */
export interface CompiledTopology {
  definition: TopologyDefinition;
  componentClasses: Map<string, ComponentClassInfo>;
  customGroupings: Map<string, CustomGroupingFn>;
  /** Component -> the timestamp extractor function of its window (`window.timestamp` given as a function). */
  timestampExtractors?: Map<string, TimestampExtractor>;
}

export interface CompileOptions {
  /** Overrides the topology name (default: `static topologyName`, else the class name). */
  name?: string;
  /** Config layered over the topology's own (the CLI's `--config`). */
  config?: TopologyConfig;
}

/** The key under which a custom grouping's function is stored. */
export function customGroupingName(component: string, input: { component: string; stream: string }): string {
  return `${component}<-${input.component}.${input.stream}`;
}

/** Compiles without validating; see `build()` for the checked version. */
export function compileTopology(topology: TopologyClass | Topology, options: CompileOptions = {}): CompiledTopology {
  const instance = topology instanceof Topology ? topology : new topology();
  const topologyClass = instance.constructor as TopologyClass;
  const specs = collectSpecs(instance);
  const names = new Map<ComponentSpec, string>();
  for (const [property, spec] of specs) names.set(spec, spec.options.name ?? property);

  const componentClasses = new Map<string, ComponentClassInfo>();
  const customGroupings = new Map<string, CustomGroupingFn>();
  const timestampExtractors = new Map<string, TimestampExtractor>();
  const components: ComponentDefinition[] = [];
  for (const [, spec] of specs) {
    const name = names.get(spec)!;
    componentClasses.set(name, spec.componentClass);
    const inputs = spec.inputDeclarations(name).map((input) => toInputDefinition(name, input, names, customGroupings));
    components.push(toComponentDefinition(spec, name, inputs));
    const timestamp = spec.options.window?.timestamp;
    if (typeof timestamp === 'function') timestampExtractors.set(name, timestamp);
  }
  addCheckpoints(components);

  return {
    definition: {
      name: options.name ?? topologyClass.topologyName ?? topologyClass.name,
      config: { ...(topologyClass.config ?? {}), ...(options.config ?? {}) },
      components,
    },
    componentClasses,
    customGroupings,
    timestampExtractors,
  };
}

/** The plain-JSON definition of a topology, unvalidated. */
export function compile(topology: TopologyClass | Topology, options: CompileOptions = {}): TopologyDefinition {
  return compileTopology(topology, options).definition;
}

/** Compiles and validates; throws `TopologyValidationError` listing every problem. */
export function build(topology: TopologyClass | Topology, options: CompileOptions = {}): CompiledTopology {
  const compiled = compileTopology(topology, options);
  const problems = validateCompiled(compiled, options.config);
  if (problems.length > 0) throw new TopologyValidationError(compiled.definition.name, problems);
  return compiled;
}

/**
 * `validate(definition)` plus each component class's own checks (`validateComponent`),
 * which only the classes know. `overrides` is config given at submit time, which wins
 * over component config as it does in the worker.
 */
export function validateCompiled(compiled: CompiledTopology, overrides?: TopologyConfig): ValidationProblem[] {
  const problems = validate(compiled.definition);
  for (const component of compiled.definition.components) {
    const componentClass = compiled.componentClasses.get(component.name);
    if (componentClass?.validateComponent === undefined) continue;
    const config = mergeConfig(DEFAULT_CONFIG, compiled.definition.config, component.config, overrides);
    problems.push(...componentClass.validateComponent(component, config));
  }
  return problems;
}

function collectSpecs(instance: Topology): [string, ComponentSpec][] {
  const seen = new Set<ComponentSpec>();
  const specs: [string, ComponentSpec][] = [];
  for (const [property, value] of Object.entries(instance)) {
    if (value instanceof ComponentSpec && !seen.has(value)) {
      seen.add(value);
      specs.push([property, value]);
    }
  }
  return specs;
}

function toComponentDefinition(spec: ComponentSpec, name: string, inputs: InputDefinition[]): ComponentDefinition {
  const o = spec.options;
  const parallelism = o.p ?? o.par ?? o.parallelism ?? 1;
  const definition: ComponentDefinition = {
    name,
    kind: spec.kind,
    className: spec.componentClass.name,
    parallelism,
    tasks: o.tasks ?? parallelism,
    streams: declaredStreams(spec.componentClass),
    inputs,
    config: { ...(o.config ?? {}) },
  };
  if (spec.componentClass.windowed === true) addWindow(definition, o.window, name);
  else if (o.window !== undefined) throw new TopoError(`component ${name}: window is only for WindowedBolt classes, and ${spec.componentClass.name} is not one`, { component: name });
  if (o.tickSecs !== undefined) definition.tickSecs = o.tickSecs;
  if (o.maxInFlight !== undefined) definition.maxInFlight = o.maxInFlight;
  if (spec.componentClass.autoAck === true) definition.autoAck = true;
  if (spec.kind === 'bolt' && spec.componentClass.stateful === true) definition.stateful = true;
  if (spec.kind === 'spout' && isRewindable(spec.componentClass)) definition.rewindable = true;
  return definition;
}

/** A spout class with both `position()` and `rewind()` (SpoutHooks). */
function isRewindable(info: ComponentClassInfo): boolean {
  const prototype = (info as { prototype?: { position?: unknown; rewind?: unknown } }).prototype;
  return typeof prototype?.position === 'function' && typeof prototype.rewind === 'function';
}

/**
 * Makes a definition windowed: Storm's window keys under the component's own config
 * (which may override them), and the late tuple stream declared when the window names one.
 */
function addWindow(definition: ComponentDefinition, window: ComponentSpec['options']['window'], name: string): void {
  if (window === undefined) {
    throw new TopoError(`component ${name}: ${definition.className} is a WindowedBolt; give its spec a window, such as window: { length: { count: 100 } }`, { component: name });
  }
  definition.config = { ...windowComponentConfig(window, name), ...definition.config };
  definition.windowed = true;
  const late = definition.config[WINDOW_LATE_STREAM];
  if (typeof late === 'string' && !Object.hasOwn(definition.streams, late)) definition.streams[late] = { fields: [LATE_TUPLE_FIELD], direct: false };
}

/** The streams a class declares: `outputs` is the default stream, `streams` the named ones. */
export function declaredStreams(info: ComponentClassInfo): Record<string, StreamDefinition> {
  const streams: Record<string, StreamDefinition> = {};
  const add = (stream: string, decl: StreamDeclaration) => {
    streams[stream] = isFieldList(decl) ? { fields: [...decl], direct: false } : { fields: [...decl.fields], direct: decl.direct === true };
  };
  add(DEFAULT_STREAM, info.outputs ?? []);
  for (const [stream, decl] of Object.entries(info.streams ?? {})) add(stream, decl);
  return streams;
}

// `Array.isArray` does not narrow readonly arrays out of a union.
function isFieldList(decl: StreamDeclaration): decl is readonly string[] {
  return Array.isArray(decl);
}

function toInputDefinition(
  component: string,
  input: InputDeclaration,
  names: Map<ComponentSpec, string>,
  customGroupings: Map<string, CustomGroupingFn>,
): InputDefinition {
  const source = names.get(input.source) ?? input.source.options.name ?? `(unnamed ${input.source.componentClass.name})`;
  const definition: InputDefinition = { component: source, stream: input.stream, grouping: { type: 'shuffle' } };
  definition.grouping = toGroupingDefinition(input.grouping, () => {
    const name = customGroupingName(component, definition);
    if (input.grouping.type === 'custom') customGroupings.set(name, input.grouping.fn);
    return name;
  });
  return definition;
}

function toGroupingDefinition(grouping: GroupingSpec, customName: () => string): GroupingDefinition {
  switch (grouping.type) {
    case 'fields':
    case 'partialKey':
      return { type: grouping.type, fields: [...grouping.fields] };
    case 'custom':
      return { type: 'custom', name: customName() };
    default:
      return { type: grouping.type };
  }
}
