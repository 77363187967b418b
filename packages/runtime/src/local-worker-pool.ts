import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ackerExecutors, build, DEFAULT_CONFIG, mergeConfig, TopoError, type LogLevel, type TopologyConfig, type TopologyDefinition } from '@topo/topology-dsl';
import { loadTopology } from './load-topology.js';
import { stderrLogger, type Logger } from './logger.js';
import { addCounters, emptySnapshot, type ComponentMetricsSnapshot } from './metrics/component-metrics.js';
import { LatencyHistogram } from './metrics/latency-histogram.js';
import type { RunningTopology } from './running-topology.js';
import type { Assignment } from './scheduler/assignment.js';
import { scheduleEvenly } from './scheduler/even-scheduler.js';
import type { PeerAddress } from './transport/transport.js';
import { computeTaskLayout } from './worker/task-layout.js';
import type { WorkerCommand, WorkerLaunch, WorkerProcessSpec, WorkerReport } from './worker/worker-messages.js';
import { stopWorkerProcess } from './worker/stop-worker-process.js';
import { workerExecArgv } from './worker/worker-exec-argv.js';
import { workerProcessEntry } from './worker/worker-process-entry.js';

export interface LocalWorkerPoolOptions {
  topologyFile: string;
  exportName?: string;
  name?: string;
  config?: TopologyConfig;
  workers: number;
  logger?: Logger;
  /** Address workers listen on for each other; loopback unless told otherwise. */
  host?: string;
  /** The lowest level worker processes log at (default info), as `topo run --log-level`. */
  logLevel?: LogLevel;
}

type Heartbeat = Extract<WorkerReport, { type: 'heartbeat' }>;

const RESTART_DELAY_MS = 250;

/** One worker slot of the pool: the process in it now, and what it last reported. */
interface Slot {
  id: string;
  child: ChildProcess | undefined;
  port: number | undefined;
  lastHeartbeat: Heartbeat | undefined;
  lastSeen: number;
  restarts: number;
}

/**
 * `topo run --workers N`: N worker processes on this machine, executors dealt evenly over
 * them. The pool hands each worker the peers table, restarts a worker that dies or goes
 * silent (its trees time out and replay), and stops them all on request.
 */
export class LocalWorkerPool implements RunningTopology {
  private readonly slots: Slot[];
  private readonly secret = randomBytes(32);
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly retired = new Map<string, ComponentMetricsSnapshot>();
  private monitor: NodeJS.Timeout | undefined;
  private active = false;
  private stopping = false;

  private constructor(
    private readonly options: LocalWorkerPoolOptions,
    readonly assignment: Assignment,
    readonly definition: TopologyDefinition,
    readonly config: TopologyConfig,
    /** What the user set on the command line: workers merge it over each component's own config. */
    private readonly overrides: TopologyConfig,
  ) {
    this.logger = options.logger ?? stderrLogger();
    this.slots = assignment.workers.map((w) => ({ id: w.id, child: undefined, port: undefined, lastHeartbeat: undefined, lastSeen: 0, restarts: 0 }));
    this.timeoutMs = Number(config['supervisor.worker.timeout.secs'] ?? 30) * 1000;
  }

  /** Validates the topology here (so errors surface before any process starts), then starts the workers. */
  static async start(options: LocalWorkerPoolOptions): Promise<LocalWorkerPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new TopoError(`--workers must be a positive integer (got ${options.workers})`);
    const config: TopologyConfig = { ...options.config, 'topology.workers': options.workers };
    const compiled = build(await loadTopology(options.topologyFile, options.exportName), { name: options.name, config });
    const merged = mergeConfig(DEFAULT_CONFIG, compiled.definition.config, config);
    const layout = computeTaskLayout(compiled.definition, ackerExecutors(merged));
    const ids = Array.from({ length: options.workers }, (_, i) => `worker-${String(i + 1).padStart(3, '0')}`);
    const assignment = scheduleEvenly(compiled.definition.name, layout.executors, ids);
    const pool = new LocalWorkerPool(options, assignment, compiled.definition, merged, config);
    await pool.launchAll();
    return pool;
  }

  private async launchAll(): Promise<void> {
    const listening = this.slots.map((slot) => new Promise<void>((resolve, reject) => this.launch(slot, resolve, reject)));
    await Promise.all(listening);
    this.broadcastPeers();
    this.monitor = setInterval(() => this.checkSilence(), 1000);
  }

  private launch(slot: Slot, onListening?: () => void, onFailure?: (error: Error) => void): void {
    const spec: WorkerProcessSpec = {
      workerId: slot.id,
      topologyFile: this.options.topologyFile,
      exportName: this.options.exportName,
      name: this.options.name,
      config: this.overrides,
      assignment: this.assignment,
      host: this.options.host ?? '127.0.0.1',
      port: 0,
      logLevel: this.options.logLevel,
    };
    const child = fork(workerProcessEntry, [], {
      // Never the parent's own flags: an `-e` script among them would run again in every worker.
      // Node flags for workers come from `topology.worker.childopts`, as in Storm.
      execArgv: workerExecArgv(this.config),
      // Workers share the parent's stdin: a spout that reads it (`cat urls | topo run ...`)
      // gets the stream in whichever worker it runs; the others never read it.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    // A worker that never gets its launch exits at once; the 'exit' handler below says so.
    child.send({ type: 'launch', spec, secret: this.secret.toString('hex') } satisfies WorkerLaunch, () => {});
    slot.child = child;
    slot.port = undefined;
    slot.lastSeen = Date.now();
    child.on('message', (report: WorkerReport) => {
      slot.lastSeen = Date.now();
      if (report.type === 'listening') {
        slot.port = report.port;
        this.logger({ level: 'info', message: `worker ${slot.id} (pid ${child.pid}) listening on ${spec.host}:${report.port}` });
        if (onListening !== undefined) {
          // The first launch: launchAll() broadcasts once every worker listens.
          onListening();
          onListening = undefined;
          onFailure = undefined;
        } else {
          this.broadcastPeers();
          if (this.active) this.send(slot, { type: 'activate' });
        }
      } else {
        slot.lastHeartbeat = report;
      }
    });
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = undefined;
      this.retire(slot);
      if (onFailure !== undefined) {
        onFailure(new TopoError(`worker ${slot.id} exited (code ${code}, signal ${signal}) before it was ready`, { worker: slot.id }));
        return;
      }
      if (this.stopping) return;
      slot.restarts++;
      this.logger({ level: 'error', message: `worker ${slot.id} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; restarting it (its pending trees will time out and replay)` });
      setTimeout(() => {
        if (!this.stopping) this.launch(slot);
      }, RESTART_DELAY_MS);
    });
  }

  /** Counters of a dead worker are kept, so the pool's totals never go backwards. */
  private retire(slot: Slot): void {
    for (const m of slot.lastHeartbeat?.metrics ?? []) {
      const total = this.retired.get(m.component) ?? emptySnapshot(m.component, m.kind);
      addCounters(total, m);
      this.retired.set(m.component, total);
    }
    slot.lastHeartbeat = undefined;
  }

  private checkSilence(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (slot.child !== undefined && now - slot.lastSeen > this.timeoutMs) {
        this.logger({ level: 'error', message: `worker ${slot.id} (pid ${slot.child.pid}) silent for ${Math.round((now - slot.lastSeen) / 1000)} s; killing it` });
        slot.child.kill('SIGKILL');
      }
    }
  }

  private peers(): PeerAddress[] {
    const host = this.options.host ?? '127.0.0.1';
    return this.slots.filter((s) => s.port !== undefined).map((s) => ({ id: s.id, host, port: s.port! }));
  }

  private broadcastPeers(): void {
    const peers = this.peers();
    for (const slot of this.slots) this.send(slot, { type: 'peers', peers });
  }

  private send(slot: Slot, command: WorkerCommand): void {
    // A worker that just died fails the send; its 'exit' restarts it.
    if (slot.child?.connected === true) slot.child.send(command, () => {});
  }

  activate(): void {
    this.active = true;
    for (const slot of this.slots) this.send(slot, { type: 'activate' });
  }

  deactivate(): void {
    this.active = false;
    for (const slot of this.slots) this.send(slot, { type: 'deactivate' });
  }

  /** Process ids by worker id, for tools and tests. */
  pids(): Map<string, number | undefined> {
    return new Map(this.slots.map((s) => [s.id, s.child?.pid]));
  }

  get restarts(): number {
    return this.slots.reduce((n, s) => n + s.restarts, 0);
  }

  /** Per-component counters summed over live workers' last heartbeats and retired workers. */
  metrics(): ComponentMetricsSnapshot[] {
    const totals = new Map<string, ComponentMetricsSnapshot>();
    for (const m of this.retired.values()) totals.set(m.component, { ...m });
    for (const slot of this.slots) {
      for (const m of slot.lastHeartbeat?.metrics ?? []) {
        let total = totals.get(m.component);
        if (total === undefined) totals.set(m.component, (total = emptySnapshot(m.component, m.kind)));
        addCounters(total, m, m.pending, m.done);
      }
    }
    return [...totals.values()];
  }

  /** Complete latency over every worker's spouts (live ones, as last reported). */
  completeLatency(): LatencyHistogram {
    const merged = new LatencyHistogram();
    for (const slot of this.slots) {
      const latency = slot.lastHeartbeat?.latency;
      if (latency !== undefined) merged.mergeSparse(latency.buckets, latency.max);
    }
    return merged;
  }

  /** Latest heartbeat of each live worker. */
  heartbeats(): Heartbeat[] {
    return this.slots.flatMap((s) => (s.lastHeartbeat !== undefined ? [s.lastHeartbeat] : []));
  }

  get pendingTrees(): number {
    return this.metrics()
      .filter((m) => m.kind === 'spout')
      .reduce((n, m) => n + m.pending, 0);
  }

  /** Waits until no spout tree is pending (as last reported), or `timeoutMs`; true when drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    await new Promise((r) => setTimeout(r, 600));
    while (this.pendingTrees > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return this.pendingTrees === 0;
  }

  /** Stops every worker: a stop command, then SIGKILL for any still alive after a grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.monitor !== undefined) clearInterval(this.monitor);
    await Promise.all(this.slots.map((slot) => (slot.child === undefined ? undefined : stopWorkerProcess(slot.child))));
  }
}
