// The daemon and its client.
export { Nimbus, type NimbusOptions } from './nimbus.js';
export { DEFAULT_NIMBUS_PORT } from './client/default-nimbus-port.js';
export { NimbusClient, type NimbusClientOptions } from './client/nimbus-client.js';
export { prepareSubmission, type PrepareOptions } from './client/prepare-submission.js';
export { resolveOverrides, submissionProblems, type Submission } from './api/submission.js';
export type { CommandResult, RebalanceOptions } from './topology-commands.js';
export type { ClusterSummary, NimbusSummary, SupervisorSummary, TopologyDetail, TopologySummary, TopologyWorker } from './cluster-views.js';
// The HTTP API (Storm UI's REST paths), served by nimbus and by `topo run --ui-port`.
export { stormApi, type StormApiOptions, type ApiRoute, type RouteHandler } from './api/storm-api.js';
export type { ApiBackend, ActionResult, RebalanceRequest } from './api/api-backend.js';
export type { ApiMount } from './api/api-mount.js';
export { metricsMount } from './api/metrics-mount.js';
export { LocalRunApi, LOCAL_API_HOST, type LocalRunApiOptions } from './api/local-run-api.js';
export { HttpError } from './api/http-error.js';
export type { StatsTopology, StatsWorker } from './stats/stats-topology.js';
export type { ComponentPageBody, TopologyStatsBody } from './stats/storm-views.js';
export { prettyUptime } from './stats/storm-format.js';
export { workerFailureSchema, type WorkerFailure } from './state/worker-failure.js';
export { componentErrorEntry, lastErrorFields, type ComponentErrorEntry, type LastErrorFields, type WorkerLogLink } from './stats/storm-error-fields.js';
export { CLUSTER_DEFAULTS, clusterConfig, secondsToMs, type ClusterConfig, type ClusterConfigKey } from './cluster-config.js';
export { isLoopback, requireBearer } from './api/bearer-auth.js';
export { sendJson } from './api/http-json.js';
export { ClusterStateError, BundleError, NimbusApiError, NimbusUnreachableError } from './errors.js';

// Cluster state in Redis, shared with supervisors.
export { ClusterKeys, DEFAULT_KEY_PREFIX } from './state/cluster-keys.js';
export { ClusterState, type NewTopology } from './state/cluster-state.js';
export { connectRedis, redactUrl } from './state/redis-connection.js';
export { assignmentPeers, runtimeAssignment, slotWorkerId, clusterAssignmentSchema, type ClusterAssignment, type ClusterWorker } from './state/cluster-assignment.js';
export { supervisorHeartbeatSchema, type SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
export { workerHeartbeatSchema, type WorkerHeartbeat } from './state/worker-heartbeat.js';
export { errorRecordSchema } from './state/error-record.js';
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
export { levelOverrides, mergeLogConfig, STORM_LOG_LEVELS, type LogConfig, type NamedLoggerLevel, type StormLogLevel } from './state/log-config.js';
