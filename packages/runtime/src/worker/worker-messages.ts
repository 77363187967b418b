import type { LogLevel, TopologyConfig } from '@topo/topology-dsl';
import type { ErrorRecord } from '../errors/error-record.js';
import type { ComponentMetricsSnapshot } from '../stats/component-totals.js';
import type { Assignment } from '../scheduler/assignment.js';
import type { RotationLimits } from '../logging/rotating-file.js';
import type { WorkerStatsReport } from '../stats/worker-stats.js';
import type { PeerAddress } from '../transport/transport.js';

/** What a worker process is started with (in its launch message). */
export interface WorkerProcessSpec {
  workerId: string;
  topologyFile: string;
  exportName?: string;
  name?: string;
  config: TopologyConfig;
  assignment: Assignment;
  /** Address to listen on for other workers. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** The lowest level the worker logs at (default info): the run's `--log-level`, or the supervisor's. */
  logLevel?: LogLevel;
  /**
   * Where the worker writes its log, as JSON lines, rolled by size (a supervisor's
   * workers); absent, it writes human lines to stderr (`topo run --workers N`).
   */
  logFile?: { path: string } & RotationLimits;
}

/**
 * Parent -> worker, the first message on the IPC channel: what to run and the topology
 * secret (hex). The secret never goes through the environment: deleting it from
 * `process.env` leaves it readable in `/proc/<pid>/environ`, and multi-lang
 * subprocesses inherit the environment.
 */
export interface WorkerLaunch {
  type: 'launch';
  spec: WorkerProcessSpec;
  secret: string;
}

/** Worker -> parent. */
export type WorkerReport =
  | { type: 'listening'; workerId: string; port: number }
  /** An error the worker kept (the throttle let it through), for the run's error log. */
  | { type: 'error'; workerId: string; record: ErrorRecord }
  /** The worker could not start (a component's open() or prepare() threw, say); it exits next. */
  | { type: 'start-failed'; workerId: string; message: string }
  | {
      type: 'heartbeat';
      workerId: string;
      /** When the worker took these figures (ms since the epoch, sub-ms): rates between two heartbeats use it, not when they arrived. */
      sentAt: number;
      metrics: ComponentMetricsSnapshot[];
      /** Complete latency of this worker's spouts since it started, as `LatencyHistogram.toSparse()`. */
      latency: { buckets: number[]; max: number };
      transport: { framesSent: number; bytesSent: number; tuplesSent: number };
      /** Per-executor stats in Storm's windows, and the process's gauges. */
      stats: WorkerStatsReport;
    };

/** Parent -> worker. */
export type WorkerCommand =
  | { type: 'peers'; peers: PeerAddress[] }
  /** A new assignment that keeps this worker's own executors (see `Worker.reassign`), with the peers it implies. */
  | { type: 'assignment'; assignment: Assignment; peers: PeerAddress[] }
  | { type: 'activate' }
  | { type: 'deactivate' }
  | { type: 'stop' };
