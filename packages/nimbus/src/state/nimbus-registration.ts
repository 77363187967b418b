/** What each nimbus writes about itself, so clients and `/api/v1/nimbus/summary` can find them all. */
export interface NimbusRegistration {
  id: string;
  /** Base URL of its REST API. */
  url: string;
  startedAt: number;
  time: number;
}

export const nimbusRegistrationSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:nimbus-registration',
  type: 'object',
  required: ['id', 'url', 'startedAt', 'time'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    url: { type: 'string', minLength: 1 },
    startedAt: { type: 'number' },
    time: { type: 'number' },
  },
} as const;
