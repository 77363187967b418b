import { DEFAULT_STREAM, type ComponentDefinition, type InputDefinition } from '@topo/topology-dsl';

/** A component's box: its name and parallelism, and its task count when that differs. */
export function componentLabel(component: ComponentDefinition): string {
  const tasks = component.tasks !== component.parallelism ? `, tasks=${component.tasks}` : '';
  return `${component.name} (p=${component.parallelism}${tasks})`;
}

/** An edge: the grouping, prefixed by the stream when it is not the default one (`invalid: shuffle`). */
export function edgeLabel(input: InputDefinition): string {
  const g = input.grouping;
  const grouping = g.type === 'fields' || g.type === 'partialKey' ? `${g.type}(${g.fields.join(', ')})` : g.type;
  return input.stream === DEFAULT_STREAM ? grouping : `${input.stream}: ${grouping}`;
}
