import type { TopologyConfig } from './config.js';

/**
 * How big a topology may be, checked by `validate()` before anything is laid out, stored
 * or started: a topology of a billion tasks is a mistake or an attack, and laying it out
 * would exhaust the heap of whoever tried. The defaults are far above real topologies.
 */
export const DEFAULT_LIMITS = {
  /** Storm's key (there it caps a component's parallelism; Topo refuses above it): tasks of one component. */
  'topology.max.task.parallelism': 10_000,
  /** Tasks of the whole topology, acker tasks included. */
  'topo.max.topology.tasks': 10_000,
  /** Executors of the whole topology, ackers included. */
  'topo.max.topology.executors': 10_000,
  /** `topology.workers` (and `topo run --workers`). */
  'topo.max.topology.workers': 1_000,
} as const;

export type LimitKey = keyof typeof DEFAULT_LIMITS;
export type TopologyLimits = Record<LimitKey, number>;

/**
 * The limits under `config`: its own values (a topology may lower them, or raise them for
 * itself), each capped by `ceilings`, the limits of whoever runs it (nimbus's settings),
 * which a topology cannot raise. A value that is not a positive number counts as unset
 * (the schema reports it); Storm's `null` for its key means the topology total applies.
 */
export function topologyLimits(config: TopologyConfig, ceilings: Partial<TopologyLimits> = {}): TopologyLimits {
  const limits = { ...DEFAULT_LIMITS } as TopologyLimits;
  for (const key of Object.keys(DEFAULT_LIMITS) as LimitKey[]) {
    const own = config[key];
    const wanted = typeof own === 'number' && own >= 1 ? own : own === null ? Infinity : DEFAULT_LIMITS[key];
    limits[key] = Math.min(wanted, ceilings[key] ?? Infinity);
  }
  return limits;
}
