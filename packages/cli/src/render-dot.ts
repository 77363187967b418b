import type { TopologyDefinition } from '@topo/topology-dsl';
import { componentLabel, edgeLabel } from './diagram-labels.js';

/** A Graphviz digraph of the topology: spouts as ellipses, bolts as boxes, edges labelled with stream and grouping. */
export function renderDot(definition: TopologyDefinition): string {
  const lines = [`digraph ${quote(definition.name)} {`, '  rankdir=LR;'];
  for (const c of definition.components) {
    lines.push(`  ${quote(c.name)} [label=${quote(componentLabel(c))}, shape=${c.kind === 'spout' ? 'ellipse' : 'box'}];`);
  }
  for (const c of definition.components) {
    for (const input of c.inputs) lines.push(`  ${quote(input.component)} -> ${quote(c.name)} [label=${quote(edgeLabel(input))}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
