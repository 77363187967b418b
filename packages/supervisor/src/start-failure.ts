import { ClusterKeys, ClusterState, connectRedis } from '@topo/nimbus';
import type { Logger } from '@topo/runtime';
import type { ClusterWorkerLaunch } from './cluster-worker-launch.js';

/** How long a failing worker tries to record why before it exits anyway. */
const RECORD_TIMEOUT_MS = 3000;

/**
 * Records in the cluster state why this worker could not start (a component's open()
 * threw, its module would not load), so nimbus can say "crash-looping: <why>" in the
 * topology's status instead of leaving it in the worker's log on one machine.
 */
export async function recordStartFailure(launch: ClusterWorkerLaunch, error: unknown, logger: Logger): Promise<void> {
  const { cluster, spec } = launch;
  const redis = connectRedis(cluster.redisUrl, logger, `worker ${spec.workerId} (start failure)`);
  const state = new ClusterState(redis, new ClusterKeys(cluster.keyPrefix), () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const timeout = new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer')), RECORD_TIMEOUT_MS)));
    await Promise.race([ready, timeout]);
    const message = error instanceof Error ? error.message : String(error);
    await Promise.race([state.writeWorkerFailure(cluster.topology, { worker: spec.workerId, time: Date.now(), message }), timeout]);
  } catch (failure) {
    logger.warn(`could not record the start failure in the cluster state: ${failure instanceof Error ? failure.message : String(failure)}`);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
