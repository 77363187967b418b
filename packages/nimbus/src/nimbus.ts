import { nanoid } from 'nanoid';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Redis } from 'ioredis';
import { terminalLogger, type Logger } from '@topo/runtime';
import { TopoError, type ConfigValue } from '@topo/topology-dsl';
import { uiHandler } from '@topo/ui';
import { isLoopback } from './api/bearer-auth.js';
import type { ApiMount } from './api/api-mount.js';
import { restApi } from './api/rest-api.js';
import { DEFAULT_NIMBUS_PORT } from './client/default-nimbus-port.js';
import { clusterConfig, secondsToMs, type ClusterConfig } from './cluster-config.js';
import { ClusterViews } from './cluster-views.js';
import { ConvergenceLoop } from './convergence-loop.js';
import { LeaderLease } from './leader-lease.js';
import { Reconciler } from './reconciler.js';
import { ClusterKeys } from './state/cluster-keys.js';
import { ClusterState } from './state/cluster-state.js';
import { connectRedis, redactUrl, redisProblem } from './state/redis-connection.js';
import { TopologyCommands } from './topology-commands.js';
import { LogLevelCommands } from './log-level-commands.js';

export interface NimbusOptions {
  redisUrl: string;
  /** Address the REST API listens on (default 127.0.0.1; anything but loopback needs a token). */
  host?: string;
  /** Port of the REST API (default 6627; 0 picks a free one). */
  port?: number;
  /** Bearer token changes must carry. */
  token?: string;
  /** Daemon settings (`nimbus.*`), see CLUSTER_DEFAULTS. */
  config?: Record<string, ConfigValue>;
  id?: string;
  logger?: Logger;
  keys?: ClusterKeys;
  /** Handlers served beside the HTTP API (the web UI's assets at `/`); `/metrics` is always there. */
  mounts?: ApiMount[];
}

/** How long `Nimbus.start` waits for its first Redis connection before listening anyway. */
const STORE_WAIT_MS = 5000;

/**
 * The master daemon. Every nimbus serves the REST API from the state in Redis and
 * records changes there; the one holding the leader lease also converges the cluster:
 * schedules topologies over live supervisors, moves the work of silent ones, and
 * completes kills and rebalances. Nimbus is never on the data path, so running
 * topologies carry on while every nimbus is down.
 */
export class Nimbus {
  readonly id: string;
  readonly url: string;
  readonly config: ClusterConfig;
  private readonly loop: ConvergenceLoop;
  private readonly leaseTimer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private storeTrouble = false;
  private stopped = false;

  private constructor(
    id: string,
    config: ClusterConfig,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly server: Server,
    readonly state: ClusterState,
    private readonly lease: LeaderLease,
    private readonly reconciler: Reconciler,
    private readonly logger: Logger,
  ) {
    this.id = id;
    this.config = config;
    const { address, port } = server.address() as AddressInfo;
    // Bound to every interface: others find this nimbus by the machine's name.
    const reachable = address === '0.0.0.0' || address === '::' ? os.hostname() : address;
    this.url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
    this.loop = new ConvergenceLoop(() => this.pass(), secondsToMs(config['nimbus.monitor.freq.secs']), (error) => this.reportPassError(error));
    const leaseMs = secondsToMs(config['nimbus.leader.lease.secs']);
    this.leaseTimer = setInterval(() => void this.keepLease(), Math.max(50, Math.floor(leaseMs / 3)));
  }

  static async start(options: NimbusOptions): Promise<Nimbus> {
    const host = options.host ?? '127.0.0.1';
    if (options.token === undefined && !isLoopback(host)) {
      throw new TopoError(`refusing to listen on ${host} without a token: anyone who can reach it could submit code to the cluster; pass --token (or TOPO_TOKEN), or listen on 127.0.0.1`, { host });
    }
    const config = clusterConfig(options.config);
    const logger = options.logger ?? terminalLogger();
    const id = options.id ?? `${os.hostname()}-${nanoid(10)}`;
    const keys = options.keys ?? new ClusterKeys();
    const redis = connectRedis(options.redisUrl, logger, `nimbus ${id}`);
    const subscriber = connectRedis(options.redisUrl, logger, `nimbus ${id} (wake-ups)`, { subscriber: true });
    const state = new ClusterState(redis, keys, onceEach((error) => logger.warn(error.message)));
    const commands = new TopologyCommands(state, config);
    const server = createServer(
      restApi({
        views: new ClusterViews(state, commands),
        commands,
        logLevels: new LogLevelCommands(state, commands),
        token: options.token,
        uploadLimit: config['nimbus.upload.max.bytes'],
        uploadConcurrency: config['nimbus.upload.max.concurrent'],
        waitLimit: config['nimbus.wait.max.secs'],
        logger,
        storeProblem: () => redisProblem(redis),
        // The web UI's page and assets at `/`, after any mounts the caller adds.
        mounts: [...(options.mounts ?? []), { prefix: '/', handle: uiHandler() }],
      }),
    );
    // A request in the first moments would otherwise meet a store still connecting (503):
    // wait for Redis a little, but start without it, as nimbus converges once it is back.
    // A failed attempt (refused, or authentication refused) ends the wait: 503 says why.
    await untilReady(redis, STORE_WAIT_MS);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? DEFAULT_NIMBUS_PORT, host, () => resolve());
      });
    } catch (error) {
      redis.disconnect();
      subscriber.disconnect();
      const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : error instanceof Error ? error.message : String(error);
      throw new TopoError(`nimbus cannot listen on ${host}:${options.port ?? DEFAULT_NIMBUS_PORT}: ${reason}`, { host, port: options.port });
    }
    const lease = new LeaderLease(redis, keys.leader, id, secondsToMs(config['nimbus.leader.lease.secs']));
    const nimbus = new Nimbus(id, config, redis, subscriber, server, state, lease, new Reconciler(state, config, logger), logger);
    subscriber.on('message', () => nimbus.loop.wake());
    // At start and after every reconnection: claim or renew the lease and converge at once, not a timer period later.
    redis.on('ready', () => void nimbus.keepLease().then(() => nimbus.loop.wake()));
    void subscriber.subscribe(keys.wakeChannel).catch(() => {});
    logger.info(
      `nimbus ${id} listening on ${nimbus.url} (state in ${redactUrl(options.redisUrl)} under ${keys.prefix}; ${options.token === undefined ? 'no token: changes open to this machine' : 'changes need the bearer token'})`,
    );
    nimbus.loop.start();
    void nimbus.keepLease();
    return nimbus;
  }

  /** True while this nimbus holds the leader lease. */
  get isLeader(): boolean {
    return this.lease.held;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.leaseTimer);
    await this.loop.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (this.redis.status === 'ready') {
      if (this.lease.held) await this.lease.release().catch(() => {});
      await this.state.unregisterNimbus(this.id).catch(() => {});
    }
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  private async pass(): Promise<void> {
    if (!this.lease.held) return;
    // After an outage, what we saw before it says nothing about who is alive now.
    if (this.storeTrouble) this.reconciler.forgetObservations();
    try {
      const outcome = await this.reconciler.pass();
      this.storeTrouble = false;
      if (outcome.nextTransitionInMs !== undefined) this.loop.wake(Math.max(0, outcome.nextTransitionInMs) + 10);
    } catch (error) {
      this.storeTrouble = true;
      throw error;
    }
  }

  private reportPassError(error: unknown): void {
    if (this.redis.status !== 'ready') return; // the connection's own log line says Redis is away
    this.logger.error(error, `convergence pass failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  private async keepLease(): Promise<void> {
    if (this.stopped) return;
    const was = this.lease.held;
    const now = await this.lease.refresh();
    if (now && !was) {
      this.logger.info(`nimbus ${this.id} is the leader`);
      this.reconciler.forgetObservations();
      this.loop.wake();
    } else if (was && !now) {
      this.logger.warn(`nimbus ${this.id} lost the leader lease; standing by`);
    }
    try {
      const time = Date.now();
      await this.state.registerNimbus({ id: this.id, url: this.url, startedAt: this.startedAt, time });
      if (now) await this.pruneNimbuses(time);
    } catch {
      // Redis is away; the connection logs it, and the next tick tries again.
    }
  }

  /** Forgets nimbuses that stopped registering (killed without a chance to unregister). */
  private async pruneNimbuses(now: number): Promise<void> {
    const stale = now - 3 * secondsToMs(this.config['nimbus.leader.lease.secs']);
    for (const n of await this.state.nimbuses()) if (n.time < stale) await this.state.unregisterNimbus(n.id);
  }
}

/** Distinct reports remembered, so a bad stored value read every pass is logged once, not every pass. */
const REPORTS_REMEMBERED = 1000;

/** `report`, called once per distinct message (while fewer than REPORTS_REMEMBERED have been seen). */
function onceEach(report: (error: Error) => void): (error: Error) => void {
  const seen = new Set<string>();
  return (error) => {
    if (seen.has(error.message)) return;
    if (seen.size >= REPORTS_REMEMBERED) seen.clear();
    seen.add(error.message);
    report(error);
  };
}

/** Resolves when `redis` is ready, fails to connect, or after `ms`, whichever comes first. */
function untilReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done).once('error', done);
  });
}
