import { KNOWN_CONFIG } from './config.js';
import { GROUPING_TYPES } from './grouping.js';
import { LABEL_PATTERN, NAME_MAX_LENGTH, NAME_PATTERN } from './names.js';

const config = {
  type: 'object',
  properties: KNOWN_CONFIG,
  additionalProperties: true,
} as const;

const name = { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN } as const;
const label = { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH, pattern: LABEL_PATTERN } as const;

/** JSON Schema (2020-12) of a TopologyDefinition: the one truth nimbus, workers and the CLI share. */
export const topologyDefinitionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:topology-definition',
  title: 'TopologyDefinition',
  type: 'object',
  required: ['name', 'config', 'components'],
  additionalProperties: false,
  properties: {
    name,
    config: { $ref: '#/$defs/config' },
    components: { type: 'array', items: { $ref: '#/$defs/component' } },
  },
  $defs: {
    config,
    component: {
      type: 'object',
      required: ['name', 'kind', 'className', 'parallelism', 'tasks', 'streams', 'inputs', 'config'],
      additionalProperties: false,
      properties: {
        name,
        kind: { enum: ['spout', 'bolt'] },
        className: { type: 'string' },
        parallelism: { type: 'integer', minimum: 1 },
        tasks: { type: 'integer', minimum: 1 },
        streams: { type: 'object', propertyNames: label, additionalProperties: { $ref: '#/$defs/stream' } },
        inputs: { type: 'array', items: { $ref: '#/$defs/input' } },
        config: { $ref: '#/$defs/config' },
        tickSecs: { type: 'number', exclusiveMinimum: 0 },
        maxInFlight: { type: 'integer', minimum: 1 },
        autoAck: { type: 'boolean' },
        windowed: { type: 'boolean' },
        stateful: { type: 'boolean' },
        rewindable: { type: 'boolean' },
      },
    },
    stream: {
      type: 'object',
      required: ['fields', 'direct'],
      additionalProperties: false,
      properties: {
        fields: { type: 'array', items: label, uniqueItems: true },
        direct: { type: 'boolean' },
      },
    },
    input: {
      type: 'object',
      required: ['component', 'stream', 'grouping'],
      additionalProperties: false,
      properties: {
        component: { type: 'string' },
        stream: { type: 'string', minLength: 1 },
        grouping: { $ref: '#/$defs/grouping' },
      },
    },
    grouping: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: GROUPING_TYPES },
        fields: { type: 'array', items: { type: 'string' }, minItems: 1 },
        name: { type: 'string' },
      },
      allOf: [
        { if: { properties: { type: { enum: ['fields', 'partialKey'] } } }, then: { required: ['fields'] } },
        { if: { properties: { type: { const: 'custom' } } }, then: { required: ['name'] } },
      ],
    },
  },
} as const;
