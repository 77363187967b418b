export { Worker, type WorkerOptions, type WorkerObserver } from './worker/worker.js';
export { computeTaskLayout, type TaskLayout, type ExecutorSpec } from './worker/task-layout.js';
export { stderrLogger, type Logger, type LogRecord } from './logger.js';
export { addCounters, emptySnapshot, type ComponentMetricsSnapshot } from './metrics/component-metrics.js';
export { LatencyHistogram } from './metrics/latency-histogram.js';
export { hashValue } from './routing/value-hash.js';
export { LocalCluster, toCompiled, type SubmitOptions, type TopologySource } from './local-cluster.js';
export { loadTopology } from './load-topology.js';
export { completeTopology, type CompleteTopologyOptions, type CompleteTopologyResult, type CapturedTuples } from './testing/complete-topology.js';
export { testBolt, type TestBoltOptions, type TestBoltResult, type TestBoltEmit } from './testing/test-bolt.js';
export { LocalWorkerPool, type LocalWorkerPoolOptions } from './local-worker-pool.js';
export { scheduleEvenly } from './scheduler/even-scheduler.js';
export { assignmentSchema, executorSpecSchema, taskWorkers, type Assignment, type WorkerAssignment } from './scheduler/assignment.js';
export type { ClusterMembership } from './worker/worker.js';
export type { PeerAddress } from './transport/transport.js';
export type { RunningTopology } from './running-topology.js';
export { workerProcessEntry } from './worker/worker-process-entry.js';
export type { WorkerProcessSpec, WorkerReport, WorkerCommand } from './worker/worker-messages.js';
export { workerExecArgv } from './worker/worker-exec-argv.js';
export { tuneV8ForTuples } from './worker/v8-tuning.js';
export { stopWorkerProcess } from './worker/stop-worker-process.js';
export { isRunning } from './process-running.js';

// Test tooling for this package's tests and every other package's, and the bench.
export { startTestRedis, stopAllTestRedis, type TestRedisServer, type TestRedisOptions } from './testing/redis-server.js';
export { freePort, freePortRange } from './testing/free-ports.js';
export { seededRandom, keyedRandom, shuffled } from './testing/seeded-random.js';
export { AckLog, ackedIdsTopologyFile } from './testing/ack-log.js';
export { waitFor } from './testing/wait-for.js';
