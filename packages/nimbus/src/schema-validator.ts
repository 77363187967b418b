import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { CompiledValidators } from '@topo/topology-dsl';
import type { ErrorRecord } from '@topo/runtime';
import type { Submission } from './api/submission.js';
import type { TopologyBundle } from './bundle/topology-bundle.js';
import { ClusterStateError } from './errors.js';
import type { ClusterAssignment } from './state/cluster-assignment.js';
import type { LogConfig } from './state/log-config.js';
import type { NimbusRegistration } from './state/nimbus-registration.js';
import type { SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
import type { TopologyRecord } from './state/topology-record.js';
import type { WorkerFailure } from './state/worker-failure.js';
import type { WorkerHeartbeat } from './state/worker-heartbeat.js';
import type { validatorSchemas } from './validator-schemas.js';

let compiled: CompiledValidators<typeof validatorSchemas> | undefined;

/**
 * The validators ajv compiled at build time (validator-schemas.ts), loaded on first use.
 * Compiling them at run time cost every worker and daemon a tenth of a second or more of
 * CPU, most of it for the topology definition a topology record embeds.
 */
function compiledValidators(): CompiledValidators<typeof validatorSchemas> {
  compiled ??= createRequire(import.meta.url)('./validators.cjs') as CompiledValidators<typeof validatorSchemas>;
  return compiled;
}

/** Every record kind kept in Redis, and an upload with its bundle, each with its validator. */
export const validators = {
  get topology() {
    return compiledValidators().topology as ValidateFunction<TopologyRecord>;
  },
  get logConfig() {
    return compiledValidators().logConfig as ValidateFunction<LogConfig>;
  },
  get assignment() {
    return compiledValidators().assignment as ValidateFunction<ClusterAssignment>;
  },
  get supervisor() {
    return compiledValidators().supervisor as ValidateFunction<SupervisorHeartbeat>;
  },
  get worker() {
    return compiledValidators().worker as ValidateFunction<WorkerHeartbeat>;
  },
  get workerFailure() {
    return compiledValidators().workerFailure as ValidateFunction<WorkerFailure>;
  },
  get nimbus() {
    return compiledValidators().nimbus as ValidateFunction<NimbusRegistration>;
  },
  get error() {
    return compiledValidators().error as ValidateFunction<ErrorRecord>;
  },
  get submission() {
    return compiledValidators().submission as ValidateFunction<Submission>;
  },
  get bundle() {
    return compiledValidators().bundle as ValidateFunction<TopologyBundle>;
  },
};

/** Parses and checks a stored JSON value; a bad one is a ClusterStateError naming its key. */
export function parseRecord<T>(validate: ValidateFunction<T>, key: string, json: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ClusterStateError(key, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!validate(value)) throw new ClusterStateError(key, errorsText(validate.errors));
  return value;
}

/** ajv's errors as one line, `data/path message, ...`, as its errorsText writes them. */
function errorsText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `data${e.instancePath} ${e.message ?? 'is invalid'}`).join(', ');
}
