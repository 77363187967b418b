import { computeTaskLayout, type ExecutorSpec } from '@topo/runtime';
import type { TopologyRecord } from './state/topology-record.js';

/** The executors of a stored topology: its tasks (fixed at submission) grouped by the current parallelism. */
export function topologyExecutors(record: TopologyRecord): ExecutorSpec[] {
  const definition = {
    ...record.definition,
    components: record.definition.components.map((c) => ({ ...c, parallelism: Math.min(c.tasks, record.parallelism[c.name] ?? c.parallelism) })),
  };
  return computeTaskLayout(definition, Number(record.overrides['topology.acker.executors'])).executors;
}
