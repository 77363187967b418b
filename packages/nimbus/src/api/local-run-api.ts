import { createServer, type Server } from 'node:http';
import type { Logger, RunningTopology } from '@topo/runtime';
import { DEFAULT_CONFIG, mergeConfig, TopoError } from '@topo/topology-dsl';
import type { StatsTopology } from '../stats/stats-topology.js';
import { prettyUptime } from '../stats/storm-format.js';
import type { ApiBackend } from './api-backend.js';
import type { ApiMount } from './api-mount.js';
import { HttpError } from './http-error.js';
import { metricsMount } from './metrics-mount.js';
import { stormApi } from './storm-api.js';

/** The address `topo run --ui-port` serves on: this machine only, whatever the port. */
export const LOCAL_API_HOST = '127.0.0.1';
/**
 * How long one rolling of the run's stats serves requests: a page reads several paths at
 * once, and in a one-process run each rolling is work on the tuples' own thread.
 */
const REPORT_REUSE_MS = 250;

export interface LocalRunApiOptions {
  running: RunningTopology;
  /** Worker processes (1: the run is in this process). */
  workers: number;
  /** Called for a kill through the API: the run stops as on Ctrl-C. */
  kill: () => void;
  logger: Logger;
  /** Handlers beside the API (the web UI's assets at `/`). */
  mounts?: ApiMount[];
}

/**
 * Storm UI's REST API, `/metrics` and whatever is mounted beside them, over the topology
 * this `topo run` runs: the same module and paths nimbus serves, so the same tools watch a
 * laptop run and a cluster. The topology's id is its name. There is no token: it binds
 * to 127.0.0.1 only, as nimbus without a token does.
 */
export class LocalRunApi {
  private readonly startedAt = Date.now();
  private active = true;
  private killed = false;
  private lastReport: { at: number; workers: ReturnType<RunningTopology['workerStats']> } | undefined;

  private constructor(
    private readonly options: LocalRunApiOptions,
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port: number, options: LocalRunApiOptions): Promise<LocalRunApi> {
    const server = createServer();
    const api = await new Promise<LocalRunApi>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new TopoError(`--ui-port ${port}: cannot listen on ${LOCAL_API_HOST}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`, { port })),
      );
      server.listen(port, LOCAL_API_HOST, () => {
        const address = server.address();
        resolve(new LocalRunApi(options, server, typeof address === 'object' && address !== null ? address.port : port));
      });
    });
    const backend = api.backend();
    server.on('request', stormApi({ backend, token: undefined, logger: options.logger, mounts: [metricsMount(backend), ...(options.mounts ?? [])] }));
    return api;
  }

  get url(): string {
    return `http://${LOCAL_API_HOST}:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private get name(): string {
    return this.options.running.definition.name;
  }

  private status(): string {
    return this.killed ? 'KILLED' : this.active ? 'ACTIVE' : 'INACTIVE';
  }

  private workerStats(): ReturnType<RunningTopology['workerStats']> {
    const now = performance.now();
    if (this.lastReport === undefined || now - this.lastReport.at > REPORT_REUSE_MS) this.lastReport = { at: now, workers: this.options.running.workerStats() };
    return this.lastReport.workers;
  }

  private uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  private size(): { tasks: number; executors: number } {
    const components = this.options.running.definition.components;
    return { tasks: components.reduce((n, c) => n + c.tasks, 0), executors: components.reduce((n, c) => n + c.parallelism, 0) };
  }

  private summary() {
    const uptimeSeconds = this.uptimeSeconds();
    const workers = this.workerStats();
    const { tasks, executors } = this.size();
    return {
      id: this.name,
      encodedId: encodeURIComponent(this.name),
      name: this.name,
      status: this.status(),
      workerRestarts: workers.reduce((n, w) => n + w.restarts, 0),
      uptime: prettyUptime(uptimeSeconds),
      uptimeSeconds,
      tasksTotal: tasks,
      executorsTotal: executors,
      workersTotal: this.options.workers,
      requestedWorkers: this.options.workers,
    };
  }

  private stats(): StatsTopology {
    const { running } = this.options;
    return {
      id: this.name,
      name: this.name,
      status: this.status(),
      uptimeSeconds: this.uptimeSeconds(),
      definition: running.definition,
      configuration: mergeConfig(DEFAULT_CONFIG, running.config),
      workers: this.workerStats().map((w) => ({ id: w.id, supervisor: 'local', host: w.host, port: w.port, restarts: w.restarts, report: w.report })),
    };
  }

  private find(ref: string): void {
    if (ref !== this.name) throw new HttpError(404, `no topology ${ref} in this run (it runs ${this.name})`);
  }

  private backend(): ApiBackend {
    const operation = (topologyOperation: string) => ({ topologyOperation, topologyId: this.name, name: this.name, status: 'success' });
    return {
      clusterSummary: async () => {
        const { tasks, executors } = this.size();
        const workers = this.options.workers;
        return { leader: null, nimbuses: 0, supervisors: 1, slotsTotal: workers, slotsUsed: workers, slotsFree: 0, topologies: 1, executorsTotal: executors, tasksTotal: tasks };
      },
      nimbusSummary: async () => ({ nimbuses: [] }),
      supervisorSummary: async () => {
        const uptimeSeconds = this.uptimeSeconds();
        const workers = this.options.workers;
        return { supervisors: [{ id: 'local', host: LOCAL_API_HOST, hostname: LOCAL_API_HOST, slotsTotal: workers, slotsUsed: workers, slotsFree: 0, uptime: prettyUptime(uptimeSeconds), uptimeSeconds }] };
      },
      topologySummary: async () => ({ topologies: [this.summary()] }),
      topology: async (ref) => {
        this.find(ref);
        const stats = this.stats();
        const detail = {
          ...this.summary(),
          active: this.active,
          workers: stats.workers.map((w) => ({ id: w.id, supervisor: w.supervisor, host: w.host, port: w.port, restarts: w.restarts })),
          components: this.options.running.metrics(),
        };
        return { detail, stats };
      },
      statsTopologies: async () => [this.stats()],
      activate: async (ref) => {
        this.find(ref);
        this.active = true;
        this.options.running.activate();
        return operation('activate');
      },
      deactivate: async (ref) => {
        this.find(ref);
        this.active = false;
        this.options.running.deactivate();
        return operation('deactivate');
      },
      kill: async (ref) => {
        this.find(ref);
        this.killed = true;
        this.options.kill();
        return operation('kill');
      },
      rebalance: async (ref) => {
        this.find(ref);
        throw new HttpError(400, 'a local run cannot rebalance: stop it and run it again with other --workers or parallelism');
      },
    };
  }
}
