import type { Redis } from 'ioredis';
import { ClusterKeys, ClusterState, ConvergenceLoop, assignmentPeers, connectRedis, levelOverrides, runtimeAssignment, type ClusterAssignment } from '@topo/nimbus';
import type { Logger, Worker } from '@topo/runtime';
import type { ClusterWorkerLaunch } from './cluster-worker-launch.js';
import { SupervisorWatch, type SupervisorPresence } from './supervisor-watch.js';

/** Why a worker stops itself, and with which exit code. */
export type StopRequest = (reason: string, code: number) => void;

/**
 * A supervisor's worker's own link to the cluster state, so that it needs its supervisor
 * only to be started: it writes its heartbeat to Redis itself and follows its assignment
 * (peers, activation, placement changes that keep its executors, and the log levels set
 * with `topo set-log-level`, each dropped when its timeout passes). Without a
 * supervisor it carries on, and stops itself when the assignment no longer holds it
 * (nimbus moved its work) or when no supervisor has come back within its timeout.
 * While Redis is away it keeps running as it is.
 */
export class WorkerClusterLink {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly state: ClusterState;
  private readonly loop: ConvergenceLoop;
  private readonly watch: SupervisorWatch;
  private readonly startedAt = Date.now();
  private readonly executorsKey: string;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private followed: ClusterAssignment | undefined;
  private presence: SupervisorPresence = 'there';
  /** The log level overrides applied, as JSON, to tell a change. */
  private levels = '{}';
  private closed = false;

  constructor(
    private readonly launch: ClusterWorkerLaunch,
    private readonly worker: Worker,
    private readonly port: number,
    private readonly logger: Logger,
    private readonly requestStop: StopRequest,
  ) {
    const { cluster } = launch;
    const role = `worker ${launch.spec.workerId}`;
    this.redis = connectRedis(cluster.redisUrl, logger, role);
    this.subscriber = connectRedis(cluster.redisUrl, logger, `${role} (wake-ups)`, { subscriber: true });
    const keys = new ClusterKeys(cluster.keyPrefix);
    this.state = new ClusterState(this.redis, keys, (error) => logger.warn(error.message));
    this.loop = new ConvergenceLoop(() => this.follow(), cluster.monitorMs, (error) => this.reportError(error));
    this.watch = new SupervisorWatch(cluster.supervisorId, cluster.supervisorPid, cluster.aloneTimeoutMs, logger);
    this.executorsKey = JSON.stringify(cluster.executors);
    this.subscriber.on('message', () => this.loop.wake());
    // Connected (again): look at the assignment now rather than a period later.
    this.redis.on('ready', () => this.loop.wake());
    void this.subscriber.subscribe(keys.wakeChannel).catch(() => {});
  }

  start(): void {
    // This process got past open() and prepare(): an earlier start failure no longer describes the slot.
    void this.state.clearWorkerFailure(this.launch.cluster.topology, this.launch.spec.workerId).catch(() => {});
    this.loop.start();
    void this.beat();
    this.heartbeatTimer = setInterval(() => void this.beat(), this.launch.cluster.heartbeatMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    await this.loop.stop();
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  /**
   * One look at the assignment: apply what changed. One that no longer holds this worker
   * as started is the supervisor's to act on (it stops the worker, and starts another
   * if needed); only a worker left alone stops itself for it.
   */
  private async follow(): Promise<void> {
    const assignment = await this.state.assignment(this.launch.cluster.topology);
    if (this.closed) return;
    const { workerId, host } = this.launch.spec;
    const me = assignment?.workers.find((w) => w.id === workerId);
    if (assignment === undefined || me === undefined || me.host !== host || me.port !== this.port || JSON.stringify(me.executors) !== this.executorsKey) {
      if (this.presence !== 'there') {
        this.requestStop(assignment === undefined ? 'its topology is gone (killed)' : `assignment v${assignment.version} of ${assignment.name} no longer holds this worker as it runs`, 0);
      }
      return;
    }
    if (this.followed?.version !== assignment.version) {
      try {
        this.worker.reassign(runtimeAssignment(assignment));
      } catch (error) {
        this.logger.error(error instanceof Error ? error.message : String(error));
        this.requestStop('the new assignment moves executors of this worker', 1);
        return;
      }
      this.worker.setPeers(assignmentPeers(assignment));
    }
    if (assignment.active !== this.followed?.active) {
      if (assignment.active) this.worker.activate();
      else this.worker.deactivate();
    }
    await this.followLogLevels();
    if (this.followed?.version !== assignment.version || this.followed.active !== assignment.active) {
      this.logger.info(`following assignment v${assignment.version} of ${assignment.name} (${assignment.active ? 'active' : 'inactive'}, ${assignment.workers.length} worker${assignment.workers.length === 1 ? '' : 's'})`);
    }
    this.followed = assignment;
  }

  private async followLogLevels(): Promise<void> {
    const overrides = levelOverrides(await this.state.logConfig(this.launch.cluster.topology), Date.now());
    const levels = JSON.stringify(overrides);
    if (levels === this.levels || this.closed) return;
    this.levels = levels;
    this.worker.logLevels.apply(overrides);
    this.logger.info(`log levels: ${Object.keys(overrides).length === 0 ? 'as started' : Object.entries(overrides).map(([name, level]) => `${name}=${level}`).join(', ')}`);
  }

  private async beat(): Promise<void> {
    if (this.closed) return;
    const { cluster, spec } = this.launch;
    await this.state
      .writeWorkerHeartbeat({
        topology: cluster.topology,
        worker: spec.workerId,
        supervisor: cluster.supervisorId,
        port: this.port,
        pid: process.pid,
        startedAt: this.startedAt,
        time: Date.now(),
        restarts: cluster.restarts,
        metrics: this.worker.metrics(),
        stats: this.worker.stats.report(),
      })
      // Redis is away (the connection says so once): the worker keeps running and tries again.
      .catch(() => {});
    const presence = await this.watch.check(() => this.state.supervisor(cluster.supervisorId));
    if (this.closed) return;
    if (presence === 'abandoned') {
      this.requestStop(`left alone: no supervisor for ${Math.round(cluster.aloneTimeoutMs / 1000)} s (supervisor.worker.timeout.secs)`, 0);
    } else if (presence !== this.presence) {
      this.presence = presence;
      // Alone, the worker acts on its assignment itself: look at it now.
      this.loop.wake();
    }
  }

  private reportError(error: unknown): void {
    if (this.redis.status !== 'ready') return;
    this.logger.warn(`reading the assignment failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
