import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';

/**
 * Storm's topology statuses; `killed` and `rebalancing` last for the wait time of the
 * command. Topo adds `failed`: the leader cannot run the stored topology (its `failure`
 * says why) and leaves it as it is until it is killed.
 */
export type TopologyStatus = 'active' | 'inactive' | 'killed' | 'rebalancing' | 'failed';

/** A kill or rebalance waiting out its wait time with the spouts deactivated. */
export interface PendingTransition {
  kind: 'kill' | 'rebalance';
  /** When (ms since the epoch, the leader's clock) the transition completes. */
  at: number;
  /** Status a rebalance returns to. */
  resume: 'active' | 'inactive';
  /** Rebalance: the new worker count. */
  workers?: number;
  /** Rebalance: new executor counts by component. */
  parallelism?: Record<string, number>;
}

/** A submitted topology as nimbus stores it. */
export interface TopologyRecord {
  id: string;
  name: string;
  status: TopologyStatus;
  /** As compiled and validated at submission (its config includes the submit-time overrides). */
  definition: TopologyDefinition;
  /**
   * Config workers layer over the module's own, as `--config` does in local mode:
   * the submit-time overrides plus `topology.workers` and `topology.acker.executors`,
   * resolved at submission so task ids never change afterwards.
   */
  overrides: TopologyConfig;
  /** Executors by component where a rebalance changed them (tasks never change). */
  parallelism: Record<string, number>;
  submittedAt: number;
  transition?: PendingTransition;
  /** Why the leader marked it `failed`. */
  failure?: string;
}

const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } } as const;

export const topologyRecordSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:topology-record',
  type: 'object',
  required: ['id', 'name', 'status', 'definition', 'overrides', 'parallelism', 'submittedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    status: { enum: ['active', 'inactive', 'killed', 'rebalancing', 'failed'] },
    definition: { $ref: 'urn:topo:topology-definition' },
    overrides: { type: 'object' },
    parallelism: counts,
    submittedAt: { type: 'number' },
    transition: {
      type: 'object',
      required: ['kind', 'at', 'resume'],
      additionalProperties: false,
      properties: {
        kind: { enum: ['kill', 'rebalance'] },
        at: { type: 'number' },
        resume: { enum: ['active', 'inactive'] },
        workers: { type: 'integer', minimum: 1 },
        parallelism: counts,
      },
    },
    failure: { type: 'string' },
  },
} as const;

/** Requested workers: `topology.workers` as resolved at submission or by the last rebalance. */
export function requestedWorkers(record: TopologyRecord): number {
  return Number(record.overrides['topology.workers']);
}

/**
 * A stored topology whose record fails its schema (written by another version, by hand,
 * or corrupted): what can still be said about it, so it is listed with its problem and
 * can be killed rather than left where nothing can stop it.
 */
export interface UnreadableTopology {
  id: string;
  /** From the stored JSON when it has one, else from the id (`<name>-<n>`). */
  name: string;
  problem: string;
}

export function isUnreadable(topology: TopologyRecord | UnreadableTopology): topology is UnreadableTopology {
  return !('definition' in topology);
}

/** Its name as far as the stored text tells. */
export function unreadableTopology(id: string, json: string, problem: string): UnreadableTopology {
  let name: unknown;
  try {
    name = (JSON.parse(json) as { name?: unknown } | null)?.name;
  } catch {
    // Not JSON at all: the id still carries the name.
  }
  return { id, name: typeof name === 'string' && name !== '' ? name : id.replace(/-\d+$/, ''), problem };
}
