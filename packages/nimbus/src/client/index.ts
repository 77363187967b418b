// `@topo/nimbus/client`: what a program that only calls nimbus needs (`topo list`, `kill`, ...).
// Its own entry because the package's main one loads the daemon, the scheduler, the bundler and
// their dependencies, which cost each short-lived client process more than its whole work.
export { DEFAULT_NIMBUS_PORT } from './default-nimbus-port.js';
export { NimbusClient, type NimbusClientOptions } from './nimbus-client.js';
export { NimbusApiError, NimbusUnreachableError } from '../errors.js';
export type { CommandResult, RebalanceOptions } from '../topology-commands.js';
export type { ClusterSummary, NimbusSummary, SupervisorSummary, TopologyDetail, TopologySummary, TopologyWorker } from '../cluster-views.js';
