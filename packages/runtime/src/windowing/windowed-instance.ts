import { readWindowSettings, TopoError, type Bolt, type CompiledTopology, type TopologyConfig, type WindowedBolt } from '@topo/topology-dsl';
import type { WindowClock } from './clock.js';
import { WindowedBoltRunner } from './windowed-bolt-runner.js';

/** The little of a worker that windows need. */
export interface WindowHost {
  readonly compiled: CompiledTopology;
  readonly clock: WindowClock;
  componentConfig(component: string): TopologyConfig;
}

/**
 * The bolt instance the executor runs for `component`: the user's own, or for a windowed
 * component (`windowed` in its definition) the user's wrapped in a window runner.
 */
export function windowedInstance(host: WindowHost, component: string, instance: Bolt): Bolt {
  const definition = host.compiled.definition.components.find((c) => c.name === component);
  if (definition?.windowed !== true) return instance;
  const settings = readWindowSettings(host.componentConfig(component));
  // validate() refuses this before any worker starts; a definition that skipped it gets the same words.
  if (settings === undefined) throw new TopoError(`${component}: window length is not specified`, { component });
  if (typeof (instance as unknown as Partial<WindowedBolt>).execute !== 'function') {
    throw new TopoError(`${component}: its definition is windowed, but ${instance.constructor.name} has no execute(window); extend WindowedBolt`, { component });
  }
  const inputStreams = new Set(definition.inputs.map((i) => `${i.component}\u0000${i.stream}`)).size;
  return new WindowedBoltRunner(instance as unknown as WindowedBolt, { settings, extractor: host.compiled.timestampExtractors?.get(component), clock: host.clock, inputStreams });
}
