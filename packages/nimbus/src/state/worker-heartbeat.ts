import type { ComponentMetricsSnapshot } from '@topo/runtime';

/** A worker's last report, written by the worker itself, so it goes on while its supervisor is down. */
export interface WorkerHeartbeat {
  topology: string;
  worker: string;
  supervisor: string;
  port: number;
  /** 0 while the process is being started (its supervisor says so, then the worker writes its own). */
  pid: number;
  /** When the current process started. */
  startedAt: number;
  /** The worker's clock at this heartbeat; frozen while it is silent (readers only watch it change). */
  time: number;
  /** Processes that died in this slot since the supervisor started it for this topology. */
  restarts: number;
  /** Counters of the current process since it started. */
  metrics: ComponentMetricsSnapshot[];
}

export const workerHeartbeatSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:worker-heartbeat',
  type: 'object',
  required: ['topology', 'worker', 'supervisor', 'port', 'pid', 'startedAt', 'time', 'restarts', 'metrics'],
  additionalProperties: false,
  properties: {
    topology: { type: 'string', minLength: 1 },
    worker: { type: 'string', minLength: 1 },
    supervisor: { type: 'string', minLength: 1 },
    port: { type: 'integer' },
    pid: { type: 'integer' },
    startedAt: { type: 'number' },
    time: { type: 'number' },
    restarts: { type: 'integer', minimum: 0 },
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['component', 'kind', 'emitted', 'transferred', 'executed', 'acked', 'failed', 'timedOut', 'errors', 'pending'],
        additionalProperties: false,
        properties: {
          component: { type: 'string' },
          kind: { enum: ['spout', 'bolt', 'acker'] },
          emitted: { type: 'number' },
          transferred: { type: 'number' },
          executed: { type: 'number' },
          acked: { type: 'number' },
          failed: { type: 'number' },
          timedOut: { type: 'number' },
          errors: { type: 'number' },
          pending: { type: 'number' },
          done: { type: 'number' },
        },
      },
    },
  },
} as const;
