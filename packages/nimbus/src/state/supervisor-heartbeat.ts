/** What a supervisor writes about itself every heartbeat. */
export interface SupervisorHeartbeat {
  id: string;
  /** The address its workers listen on and peers dial. */
  host: string;
  hostname: string;
  /** One port per slot. */
  ports: number[];
  pid: number;
  startedAt: number;
  /** The supervisor's clock at this heartbeat; nimbus only watches it change. */
  time: number;
  /** Where its logviewer serves its workers' logs (`http://host:port`), when it does. */
  logviewer?: string;
}

export const supervisorHeartbeatSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:supervisor-heartbeat',
  type: 'object',
  required: ['id', 'host', 'hostname', 'ports', 'pid', 'startedAt', 'time'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    host: { type: 'string', minLength: 1 },
    hostname: { type: 'string' },
    ports: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
    pid: { type: 'integer' },
    startedAt: { type: 'number' },
    time: { type: 'number' },
    logviewer: { type: 'string', pattern: '^https?://' },
  },
} as const;
