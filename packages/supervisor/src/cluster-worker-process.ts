import { ClusterKeys, ClusterState, connectRedis } from '@topo/nimbus';
import { errorHeadline, launchWorker, receiveLaunch, tuneV8ForTuples, type ErrorRecord, workerLogger } from '@topo/runtime';
import type { ClusterWorkerLaunch } from './cluster-worker-launch.js';
import { recordStartFailure } from './start-failure.js';
import { WorkerClusterLink } from './worker-cluster-link.js';
import { WorkerErrorWriter } from './worker-error-writer.js';

/** How long a worker that could not start waits for Redis to store why, before it exits anyway. */
const START_FAILURE_WRITE_MS = 5000;

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
const { cluster, spec } = launch;
const processLogger = workerLogger(spec);
const errorRedis = connectRedis(cluster.redisUrl, processLogger, `worker ${spec.workerId} (errors)`);
const errors = new WorkerErrorWriter(new ClusterState(errorRedis, new ClusterKeys(cluster.keyPrefix)), cluster.topology);
/** The first open() or prepare() that threw: the status names it as `urlSpout open(): ENOENT data/urls.txt`. */
let startError: ErrorRecord | undefined;
const { worker, port, logger } = await launchWorker(launch, (record, keep) => {
  if (record.source === 'open' || record.source === 'prepare') startError ??= record;
  errors.sink(record, keep);
}, processLogger).catch(async (error: unknown) => {
  processLogger.error(error, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  // The slot's failure makes its crash loop visible; a component's open() or prepare() that threw is also that component's last error.
  const why = startError === undefined ? error : errorHeadline(startError);
  await Promise.all([recordStartFailure(launch, why, processLogger), errors.flushBeforeExit(START_FAILURE_WRITE_MS)]);
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
    // Errors of closing components too.
    await errors.flushBeforeExit(START_FAILURE_WRITE_MS);
    errorRedis.disconnect();
    logger.info('stopped');
  }
  process.exit(code);
}

const link = new WorkerClusterLink(launch, worker, port, logger, (reason, code) => void stop(reason, code));
link.start();
process.on('SIGTERM', () => void stop('SIGTERM', 0));
process.on('SIGINT', () => void stop('SIGINT', 0));
