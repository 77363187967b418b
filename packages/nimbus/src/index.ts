// The daemon and its client.
export { Nimbus, type NimbusOptions } from './nimbus.js';
export { DEFAULT_NIMBUS_PORT } from './client/default-nimbus-port.js';
export { NimbusClient, type NimbusClientOptions } from './client/nimbus-client.js';
export { prepareSubmission, type PrepareOptions } from './client/prepare-submission.js';
export { resolveOverrides, submissionProblems, type Submission } from './api/submission.js';
export type { CommandResult, RebalanceOptions } from './topology-commands.js';
export type { ClusterSummary, NimbusSummary, SupervisorSummary, TopologyDetail, TopologySummary, TopologyWorker } from './cluster-views.js';
export { CLUSTER_DEFAULTS, clusterConfig, secondsToMs, type ClusterConfig, type ClusterConfigKey } from './cluster-config.js';
export { ClusterStateError, BundleError, NimbusApiError, NimbusUnreachableError } from './errors.js';

// Cluster state in Redis, shared with supervisors.
export { ClusterKeys, DEFAULT_KEY_PREFIX } from './state/cluster-keys.js';
export { ClusterState, type NewTopology } from './state/cluster-state.js';
export { connectRedis, redactUrl } from './state/redis-connection.js';
export { assignmentPeers, runtimeAssignment, slotWorkerId, clusterAssignmentSchema, type ClusterAssignment, type ClusterWorker } from './state/cluster-assignment.js';
export { supervisorHeartbeatSchema, type SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
export { workerHeartbeatSchema, type WorkerHeartbeat } from './state/worker-heartbeat.js';
export { topologyRecordSchema, requestedWorkers, type TopologyRecord, type TopologyStatus, type PendingTransition } from './state/topology-record.js';
export { nimbusRegistrationSchema, type NimbusRegistration } from './state/nimbus-registration.js';
export { ConvergenceLoop } from './convergence-loop.js';
export { LeaderLease } from './leader-lease.js';

// Scheduling.
export { scheduleCluster, scheduleTopology, type TopologyDemand } from './scheduler/even-cluster-scheduler.js';
export { SlotPool, type Slot, type SupervisorSlots } from './scheduler/slot-pool.js';

// Bundles.
export { bundleTopology, type BundleOptions } from './bundle/bundle-topology.js';
export { BUNDLE_FORMAT, parseBundle, resourcePathProblem, topologyBundleSchema, type BundleResource, type TopologyBundle } from './bundle/topology-bundle.js';
export { unpackBundle, BUNDLE_MODULE_FILE, BUNDLE_RESOURCES_DIR } from './bundle/unpack-bundle.js';

// Test tooling for this package, the supervisor's, the CLI's and the bench (the
// throw-away redis-server, free ports and the AckedIds topology are @topo/runtime's).
export { SECOND_SCALE_CONFIG, secondScaleFlags } from './testing/second-scale-config.js';
