import { MAX_ERROR_SUMMARY, MAX_ERROR_TEXT } from '@topo/runtime';

/**
 * A component's error as a worker stores it (runtime's `ErrorRecord`): in a list per
 * component, newest first, trimmed to `topo.errors.kept.per.component`, and as the
 * component's last error in one hash per topology (what a topology page reads).
 */
export const errorRecordSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:error-record',
  type: 'object',
  required: ['component', 'task', 'time', 'source', 'summary', 'error'],
  additionalProperties: false,
  properties: {
    component: { type: 'string', minLength: 1 },
    task: { type: 'integer' },
    worker: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'integer' },
    time: { type: 'number' },
    source: { enum: ['open', 'prepare', 'activate', 'deactivate', 'nextTuple', 'process', 'ack', 'fail', 'close', 'cleanup', 'reportError', 'checkpoint'] },
    summary: { type: 'string', maxLength: MAX_ERROR_SUMMARY },
    error: { type: 'string', maxLength: MAX_ERROR_TEXT },
  },
} as const;
