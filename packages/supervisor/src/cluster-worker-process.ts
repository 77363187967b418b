import { launchWorker, receiveLaunch, tuneV8ForTuples, workerLogger } from '@topo/runtime';
import type { ClusterWorkerLaunch } from './cluster-worker-launch.js';
import { recordStartFailure } from './start-failure.js';
import { WorkerClusterLink } from './worker-cluster-link.js';

/**
 * Entry of a supervisor's worker process. The supervisor forks it detached (its own
 * session, so signals meant for the supervisor's terminal or process group do not reach
 * it), with stdout and stderr on the slot's log file, and sends the launch message over
 * IPC. That is all the channel is for: the worker closes it at once, and from then on
 * talks only to Redis (WorkerClusterLink), so a supervisor that dies takes no worker
 * with it. It stops on SIGTERM (how supervisors stop workers, theirs or adopted), when
 * its assignment no longer holds it, or when left alone too long.
 */
tuneV8ForTuples();
const launch = await receiveLaunch<ClusterWorkerLaunch>().catch((error: Error) => {
  process.stderr.write(`worker process: ${error.message}; exiting\n`);
  process.exit(1);
});
process.disconnect();
const { worker, port, logger } = await launchWorker(launch).catch(async (error: unknown) => {
  const logger = workerLogger(launch.spec);
  logger.error(error, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  await recordStartFailure(launch, error, logger);
  process.exit(1);
});
logger.info(`pid ${process.pid} listening on ${launch.spec.host}:${port}`);

let stopping = false;
async function stop(reason: string, code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    logger[code === 0 ? 'info' : 'error'](`stopping: ${reason}`);
    await link.close();
    await worker.stop();
    logger.info('stopped');
  }
  process.exit(code);
}

const link = new WorkerClusterLink(launch, worker, port, logger, (reason, code) => void stop(reason, code));
link.start();
process.on('SIGTERM', () => void stop('SIGTERM', 0));
process.on('SIGINT', () => void stop('SIGINT', 0));
