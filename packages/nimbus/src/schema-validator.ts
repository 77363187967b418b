import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { TopologyDefinition } from '@topo/topology-dsl';
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

/** What each validator checks: an entry for every schema `validator-schemas.ts` names, or `Validators` fails to compile. */
interface Validated {
  topology: TopologyRecord;
  logConfig: LogConfig;
  assignment: ClusterAssignment;
  supervisor: SupervisorHeartbeat;
  worker: WorkerHeartbeat;
  workerFailure: WorkerFailure;
  nimbus: NimbusRegistration;
  error: ErrorRecord;
  submission: Submission;
  bundle: TopologyBundle;
  topologyDefinition: TopologyDefinition;
}

type Validators = { readonly [Name in keyof typeof validatorSchemas]: ValidateFunction<Validated[Name]> };

let compiled: Validators | undefined;

/**
 * Every record kind kept in Redis, and an upload with its bundle, each with the validator
 * ajv compiled at build time (validator-schemas.ts), loaded on first use. Compiling them at
 * run time cost every worker and daemon a tenth of a second or more of CPU, most of it for
 * the topology definition a topology record embeds.
 */
export function validators(): Validators {
  compiled ??= createRequire(import.meta.url)('./validators.cjs') as Validators;
  return compiled;
}

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
