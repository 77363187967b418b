import { ComponentSpec, type BoltSpecOptions, type ComponentClassInfo, type ConfigValue, type SpoutSpecOptions } from '@topo/topology-dsl';

/** Spec option name -> the config key it sets. */
export type OptionKeys = Readonly<Record<string, string>>;

/**
 * A connector's spec: its own options (queue, connection, ...) move into the component's
 * config under their keys, so the definition stays plain JSON and a worker that loads the
 * topology sees them; the rest are the usual spec options. An option wins over the same
 * key given in `config`.
 */
export function connectorSpec(
  kind: 'spout' | 'bolt',
  componentClass: ComponentClassInfo,
  options: (SpoutSpecOptions | BoltSpecOptions) & Record<string, unknown>,
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
