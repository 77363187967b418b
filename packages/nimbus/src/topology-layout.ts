import { computeTaskLayout, type ExecutorSpec } from '@topo/runtime';
import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import type { TopologyRecord } from './state/topology-record.js';

/** How many tasks and executors a topology has, ackers included. */
export interface TopologySize {
  tasks: number;
  executors: number;
}

/** The executors of a stored topology: its tasks (fixed at submission) grouped by the current parallelism. */
export function topologyExecutors(record: TopologyRecord): ExecutorSpec[] {
  const definition = {
    ...record.definition,
    components: record.definition.components.map((c) => ({ ...c, parallelism: executorsOf(c, record.parallelism) })),
  };
  return computeTaskLayout(definition, Number(record.overrides['topology.acker.executors'])).executors;
}

/**
 * The counts `topologyExecutors` would lay out, by arithmetic alone: what listings and
 * the limits use, so that a topology too large to lay out is still counted, never built.
 */
export function topologySize(definition: TopologyDefinition, overrides: TopologyConfig, parallelism: Record<string, number> = {}): TopologySize {
  const ackers = Number(overrides['topology.acker.executors']);
  const size: TopologySize = ackers > 0 ? { tasks: ackers, executors: ackers } : { tasks: 0, executors: 0 };
  for (const c of definition.components) {
    size.tasks += c.tasks;
    size.executors += executorsOf(c, parallelism);
  }
  return size;
}

function executorsOf(component: { name: string; tasks: number; parallelism: number }, parallelism: Record<string, number>): number {
  return Math.min(component.tasks, parallelism[component.name] ?? component.parallelism);
}
