import { topologyDefinitionSchema } from './schema.js';

/**
 * What the build compiles into `dist/validators.cjs` (tools/compile-validators), one
 * validator per name. Nimbus does the same for its records, which embed this schema.
 */
export const validatorSchemas = { topologyDefinition: topologyDefinitionSchema };
