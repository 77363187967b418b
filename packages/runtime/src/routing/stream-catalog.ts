import type { TopologyDefinition } from '@topo/topology-dsl';
import { StreamFields } from '../tuple-impl.js';

/**
 * Every (component, stream) of a topology in a fixed order, so workers name a tuple's
 * stream by a small integer on the wire and agree on it without negotiating.
 */
export class StreamCatalog {
  readonly byIndex: StreamFields[] = [];
  private readonly byName = new Map<string, StreamFields>();

  constructor(definition: TopologyDefinition) {
    const pairs = definition.components.flatMap((c) => Object.entries(c.streams).map(([stream, decl]) => ({ component: c.name, stream, fields: decl.fields })));
    pairs.sort((a, b) => (a.component === b.component ? cmp(a.stream, b.stream) : cmp(a.component, b.component)));
    for (const { component, stream, fields } of pairs) {
      const entry = new StreamFields(component, stream, fields, this.byIndex.length);
      this.byIndex.push(entry);
      this.byName.set(`${component}\u0000${stream}`, entry);
    }
  }

  get(component: string, stream: string): StreamFields | undefined {
    return this.byName.get(`${component}\u0000${stream}`);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
