import type { CompiledTopology, TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import type { ErrorReporter } from '../errors/error-reporter.js';
import type { Logger } from '../logging/logger.js';
import type { StreamCatalog } from '../routing/stream-catalog.js';
import type { TupleImpl } from '../tuple-impl.js';
import type { TaskLayout } from '../worker/task-layout.js';
import type { WorkerObserver } from '../worker/worker-observer.js';
import type { WindowClock } from '../windowing/clock.js';
import type { Inbox } from './inbox.js';

/**
 * What executors may use of the worker they run in (Storm's WorkerState): delivery by
 * task id, the acker's messages, config, scheduling and the shared counters of
 * congestion. The worker implements it; executors import this, never the worker.
 */
export interface ExecutorHost {
  readonly compiled: CompiledTopology;
  readonly definition: TopologyDefinition;
  readonly layout: TaskLayout;
  readonly streams: StreamCatalog;
  readonly logger: Logger;
  /** Time for windowed bolts: the system clock, or a test's movable one. */
  readonly clock: WindowClock;
  readonly observer: WorkerObserver | undefined;
  readonly ackersEnabled: boolean;
  /** Index in the acker task list of an acker in this worker, or -1. */
  readonly localAckerIndex: number;
  /** Spout tasks in this worker (see acker/tree-slots.ts). */
  readonly treeSlots: number;
  /** Reasons to hold spouts back; spouts emit only at 0. */
  readonly congested: number;
  /** Tuples delivered to executors in this worker so far. */
  readonly localDeliveries: number;
  /** The logger of one task (its lines carry component and task), at the level set for its component. */
  taskLogger(component: string, task: number): Logger;
  componentConfig(component: string): TopologyConfig;
  instantiate<T>(component: string): T;
  isLocal(task: number): boolean;
  createInbox(): Inbox;
  deliver(task: number, tuple: TupleImpl): void;
  wake(): void;
  ackerInit(rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void;
  ackerAck(rootHi: number, rootLo: number, xorHi: number, xorLo: number): void;
  ackerFail(rootHi: number, rootLo: number): void;
  ackerResult(spoutTask: number, result: number, rootHi: number, rootLo: number): void;
  /** The worker's error throttles, log lines, kept records and sink. */
  readonly errors: ErrorReporter;
}
