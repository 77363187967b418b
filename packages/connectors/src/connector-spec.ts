import { ComponentSpec, type Bolt, type BoltSpecOptions, type ComponentClassInfo, type ConfigValue, type Spout, type SpoutSpecOptions } from '@topo/topology-dsl';
import { DEFAULT_SINK_IN_FLIGHT } from './sink-batch.js';

/** Spec option name -> the config key it sets. */
export type OptionKeys = Readonly<Record<string, string>>;

/**
 * A connector's spec: its own options (queue, connection, ...) move into the component's
 * config under their keys, so the definition stays plain JSON and a worker that loads the
 * topology sees them; the rest are the usual spec options. An option wins over the same
 * key given in `config`.
 */
function connectorSpec(
  kind: 'spout' | 'bolt',
  componentClass: ComponentClassInfo,
  options: SpoutSpecOptions | BoltSpecOptions,
  keys: OptionKeys,
): ComponentSpec<any> {
  const rest: Record<string, unknown> = { ...options };
  const config: Record<string, ConfigValue> = { ...(options.config ?? {}) };
  for (const [option, key] of Object.entries(keys)) {
    const value = rest[option];
    delete rest[option];
    if (value !== undefined) config[key] = value as ConfigValue;
  }
  return new ComponentSpec(kind, componentClass, { ...rest, config });
}

/** A source connector's spec: with `fields`, its tuples carry those fields of each message (see `withDataFields`). */
export function sourceSpec(componentClass: typeof Spout, options: SpoutSpecOptions & { fields?: readonly string[] }, keys: OptionKeys): ComponentSpec<any> {
  const { fields, ...rest } = options;
  return connectorSpec('spout', fields === undefined ? componentClass : withDataFields(componentClass, fields), rest, keys);
}

/** A sink connector's spec: up to `DEFAULT_SINK_IN_FLIGHT` inputs in flight unless it says otherwise, so that they are written in batches. */
export function sinkSpec(componentClass: typeof Bolt, options: BoltSpecOptions, keys: OptionKeys): ComponentSpec<any> {
  return connectorSpec('bolt', componentClass, { maxInFlight: DEFAULT_SINK_IN_FLIGHT, ...options }, keys);
}

/**
 * A subclass of a source connector whose tuples carry `fields`, taken by name from each
 * message: `outputs` is what the compiler and the type checker see, `dataFields` what the
 * spout maps. The module that declares the topology creates it again in every worker.
 */
export function withDataFields<C extends abstract new (...args: any[]) => object>(base: C, fields: readonly string[]): C {
  abstract class WithFields extends base {
    static outputs = [...fields];
    static dataFields: readonly string[] | undefined = [...fields];
  }
  // Messages and diagrams name the connector, not this helper.
  Object.defineProperty(WithFields, 'name', { value: base.name });
  return WithFields;
}

/** A tuple of `fields` (set by `withDataFields`), each the value of that name in a message's `record`, null when absent. */
export function dataFieldValues(fields: readonly string[], record: Record<string, unknown>): unknown[] {
  return fields.map((field) => (Object.hasOwn(record, field) ? record[field] : null));
}
