import { STATS_WINDOWS } from './stats-windows.js';

const counts = { type: 'object', additionalProperties: { type: 'number' } } as const;

const windowStatsSchema = {
  type: 'object',
  required: ['emitted', 'transferred', 'acked', 'failed', 'executed', 'executeLatencyMs', 'processLatencyMs', 'completeLatencyMs'],
  additionalProperties: false,
  properties: {
    emitted: counts,
    transferred: counts,
    acked: counts,
    failed: counts,
    executed: counts,
    executeLatencyMs: counts,
    processLatencyMs: counts,
    completeLatencyMs: counts,
  },
} as const;

/** JSON schema of a WorkerStatsReport, as it travels in heartbeats (nimbus checks what workers write). */
export const workerStatsReportSchema = {
  type: 'object',
  required: ['time', 'gauges', 'executors'],
  additionalProperties: false,
  properties: {
    time: { type: 'number' },
    gauges: {
      type: 'object',
      required: [
        'heapUsedBytes',
        'heapTotalBytes',
        'rssBytes',
        'cpuSeconds',
        'eventLoopUtilization',
        'eventLoopDelayMs',
        'eventLoopDelayMaxMs',
        'gcPauseSeconds',
        'inboxDepth',
        'backpressure',
        'uptimeSeconds',
      ],
      additionalProperties: false,
      properties: {
        heapUsedBytes: { type: 'number' },
        heapTotalBytes: { type: 'number' },
        rssBytes: { type: 'number' },
        cpuSeconds: { type: 'number' },
        eventLoopUtilization: { type: 'number' },
        eventLoopDelayMs: { type: 'number' },
        eventLoopDelayMaxMs: { type: 'number' },
        gcPauseSeconds: { type: 'number' },
        inboxDepth: { type: 'number' },
        backpressure: { type: 'boolean' },
        uptimeSeconds: { type: 'number' },
      },
    },
    executors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['component', 'kind', 'tasks', 'uptimeSeconds', 'capacity', 'pending', 'queued', 'windows'],
        additionalProperties: false,
        properties: {
          component: { type: 'string' },
          kind: { enum: ['spout', 'bolt', 'acker'] },
          tasks: { type: 'array', items: { type: 'integer' } },
          uptimeSeconds: { type: 'number' },
          capacity: { type: 'number' },
          pending: { type: 'number' },
          queued: { type: 'number' },
          windows: {
            type: 'object',
            required: [...STATS_WINDOWS],
            additionalProperties: false,
            properties: Object.fromEntries(STATS_WINDOWS.map((w) => [w, windowStatsSchema])),
          },
        },
      },
    },
  },
} as const;
