import { CHECKPOINT_COMPONENT, type TopologyDefinition } from '@topo/topology-dsl';
import type { ComponentMetricsSnapshot } from './stats/component-totals.js';

/**
 * True when a finite topology has run its course: every task of every spout has said it
 * is done (Spout.markDone) and no tree is pending, from the counters a running topology
 * reports (a worker's own, or a pool's sum of its workers'). A topology whose spouts
 * never say so runs until stopped. The checkpoint spout of a stateful topology is not
 * asked: user spouts' trees are acked only by commits, so once none is pending the last
 * commit covers every input, whatever checkpoint is in flight.
 */
export function topologyFinished(definition: TopologyDefinition, metrics: readonly ComponentMetricsSnapshot[]): boolean {
  const spouts = definition.components.filter((c) => c.kind === 'spout' && c.name !== CHECKPOINT_COMPONENT);
  if (spouts.length === 0) return false;
  return spouts.every((spout) => {
    const m = metrics.find((s) => s.component === spout.name);
    return m !== undefined && (m.done ?? 0) >= spout.tasks && m.pending === 0;
  });
}
