import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { topologyDefinitionSchema } from '@topo/topology-dsl';
import type { ErrorRecord } from '@topo/runtime';
import { ClusterStateError } from './errors.js';
import { clusterAssignmentSchema, type ClusterAssignment } from './state/cluster-assignment.js';
import { errorRecordSchema } from './state/error-record.js';
import { logConfigSchema, type LogConfig } from './state/log-config.js';
import { nimbusRegistrationSchema, type NimbusRegistration } from './state/nimbus-registration.js';
import { supervisorHeartbeatSchema, type SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
import { topologyRecordSchema, type TopologyRecord } from './state/topology-record.js';
import { workerFailureSchema, type WorkerFailure } from './state/worker-failure.js';
import { workerHeartbeatSchema, type WorkerHeartbeat } from './state/worker-heartbeat.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
// Registered, not compiled: records refer to it by $id, and ajv compiles it with the first of them.
ajv.addSchema(topologyDefinitionSchema);

const compiled = new Map<string, ValidateFunction>();

/** Compiles a schema on first use: ajv's compile costs tens of milliseconds, which every CLI start would pay. */
export function lazyValidator<T>(schema: { $id: string }): ValidateFunction<T> {
  let validate = compiled.get(schema.$id);
  if (validate === undefined) compiled.set(schema.$id, (validate = ajv.compile(schema)));
  return validate as ValidateFunction<T>;
}

/** Every record kind kept in Redis, with its schema compiled on first use. */
export const recordValidators = {
  get topology() {
    return lazyValidator<TopologyRecord>(topologyRecordSchema);
  },
  get logConfig() {
    return lazyValidator<LogConfig>(logConfigSchema);
  },
  get assignment() {
    return lazyValidator<ClusterAssignment>(clusterAssignmentSchema);
  },
  get supervisor() {
    return lazyValidator<SupervisorHeartbeat>(supervisorHeartbeatSchema);
  },
  get worker() {
    return lazyValidator<WorkerHeartbeat>(workerHeartbeatSchema);
  },
  get workerFailure() {
    return lazyValidator<WorkerFailure>(workerFailureSchema);
  },
  get nimbus() {
    return lazyValidator<NimbusRegistration>(nimbusRegistrationSchema);
  },
  get error() {
    return lazyValidator<ErrorRecord>(errorRecordSchema);
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
  if (!validate(value)) throw new ClusterStateError(key, ajv.errorsText(validate.errors));
  return value;
}
