import type { ValidateFunction } from 'ajv/dist/2020.js';
import { topologyDefinitionSchema } from './schema.js';

/**
 * What the build compiles into `dist/validators.cjs` (tools/compile-validators), one
 * validator per name. Nimbus does the same for its records, which embed this schema.
 */
export const validatorSchemas = { topologyDefinition: topologyDefinitionSchema };

/** The compiled module's exports: a validator for each of `validatorSchemas`. */
export type CompiledValidators<Schemas = typeof validatorSchemas> = { readonly [Name in keyof Schemas]: ValidateFunction };
