import type { TopologyDefinition } from '@topo/topology-dsl';
import { componentLabel, edgeLabel } from './diagram-labels.js';

/**
 * A Mermaid flowchart of the topology: spouts as stadiums, bolts as boxes, one edge per
 * input labelled with its stream and grouping. Inputs from unknown components still get
 * an edge (from a node with just the name) so a broken topology can be looked at too.
 */
export function renderMermaid(definition: TopologyDefinition): string {
  const ids = new NodeIds();
  const lines = ['flowchart LR'];
  for (const c of definition.components) {
    const label = quote(componentLabel(c));
    lines.push(c.kind === 'spout' ? `  ${ids.of(c.name)}([${label}])` : `  ${ids.of(c.name)}[${label}]`);
  }
  for (const c of definition.components) {
    for (const input of c.inputs) {
      lines.push(`  ${ids.of(input.component)} -->|${quote(edgeLabel(input))}| ${ids.of(c.name)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Mermaid ids are restricted (and `end` is a keyword), so components get `n_<name>`
 * with other characters replaced, made unique by a suffix.
 */
class NodeIds {
  private readonly byName = new Map<string, string>();
  private readonly used = new Set<string>();

  of(name: string): string {
    let id = this.byName.get(name);
    if (id === undefined) {
      const base = `n_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      id = base;
      for (let i = 2; this.used.has(id); i++) id = `${base}_${i}`;
      this.used.add(id);
      this.byName.set(name, id);
    }
    return id;
  }
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}
