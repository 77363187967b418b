import type { ExecutorSpec, WorkerLaunch } from '@topo/runtime';

/**
 * What a supervisor tells a worker process it starts, in the launch message (never in
 * the environment: it holds the topology secret and the Redis URL, password included).
 * Beyond what every worker gets, a supervisor's worker learns how to reach the cluster
 * state, so that it heartbeats and follows its assignment on its own and outlives a
 * supervisor that dies.
 */
export interface ClusterWorkerLaunch extends WorkerLaunch {
  cluster: {
    redisUrl: string;
    keyPrefix: string;
    /** The topology's id (its assignment's key). */
    topology: string;
    /** The executors it was started for: an assignment that moves any of them needs a fresh process. */
    executors: ExecutorSpec[];
    supervisorId: string;
    /** The supervisor process that started it, until a restarted supervisor takes over. */
    supervisorPid: number;
    /** Earlier processes of this slot's worker that died, for its heartbeat. */
    restarts: number;
    /** How often it writes its heartbeat (`supervisor.heartbeat.frequency.secs`). */
    heartbeatMs: number;
    /** How often it reads its assignment without being woken (`supervisor.monitor.frequency.secs`). */
    monitorMs: number;
    /** It stops itself once no supervisor has been there for it this long (the topology's `supervisor.worker.timeout.secs`). */
    aloneTimeoutMs: number;
  };
}
