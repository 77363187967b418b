import {
  ACKER_COMPONENT,
  ackerExecutors,
  DEFAULT_CONFIG,
  TopoError,
  mergeConfig,
  type CompiledTopology,
  type TopologyConfig,
  type TopologyDefinition,
} from '@topo/topology-dsl';
import { ACK_ACK, ACK_FAIL, ACK_INIT, ACK_LOST } from '../acker/acker-messages.js';
import { AckerExecutor } from '../executor/acker-executor.js';
import type { BoltExecutor } from '../executor/bolt-executor.js';
import { boltExecutor } from '../state/bolt-executor-for.js';
import type { Executor } from '../executor/executor.js';
import { Inbox } from '../executor/inbox.js';
import { SpoutExecutor } from '../executor/spout-executor.js';
import { watermark } from '../executor/watermark.js';
import type { ErrorLog } from '../errors/error-log.js';
import type { ErrorOrigin } from '../errors/error-record.js';
import { ErrorReporter, type ErrorSink } from '../errors/error-reporter.js';
import { LogLevels } from '../logging/log-levels.js';
import { terminalLogger, type Logger } from '../logging/logger.js';
import type { ExecutorHost } from '../executor/executor-host.js';
import type { ComponentMetricsSnapshot } from '../stats/component-totals.js';
import type { LatencyHistogram } from '../stats/latency-histogram.js';
import { WorkerStats } from '../stats/worker-stats.js';
import { StreamCatalog } from '../routing/stream-catalog.js';
import { taskWorkers, type Assignment } from '../scheduler/assignment.js';
import type { OutgoingBatch } from '../transport/outgoing-batch.js';
import { readTransportLimits } from '../transport/transport-limits.js';
import { Transport, type PeerAddress } from '../transport/transport.js';
import type { TupleImpl } from '../tuple-impl.js';
import type { RunningTopology, RunWorkerStats } from '../running-topology.js';
import { systemClock, type WindowClock } from '../windowing/clock.js';
import { AckerRouting } from './acker-routing.js';
import { PeerBatches } from './peer-batches.js';
import { spoutWait, type SpoutWait } from './spout-wait.js';
import { startTickTimers } from './tick-timers.js';
import { computeTaskLayout, type TaskLayout } from './task-layout.js';
import type { WorkerObserver } from './worker-observer.js';

export type { WorkerObserver } from './worker-observer.js';

export interface WorkerOptions {
  compiled: CompiledTopology;
  /** Layered over the topology's config (the CLI's `--config`). */
  config?: TopologyConfig;
  /** Task layout; computed from the definition when absent. */
  layout?: TaskLayout;
  logger?: Logger;
  observer?: WorkerObserver;
  /** Where the errors it keeps go besides its own log (a worker process's parent, or Redis). */
  errorSink?: ErrorSink;
  /** Who this worker is, for its error records: id, host and (until it listens) port. */
  origin?: ErrorOrigin;
  /** Start with spouts deactivated. */
  inactive?: boolean;
  /** Set when this worker is one of several processes: which executors are its own, and how to reach the rest. */
  cluster?: ClusterMembership;
  /** The time windows read and schedule on; a test's ManualClock, else the wall clock. */
  clock?: WindowClock;
}

export interface ClusterMembership {
  workerId: string;
  assignment: Assignment;
  /** The per-topology secret every connection between workers proves knowledge of. */
  secret: Buffer;
}

/** How often spouts look for trees past the message timeout. */
const TIMEOUT_SWEEP_MS = 100;
/**
 * The inbox length at which a bolt holds back the spouts of its own worker. They stop at
 * once (they look before each emit), so a short queue keeps the bolt busy; a longer one
 * only keeps tuples alive across V8's young-generation GCs, which copy and then promote
 * them. Behind a multi-lang bolt with Storm's 32,768, the worker spent twice as long in
 * GC, and its subprocess waited through each pause. Peers in other workers hear of
 * backpressure a round trip late, so they are held back only at the full
 * `topology.executor.receive.buffer.size`.
 */
const LOCAL_SPOUTS_HIGH_WATER = 1024;

/**
 * One process's share of a topology: its executors, the scheduler that runs them in
 * slices on the event loop, and the delivery of tuples and acker messages by task id.
 * Executors only ever address tasks, never each other, so a task may live in another
 * worker without any executor noticing.
 */
export class Worker implements RunningTopology, ExecutorHost {
  readonly definition: TopologyDefinition;
  readonly config: TopologyConfig;
  readonly layout: TaskLayout;
  readonly logger: Logger;
  /** Its loggers' levels, which the cluster can change while it runs (Storm's set_log_level). */
  readonly logLevels: LogLevels;
  readonly observer: WorkerObserver | undefined;
  /** Its executors' errors: throttled, logged, kept (`errors.log`) and passed to the sink. */
  readonly errors: ErrorReporter;
  readonly ackersEnabled: boolean;
  /** Index in the acker task list of an acker in this worker, or -1: spouts pick root ids that hash to it. */
  readonly localAckerIndex: number;
  /** Spout tasks in this worker: the root ids of each carry its position among them (see acker/tree-slots.ts). */
  readonly treeSlots: number;
  /** Reasons to hold spouts back (local queues past high water, peers asking, blocked sends); spouts emit only at 0. */
  congested = 0;
  /** Tuples delivered to executors in this worker so far: spouts pace their turns by it. */
  localDeliveries = 0;
  /** Scheduler rounds run so far: how often this worker woke up to look for work. */
  rounds = 0;
  readonly streams: StreamCatalog;
  /** Counters and windows of this worker's executors, and its gauges. */
  readonly stats: WorkerStats;
  readonly clock: WindowClock;

  private readonly executors: Executor[] = [];
  private readonly spouts: SpoutExecutor[] = [];
  /** Executors with a receive queue: bolts, and in a stateful topology spouts (for their barriers). */
  private readonly boltByTask: (Pick<BoltExecutor, 'inbox'> | undefined)[] = [];
  private readonly ackerRouting: AckerRouting;
  private readonly ackerTasks: number[];
  private readonly componentConfigs = new Map<string, TopologyConfig>();
  /** Config given at submit time; it wins over component config too (defaults < topology < component < submit). */
  private readonly overrides: TopologyConfig | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly highWater: number;
  private scheduled: 'none' | 'immediate' | 'timer' = 'none';
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly spoutWait: SpoutWait;
  /** Rounds in a row that found nothing to do. */
  private idleRounds = 0;
  private running = false;
  private active = false;
  /** Inboxes here past the receive buffer: while any is, peers hold their spouts back. */
  private inboxesHoldingPeers = 0;
  private readonly transport: Transport | undefined = undefined;
  private readonly peerBatches: PeerBatches | undefined = undefined;
  private readonly workerId: string | undefined;
  /** Task id -> worker id, for tasks in other workers. */
  private readonly remoteTasks = new Map<number, string>();
  private readonly peersHolding = new Set<string>();

  constructor(readonly compiled: CompiledTopology, options: Omit<WorkerOptions, 'compiled'> = {}) {
    this.definition = compiled.definition;
    this.config = mergeConfig(DEFAULT_CONFIG, compiled.definition.config, options.config);
    this.overrides = options.config;
    this.logger = options.logger ?? terminalLogger();
    this.logLevels = new LogLevels(this.logger);
    this.observer = options.observer;
    this.clock = options.clock ?? systemClock;
    this.errors = new ErrorReporter(this.logger, this.config, { worker: options.cluster?.workerId, ...options.origin }, options.errorSink);
    this.layout = options.layout ?? computeTaskLayout(this.definition, ackerExecutors(this.config));
    this.ackerTasks = this.layout.ackerTasks;
    this.ackersEnabled = this.ackerTasks.length > 0;
    this.highWater = Number(this.config['topology.executor.receive.buffer.size']);
    this.active = options.inactive !== true;
    this.streams = new StreamCatalog(this.definition);

    // Read in every worker, so a bad value fails `topo run` in one process as it would with several.
    const linkLimits = readTransportLimits(this.config);
    let executors = this.layout.executors;
    const cluster = options.cluster;
    if (cluster !== undefined) {
      const mine = cluster.assignment.workers.find((w) => w.id === cluster.workerId);
      if (mine === undefined) throw new TopoError(`worker ${cluster.workerId} is not in the assignment of ${this.definition.name}`, { worker: cluster.workerId });
      executors = mine.executors;
      this.workerId = cluster.workerId;
      for (const [task, worker] of taskWorkers(cluster.assignment)) if (worker !== cluster.workerId) this.remoteTasks.set(task, worker);
      this.transport = new Transport({
        workerId: cluster.workerId,
        topology: this.definition.name,
        secret: cluster.secret,
        logger: this.logger,
        onBatch: (_peer, batch) => this.peerBatches!.receive(batch),
        onBackpressure: (peer, on) => this.holdFor(peer, on),
        onSendBlocked: (peer, blocked) => this.holdFor(`send:${peer}`, blocked),
        onDropped: (_peer, roots) => this.failDropped(roots),
        onPeerLost: () => {
          for (const executor of this.executors) executor.peerLost();
        },
        batchMessages: Number(this.config['topology.transfer.batch.size']),
        flushIntervalMs: Number(this.config['topology.batch.flush.interval.millis']),
        limits: linkLimits,
      });
    }

    const kinds = new Map(this.definition.components.map((c) => [c.name, c.kind]));
    // Spout executors need both to choose their root ids.
    const localAckers = new Set(executors.flatMap((spec) => (spec.component === ACKER_COMPONENT ? spec.tasks : [])));
    this.localAckerIndex = this.ackerTasks.findIndex((t) => localAckers.has(t));
    this.treeSlots = executors.reduce((n, spec) => n + (kinds.get(spec.component) === 'spout' ? spec.tasks.length : 0), 0);
    const routing = (this.ackerRouting = new AckerRouting(this.ackerTasks, (task) => this.remote(task)));
    const bolts: Executor[] = [];
    const ackers: Executor[] = [];
    for (const spec of executors) {
      if (spec.component === ACKER_COMPONENT) {
        const ex = new AckerExecutor(this, spec.component, spec.tasks);
        for (const t of spec.tasks) routing.addAcker(t, ex);
        ackers.push(ex);
      } else if (kinds.get(spec.component) === 'spout') {
        const ex = new SpoutExecutor(this, spec.component, spec.tasks, routing.treeOwners.length);
        for (const t of spec.tasks) {
          routing.addSpout(t, ex);
          if (ex.inbox !== undefined) this.boltByTask[t] = { inbox: ex.inbox };
        }
        this.spouts.push(ex);
      } else {
        const ex = boltExecutor(this, spec.component, spec.tasks);
        for (const t of spec.tasks) this.boltByTask[t] = ex;
        bolts.push(ex);
      }
    }
    this.executors.push(...this.spouts, ...bolts, ...ackers);
    if (this.transport !== undefined) this.peerBatches = new PeerBatches(this, this.definition, this.layout, this.streams, executors);
    this.stats = new WorkerStats(this.executors, this.streams.byIndex, () => ({
      inboxDepth: bolts.reduce((n, ex) => n + ex.queued, 0),
      backpressure: this.congested > 0 || this.inboxesHoldingPeers > 0,
    }));
    this.spoutWait = spoutWait(this.spouts.map((spout) => this.componentConfig(spout.component)));
  }

  componentConfig(component: string): TopologyConfig {
    let config = this.componentConfigs.get(component);
    if (config === undefined) {
      const definition = this.definition.components.find((c) => c.name === component);
      config = mergeConfig(this.config, definition?.config, this.overrides);
      this.componentConfigs.set(component, config);
    }
    return config;
  }

  instantiate<T>(component: string): T {
    const componentClass = this.compiled.componentClasses.get(component) as (new () => T) | undefined;
    if (componentClass === undefined) throw new TopoError(`no class for component ${component} in this topology module`, { component });
    return new componentClass();
  }

  isLocal(task: number): boolean {
    return this.boltByTask[task] !== undefined || this.ackerRouting.spoutByTask[task] !== undefined || this.ackerRouting.ackerByTask[task] !== undefined;
  }

  createInbox(): Inbox {
    const holdLocalSpouts = watermark(Math.min(this.highWater, LOCAL_SPOUTS_HIGH_WATER), (above) => {
      if (above) this.congested++;
      else {
        this.congested--;
        this.wake();
      }
    });
    const holdPeers = watermark(this.highWater, (above) => {
      if (above) {
        if (this.inboxesHoldingPeers++ === 0) this.transport?.broadcastBackpressure(true);
      } else if (--this.inboxesHoldingPeers === 0) this.transport?.broadcastBackpressure(false);
    });
    return new Inbox(holdLocalSpouts, holdPeers);
  }

  /** Holds spouts back while `reason` (a peer under backpressure, a blocked socket) lasts. */
  private holdFor(reason: string, on: boolean): void {
    if (on === this.peersHolding.has(reason)) return;
    if (on) {
      this.peersHolding.add(reason);
      this.congested++;
    } else {
      this.peersHolding.delete(reason);
      this.congested--;
      this.wake();
    }
  }

  /** Starts accepting connections from the other workers; returns the port. */
  async listen(host: string, port = 0): Promise<number> {
    if (this.transport === undefined) throw new TopoError('listen() is only for workers started with a cluster membership');
    const listening = await this.transport.listen(host, port);
    this.errors.origin.host ??= host;
    this.errors.origin.port = listening;
    return listening;
  }

  /** Converges connections to the current peers table. */
  setPeers(peers: PeerAddress[]): void {
    this.transport?.setPeers(peers);
  }

  /**
   * Adopts a new assignment that leaves this worker's own tasks where they are: only the
   * placement of other workers' tasks changes, so a healthy worker keeps running (and
   * keeps its trees) while the work of a failed one moves elsewhere.
   */
  reassign(assignment: Assignment): void {
    const workerId = this.workerId;
    if (workerId === undefined) throw new TopoError('reassign() is only for workers started with a cluster membership');
    const placement = taskWorkers(assignment);
    for (const task of Object.keys(this.layout.taskComponent).map(Number)) {
      const worker = placement.get(task);
      if (worker === undefined) throw new TopoError(`the new assignment of ${this.definition.name} places no worker on task ${task}`, { task });
      if ((worker === workerId) !== this.isLocal(task)) {
        throw new TopoError(`the new assignment of ${this.definition.name} moves task ${task} ${worker === workerId ? 'into' : 'out of'} worker ${workerId}; restart the worker instead`, { task, worker: workerId });
      }
    }
    this.remoteTasks.clear();
    for (const [task, worker] of placement) if (worker !== workerId) this.remoteTasks.set(task, worker);
  }

  transportStats(): { framesSent: number; bytesSent: number; tuplesSent: number } {
    return { framesSent: this.transport?.framesSent ?? 0, bytesSent: this.transport?.bytesSent ?? 0, tuplesSent: this.transport?.tuplesSent ?? 0 };
  }

  /** Opens every task, starts timers and the scheduler, and activates spouts unless told not to. */
  async start(): Promise<void> {
    for (const ex of this.executors) await ex.start();
    this.running = true;
    this.errors.start();
    this.timers.push(
      setInterval(() => {
        const now = performance.now();
        for (const spout of this.spouts) spout.expire(now);
        this.wake();
      }, TIMEOUT_SWEEP_MS),
    );
    const timeoutMs = Number(this.config['topology.message.timeout.secs']) * 1000;
    this.timers.push(
      setInterval(() => {
        for (const ex of this.executors) if (ex instanceof AckerExecutor) ex.acker.rotate();
        this.wake();
      }, timeoutMs),
    );
    this.timers.push(
      ...startTickTimers({
        definition: this.definition,
        componentTasks: this.layout.componentTasks,
        componentConfig: (component) => this.componentConfig(component),
        inboxOf: (task) => this.boltByTask[task]?.inbox,
        wake: () => this.wake(),
      }),
    );
    if (this.active) for (const spout of this.spouts) spout.activate();
    this.wake();
  }

  activate(): void {
    this.active = true;
    for (const spout of this.spouts) spout.activate();
    this.wake();
  }

  deactivate(): void {
    this.active = false;
    for (const spout of this.spouts) spout.deactivate();
  }

  /** Spout trees in flight in this worker. */
  get pendingTrees(): number {
    let n = 0;
    for (const spout of this.spouts) n += spout.pendingCount;
    return n;
  }

  /** Resolves when no spout tree is pending, or after `timeoutMs`; true when drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.pendingTrees > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.pendingTrees === 0;
  }

  /** Stops the scheduler and timers, then closes every task. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    for (const spout of this.spouts) spout.deactivate();
    for (const ex of this.executors) await ex.stop();
    this.errors.stop();
    this.stats.close();
    await this.transport?.close();
  }

  // ---- delivery, by task id ----

  deliver(task: number, tuple: TupleImpl): void {
    const bolt = this.boltByTask[task];
    if (bolt !== undefined) {
      bolt.inbox.push(task, tuple);
      this.localDeliveries++;
    } else this.remote(task).addTuple(task, tuple, tuple.streamFields.index);
  }

  /** The send buffer of the worker that runs `task`. */
  private remote(task: number): OutgoingBatch {
    const worker = this.remoteTasks.get(task);
    if (worker === undefined || this.transport === undefined) throw new TopoError(`task ${task} is neither in this worker nor assigned to another`, { task });
    return this.transport.sendBuffer(worker);
  }

  /** Tuples that could not reach their worker: fail their trees now rather than wait for the timeout, as lost rather than failed by a bolt. */
  private failDropped(roots: number[]): void {
    for (let i = 0; i < roots.length; i += 2) if ((roots[i] | roots[i + 1]) !== 0) this.ackerRouting.toAcker(ACK_LOST, roots[i], roots[i + 1], 0, 0, 0);
    this.wake();
  }

  ackerInit(rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    this.ackerRouting.toAcker(ACK_INIT, rootHi, rootLo, xorHi, xorLo, spoutTask);
  }

  ackerAck(rootHi: number, rootLo: number, xorHi: number, xorLo: number): void {
    this.ackerRouting.toAcker(ACK_ACK, rootHi, rootLo, xorHi, xorLo, 0);
  }

  ackerFail(rootHi: number, rootLo: number): void {
    this.ackerRouting.toAcker(ACK_FAIL, rootHi, rootLo, 0, 0, 0);
  }

  ackerResult(spoutTask: number, result: number, rootHi: number, rootLo: number): void {
    this.ackerRouting.result(spoutTask, result, rootHi, rootLo);
  }

  toAcker(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    this.ackerRouting.toAcker(type, rootHi, rootLo, xorHi, xorLo, spoutTask);
  }

  taskLogger(component: string, task: number): Logger {
    return this.logLevels.forTask(component, task);
  }

  // ---- scheduling ----

  /** Runs the scheduler soon; cheap to call often. */
  wake(): void {
    if (!this.running || this.scheduled === 'immediate') return;
    if (this.scheduled === 'timer') clearTimeout(this.idleTimer);
    this.scheduled = 'immediate';
    setImmediate(this.loop);
  }

  private readonly loop = (): void => {
    // A wake() from inside a slice needs nothing: the work it signals makes this loop go round again.
    this.scheduled = 'immediate';
    if (!this.running) return;
    this.rounds++;
    let work = 0;
    const executors = this.executors;
    for (let i = 0; i < executors.length; i++) work += executors[i].runSlice();
    this.transport?.flush();
    if (work > 0) this.idleRounds = 0;
    else if (!this.spoutsPollable()) {
      // Nothing to poll: whatever brings work next (a delivery, a frame, an ack, a timer's tick) calls wake().
      this.scheduled = 'none';
      return;
    } else if (this.idleRounds >= this.spoutWait.immediateRounds) {
      this.scheduled = 'timer';
      this.idleTimer = setTimeout(this.loop, this.spoutWait.sleepMs);
      return;
    } else this.idleRounds++;
    setImmediate(this.loop);
  };

  /** Whether some spout task here would have its nextTuple called in the next round. */
  private spoutsPollable(): boolean {
    if (this.congested > 0) return false;
    const spouts = this.spouts;
    for (let i = 0; i < spouts.length; i++) if (spouts[i].pollable) return true;
    return false;
  }

  /** The last errors of each component that ran here. */
  get errorLog(): ErrorLog {
    return this.errors.log;
  }

  metrics(): ComponentMetricsSnapshot[] {
    return this.stats.componentTotals();
  }

  completeLatency(): LatencyHistogram {
    return this.stats.completeLatency();
  }

  workerStats(): RunWorkerStats[] {
    return [{ id: this.workerId ?? 'local', host: '127.0.0.1', port: 0, restarts: 0, report: this.stats.report() }];
  }

  /**
   * Bytes the tables tracking trees hold (the ackers' and the spouts' pending tables) and
   * the spout trees pending, for the bench's bytes-per-tree figure.
   */
  trackingMemory(): { bytes: number; trees: number } {
    let bytes = 0;
    let trees = 0;
    for (const ex of this.executors) {
      if (ex instanceof AckerExecutor) bytes += ex.acker.table.bytes;
      else if (ex instanceof SpoutExecutor) {
        bytes += ex.pendingBytes;
        trees += ex.pendingCount;
      }
    }
    return { bytes, trees };
  }
}
