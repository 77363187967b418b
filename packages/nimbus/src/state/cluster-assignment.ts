import { executorSpecSchema, type Assignment, type ExecutorSpec, type PeerAddress } from '@topo/runtime';

/** A worker of a topology in a slot: the supervisor's advertised host and the slot's port. */
export interface ClusterWorker {
  id: string;
  supervisor: string;
  host: string;
  port: number;
  executors: ExecutorSpec[];
}

/**
 * Where a topology runs, as nimbus decided and supervisors converge to. `version` grows
 * with every change so a supervisor can tell a new decision from the one it applied.
 */
export interface ClusterAssignment {
  topology: string;
  name: string;
  version: number;
  /** Spouts run only while true (false while inactive, and during a kill or rebalance wait). */
  active: boolean;
  workers: ClusterWorker[];
}

export const clusterAssignmentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:cluster-assignment',
  type: 'object',
  required: ['topology', 'name', 'version', 'active', 'workers'],
  additionalProperties: false,
  properties: {
    topology: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    version: { type: 'integer', minimum: 1 },
    active: { type: 'boolean' },
    workers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'supervisor', 'host', 'port', 'executors'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          supervisor: { type: 'string', minLength: 1 },
          host: { type: 'string', minLength: 1 },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          executors: { type: 'array', minItems: 1, items: executorSpecSchema },
        },
      },
    },
  },
} as const;

/** The part a worker process needs: which executors run where. */
export function runtimeAssignment(assignment: ClusterAssignment): Assignment {
  return { topology: assignment.name, workers: assignment.workers.map((w) => ({ id: w.id, executors: w.executors })) };
}

/** Every worker's address: fixed by its slot, so known from the assignment alone. */
export function assignmentPeers(assignment: ClusterAssignment): PeerAddress[] {
  return assignment.workers.map((w) => ({ id: w.id, host: w.host, port: w.port }));
}

/** A worker's identity in its topology: the slot it runs in. */
export function slotWorkerId(supervisor: string, port: number): string {
  return `${supervisor}-${port}`;
}
