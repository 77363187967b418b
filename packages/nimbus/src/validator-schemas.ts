import { topologyDefinitionSchema } from '@topo/topology-dsl';
import { submissionSchema } from './api/submission.js';
import { topologyBundleSchema } from './bundle/topology-bundle.js';
import { clusterAssignmentSchema } from './state/cluster-assignment.js';
import { errorRecordSchema } from './state/error-record.js';
import { logConfigSchema } from './state/log-config.js';
import { nimbusRegistrationSchema } from './state/nimbus-registration.js';
import { supervisorHeartbeatSchema } from './state/supervisor-heartbeat.js';
import { topologyRecordSchema } from './state/topology-record.js';
import { workerFailureSchema } from './state/worker-failure.js';
import { workerHeartbeatSchema } from './state/worker-heartbeat.js';

/**
 * What the build compiles into `dist/validators.cjs` (tools/compile-validators): every
 * record kept in Redis, an upload and its bundle. The topology definition is here because
 * a topology record embeds one, by its `$id`.
 */
export const validatorSchemas = {
  topology: topologyRecordSchema,
  logConfig: logConfigSchema,
  assignment: clusterAssignmentSchema,
  supervisor: supervisorHeartbeatSchema,
  worker: workerHeartbeatSchema,
  workerFailure: workerFailureSchema,
  nimbus: nimbusRegistrationSchema,
  error: errorRecordSchema,
  submission: submissionSchema,
  bundle: topologyBundleSchema,
  topologyDefinition: topologyDefinitionSchema,
};
