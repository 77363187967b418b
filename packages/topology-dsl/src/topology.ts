import type { TopologyConfig } from './config.js';

const TOPOLOGY_BRAND = Symbol.for('topo.Topology');

/**
 * Base class of a user's topology. Each property holding a `Spout.spec()` or
 * `Bolt.spec()` is a component named after the property:
 *
 *     export default class UrlParser extends Topology {
 *       urlSpout = UrlSpout.spec({ p: 1 });
 *       urlBolt = UrlBolt.spec({ p: 4, input: this.urlSpout });
 *     }
 *
 * Topology-wide settings go in `static config` (Storm's keys); `static topologyName`
 * overrides the name, which defaults to the class name.
 */
export abstract class Topology {
  // `static config` and `static topologyName` are the subclass's (see TopologyClass), not
  // declared here, so that a topology needs no `override` under noImplicitOverride.

  /**
   * `instanceof` by brand, not by prototype: a topology file loaded as CommonJS (tsx)
   * may extend a second copy of this class.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TOPOLOGY_BRAND] === true;
  }
  get [TOPOLOGY_BRAND](): true {
    return true;
  }
}


export type TopologyClass = (new () => Topology) & { config?: TopologyConfig; topologyName?: string };
