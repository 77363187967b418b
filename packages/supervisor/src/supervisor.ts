import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import {
  ClusterKeys,
  ClusterState,
  ConvergenceLoop,
  clusterConfig,
  connectRedis,
  redactUrl,
  runtimeAssignment,
  secondsToMs,
  type ClusterAssignment,
  type ClusterConfig,
  type ClusterWorker,
  type WorkerHeartbeat,
} from '@topo/nimbus';
import { terminalLogger, type Logger } from '@topo/runtime';
import { DEFAULT_CONFIG, TopoError, mergeConfig, type ConfigValue, type LogLevel } from '@topo/topology-dsl';
import { LogViewer } from './logviewer/log-viewer.js';
import { SlotRecords } from './slot-records.js';
import { TopologyFolders } from './topology-folders.js';
import { WorkerSlot, type SlotEnvironment, type SlotJob } from './worker-slot.js';

export interface SupervisorOptions {
  redisUrl: string;
  /** The address this node's workers listen on and peers dial (default 127.0.0.1). */
  host?: string;
  /** Worker slots (default: CPU cores); slot i listens on `basePort + i`. */
  slots?: number;
  /** First slot's port (default 6700, as Storm's supervisor.slots.ports). */
  basePort?: number;
  /** Where bundles are unpacked and worker logs written (default: a folder under the system temp dir). */
  dir?: string;
  /** Stable identity across restarts (default: `<hostname>-<host>`). */
  id?: string;
  /** Daemon settings (`supervisor.*`), see CLUSTER_DEFAULTS. */
  config?: Record<string, ConfigValue>;
  logger?: Logger;
  /** The lowest level its workers log at (default info); `topo supervisor --log-level` sets both. */
  logLevel?: LogLevel;
  keys?: ClusterKeys;
  /**
   * Serve the workers' logs over HTTP (Storm's logviewer) on this address and port
   * (port 0: any free one), to callers with `token`; its URL goes into the heartbeat, so
   * nimbus links each worker to its log. Absent: not served.
   */
  logviewer?: { host?: string; port: number; token?: string };
}

export const DEFAULT_BASE_PORT = 6700;

/**
 * The node daemon. It registers its slots and heartbeats; converges its slots to the
 * assignments in Redis (on a timer, and at once when woken over pub/sub): fetches and
 * unpacks bundles, starts one worker per assigned slot, stops workers no longer
 * assigned here, and restarts workers that die or go silent. Workers follow their
 * assignment and heartbeat on their own, so they outlive a supervisor that dies; the
 * next one started with the same folder adopts those whose work is unchanged.
 */
export class Supervisor {
  readonly id: string;
  readonly host: string;
  readonly ports: number[];
  readonly dir: string;
  private readonly config: ClusterConfig;
  private readonly logger: Logger;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly state: ClusterState;
  private readonly slots: WorkerSlot[];
  /** Workers a previous supervisor left on ports that are no longer slots of this one (started with other --slots or --base-port). */
  private readonly strays: WorkerSlot[];
  private readonly folders: TopologyFolders;
  private readonly loop: ConvergenceLoop;
  private readonly startedAt = Date.now();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private monitorTimer: NodeJS.Timeout | undefined;
  /** False until a heartbeat lands, and again after one fails: the next one that lands wakes nimbus. */
  private registered = false;
  /** Set when the workers' heartbeats could not be read: the next read judges their silence afresh. */
  private blind = false;
  /** Problems logged in the previous pass, so each is logged once while it lasts. */
  private complaints = new Set<string>();
  private complainedNow = new Set<string>();
  private stopped = false;
  private logViewer: LogViewer | undefined;
  /** Where the workers' logs are written, one folder per topology and port. */
  readonly logDir: string;

  constructor(private readonly options: SupervisorOptions) {
    this.host = options.host ?? '127.0.0.1';
    const slots = options.slots ?? os.availableParallelism();
    if (!Number.isInteger(slots) || slots < 1) throw new TopoError(`--slots must be a positive integer (got ${slots})`);
    const base = options.basePort ?? DEFAULT_BASE_PORT;
    this.ports = Array.from({ length: slots }, (_, i) => base + i);
    if (this.ports.at(-1)! > 65535) throw new TopoError(`slot ports ${base}..${this.ports.at(-1)} go past 65535`);
    this.id = options.id ?? `${os.hostname()}-${this.host}`;
    this.dir = path.resolve(options.dir ?? path.join(os.tmpdir(), `topo-supervisor-${this.id}`));
    this.config = clusterConfig(options.config);
    if (!Number.isInteger(this.config['topo.worker.log.max.files'])) throw new TopoError(`topo.worker.log.max.files must be a whole number, got ${this.config['topo.worker.log.max.files']}`, { configKey: 'topo.worker.log.max.files' });
    if (options.logviewer !== undefined) LogViewer.checkAddress(options.logviewer.host, options.logviewer.token);
    this.logger = options.logger ?? terminalLogger();
    this.redis = connectRedis(options.redisUrl, this.logger, `supervisor ${this.id}`);
    this.subscriber = connectRedis(options.redisUrl, this.logger, `supervisor ${this.id} (wake-ups)`, { subscriber: true });
    const keys = options.keys ?? new ClusterKeys();
    this.state = new ClusterState(this.redis, keys, (error) => this.logger.warn(error.message));
    this.logDir = path.join(this.dir, 'logs');
    this.folders = new TopologyFolders(path.join(this.dir, 'topologies'), this.state);
    const records = new SlotRecords(path.join(this.dir, 'slots'));
    const environment: SlotEnvironment = {
      supervisorId: this.id,
      logDir: this.logDir,
      logRotation: { maxBytes: this.config['topo.worker.log.max.bytes'], maxFiles: this.config['topo.worker.log.max.files'] },
      logger: this.logger,
      logLevel: options.logLevel ?? 'info',
      startTimeoutMs: secondsToMs(this.config['supervisor.worker.start.timeout.secs']),
      redisUrl: options.redisUrl,
      keyPrefix: keys.prefix,
      heartbeatMs: secondsToMs(this.config['supervisor.heartbeat.frequency.secs']),
      monitorMs: secondsToMs(this.config['supervisor.monitor.frequency.secs']),
      records,
      onExit: () => this.loop.wake(),
      announce: (beat) => void this.state.writeWorkerHeartbeat(beat).catch(() => {}),
    };
    this.slots = this.ports.map((port) => new WorkerSlot(port, environment));
    this.strays = records
      .ports()
      .filter((port) => !this.ports.includes(port))
      .map((port) => new WorkerSlot(port, environment));
    this.loop = new ConvergenceLoop(() => this.converge(), secondsToMs(this.config['supervisor.monitor.frequency.secs']), (error) => this.reportError(error));
    this.subscriber.on('message', () => this.loop.wake());
    // At start and after every reconnection: register and converge at once, not a timer period later.
    this.redis.on('ready', () => {
      if (this.heartbeatTimer === undefined || this.stopped) return;
      void this.heartbeat();
      this.loop.wake();
    });
    void this.subscriber.subscribe(keys.wakeChannel).catch(() => {});
    this.logger.info(
      `supervisor ${this.id} on ${this.host} with ${slots} slot${slots === 1 ? '' : 's'} (ports ${this.ports[0]}..${this.ports.at(-1)}), state in ${redactUrl(options.redisUrl)}, files in ${this.dir}`,
    );
  }

  start(): this {
    for (const stray of this.strays) {
      if (stray.pid !== undefined) this.logger.info(`stopping worker pid ${stray.pid} of ${stray.topology} on port ${stray.port}, which is not a slot of this supervisor`);
      void stray.stop();
    }
    this.loop.start();
    if (this.options.logviewer !== undefined) void this.serveLogs(this.options.logviewer);
    void this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), secondsToMs(this.config['supervisor.heartbeat.frequency.secs']));
    this.monitorTimer = setInterval(() => {
      for (const slot of this.slots) slot.check();
    }, 500);
    return this;
  }

  /** Process ids of the workers by port, for tools and tests. */
  workerPids(): Map<number, number | undefined> {
    return new Map(this.slots.map((s) => [s.port, s.pid]));
  }

  /** One convergence pass: the slots made to match the assignments in Redis. */
  private async converge(): Promise<void> {
    if (this.stopped) return;
    const assignments = await this.state.assignments();
    this.complainedNow = new Set();
    const mine = new Map<number, { assignment: ClusterAssignment; worker: ClusterWorker }>();
    for (const assignment of assignments) {
      for (const worker of assignment.workers) {
        if (worker.supervisor !== this.id) continue;
        if (!this.ports.includes(worker.port) || worker.host !== this.host) {
          this.complainOnce(`slot:${assignment.topology}:${worker.port}`, `assignment of ${assignment.name} puts worker ${worker.id} on ${worker.host}:${worker.port}, which is not a slot of this supervisor`);
          continue;
        }
        mine.set(worker.port, { assignment, worker });
      }
    }
    const jobs = new Map<WorkerSlot, SlotJob>();
    for (const slot of this.slots) {
      const wanted = mine.get(slot.port);
      if (wanted === undefined) continue;
      try {
        const job = await this.job(wanted.assignment, wanted.worker);
        // Its record went after this pass read the assignments: the topology was just killed, so the slot is no longer assigned.
        if (job === undefined) mine.delete(slot.port);
        else jobs.set(slot, job);
      } catch (error) {
        // A kill completing midway also takes the secret and bundle: not a problem to report.
        if ((await this.state.topology(wanted.assignment.topology).catch(() => null)) === undefined) {
          mine.delete(slot.port);
          continue;
        }
        this.complainOnce(`job:${wanted.assignment.topology}`, `cannot start worker ${wanted.worker.id} of ${wanted.assignment.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // A slot whose job could not be prepared this time (Redis hiccup, say) keeps the worker it has, if it is of that topology.
    const keeps = (s: WorkerSlot) => jobs.has(s) || (s.topology !== undefined && s.topology === mine.get(s.port)?.assignment.topology);
    const unassigned = this.slots.filter((s) => !keeps(s) && s.topology !== undefined);
    for (const s of unassigned) this.logger.info(`stopping the worker of ${s.topology} on port ${s.port}: no longer assigned here`);
    // Slots are independent: a worker slow to stop (up to its grace period) holds up no other slot.
    await Promise.all([...unassigned.map((s) => s.stop()), ...[...jobs].map(([slot, job]) => slot.run(job))]);
    await this.folders.prune(new Set([...mine.values()].map((m) => m.assignment.topology)));
    this.complaints = this.complainedNow;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearInterval(this.monitorTimer);
    await this.loop.stop();
    await this.logViewer?.stop();
    await Promise.all([...this.slots, ...this.strays].map((s) => s.stop()));
    if (this.redis.status === 'ready') {
      // Gone at once, rather than after nimbus.supervisor.timeout.secs of silence.
      await this.state.removeSupervisor(this.id).catch(() => {});
      await this.state.wake().catch(() => {});
    }
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  /** What the slot should run for this worker of the assignment; undefined when the topology is gone (a kill completing). */
  private async job(assignment: ClusterAssignment, worker: ClusterWorker): Promise<SlotJob | undefined> {
    const record = await this.state.topology(assignment.topology);
    if (record === undefined) return undefined;
    const secret = await this.state.secret(assignment.topology);
    if (secret === undefined) throw new TopoError(`topology ${assignment.topology} has no secret`, { topology: assignment.topology });
    const folder = await this.folders.ensure(assignment.topology);
    const merged = mergeConfig(DEFAULT_CONFIG, record.definition.config, record.overrides);
    return {
      topology: assignment.topology,
      name: assignment.name,
      workerId: worker.id,
      executors: worker.executors,
      assignment: runtimeAssignment(assignment),
      host: this.host,
      folder,
      secret,
      overrides: record.overrides,
      workerTimeoutMs: Number(merged['supervisor.worker.timeout.secs']) * 1000,
    };
  }

  /** Writes this supervisor's heartbeat (workers write their own) and reads its workers', which say whether they are alive and listening. */
  /** Starts the logviewer; one that cannot listen is an error of its own, and the workers run on. */
  private async serveLogs(settings: NonNullable<SupervisorOptions['logviewer']>): Promise<void> {
    try {
      const viewer = await LogViewer.start({ root: this.logDir, ...settings, logger: this.logger });
      if (this.stopped) return void (await viewer.stop());
      this.logViewer = viewer;
      this.logger.info(`supervisor ${this.id} serves its workers' logs at ${viewer.url}${settings.token === undefined ? '' : ' (with the bearer token)'}`);
      void this.heartbeat();
    } catch (error) {
      this.logger.error(`supervisor ${this.id} does not serve its workers' logs: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.state.writeSupervisorHeartbeat(
        {
          id: this.id,
          host: this.host,
          hostname: os.hostname(),
          ports: this.ports,
          pid: process.pid,
          startedAt: this.startedAt,
          time: Date.now(),
          ...(this.logViewer !== undefined ? { logviewer: this.logViewer.url } : {}),
        },
        [],
      );
      if (!this.registered) {
        this.registered = true;
        await this.state.wake();
      }
      await this.observeWorkers();
    } catch {
      // Redis is away (the connection says so once); keep the workers running and try again.
      this.registered = false;
      this.blind = true;
    }
  }

  private async observeWorkers(): Promise<void> {
    const topologies = new Set(this.slots.flatMap((s) => s.topology ?? []));
    const beats = new Map<string, WorkerHeartbeat>();
    for (const topology of topologies) for (const beat of await this.state.workerHeartbeats(topology)) beats.set(`${topology}|${beat.worker}`, beat);
    const afresh = this.blind;
    this.blind = false;
    for (const slot of this.slots) if (slot.topology !== undefined) slot.observe(beats.get(`${slot.topology}|${slot.workerId}`), afresh);
  }

  private reportError(error: unknown): void {
    if (this.redis.status !== 'ready') return;
    this.logger.error(error, `convergence pass failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Logs a problem when it appears, not on every pass it lasts. */
  private complainOnce(key: string, message: string): void {
    this.complainedNow.add(key);
    if (!this.complaints.has(key)) this.logger.error(message);
  }
}
