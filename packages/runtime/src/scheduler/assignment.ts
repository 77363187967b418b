import type { ExecutorSpec } from '../worker/task-layout.js';

/**
 * Which executors run in which worker: plain JSON, shared by the local pool, nimbus,
 * supervisors and workers. Worker ids order the pairs of a connection (the smaller dials).
 */
export interface Assignment {
  topology: string;
  workers: WorkerAssignment[];
}

export interface WorkerAssignment {
  id: string;
  executors: ExecutorSpec[];
}

/** One executor of an assignment (an `ExecutorSpec`): nimbus's cluster assignment holds the same. */
export const executorSpecSchema = {
  type: 'object',
  required: ['component', 'tasks'],
  additionalProperties: false,
  properties: {
    component: { type: 'string', minLength: 1 },
    tasks: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } },
  },
} as const;

export const assignmentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:assignment',
  type: 'object',
  required: ['topology', 'workers'],
  additionalProperties: false,
  properties: {
    topology: { type: 'string', minLength: 1 },
    workers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'executors'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          executors: { type: 'array', items: executorSpecSchema },
        },
      },
    },
  },
} as const;

/** Task id -> id of the worker that runs it. */
export function taskWorkers(assignment: Assignment): Map<number, string> {
  const map = new Map<number, string>();
  for (const worker of assignment.workers) for (const ex of worker.executors) for (const task of ex.tasks) map.set(task, worker.id);
  return map;
}
