/**
 * Why a worker's latest start failed (its open() or prepare() threw, its module would not
 * load), written by the worker process before it exits and removed once a process in the
 * slot starts: what turns restarts into "crash-looping: <reason>" in the topology's status.
 */
export interface WorkerFailure {
  worker: string;
  /** ms since the epoch. */
  time: number;
  message: string;
}

/** The longest failure message kept: the status line needs the gist, the worker log has the rest. */
export const WORKER_FAILURE_MAX_CHARS = 500;

export const workerFailureSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:worker-failure',
  type: 'object',
  required: ['worker', 'time', 'message'],
  additionalProperties: false,
  properties: {
    worker: { type: 'string', minLength: 1 },
    time: { type: 'number' },
    message: { type: 'string', maxLength: WORKER_FAILURE_MAX_CHARS },
  },
} as const;
