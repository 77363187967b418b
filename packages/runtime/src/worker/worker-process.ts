import { receiveLaunch, sendToParent } from './parent-channel.js';
import { tuneV8ForTuples } from './v8-tuning.js';
import { launchWorker } from './worker-launch.js';
import type { WorkerCommand, WorkerReport } from './worker-messages.js';

/**
 * Entry of a worker process of the local pool (`topo run --workers N`): it is told what
 * to run in its launch message, runs the executors assigned to it, and reports to its
 * parent over IPC. It stops, cleanly, when the parent goes away, so no worker outlives
 * the run that started it. (A supervisor's workers have their own entry, which outlives
 * the supervisor; see @topo/supervisor.)
 */
const HEARTBEAT_MS = 500;

tuneV8ForTuples();
const launch = await receiveLaunch().catch((error: Error) => {
  process.stderr.write(`worker process: ${error.message}; exiting\n`);
  process.exit(1);
});
const { spec } = launch;
const { worker, port, logger } = await launchWorker(launch, (record) => sendToParent({ type: 'error', workerId: spec.workerId, record })).catch(
  (error: unknown) => {
    // The parent shows why (a start that fails in one worker fails them all); IPC keeps order, so the error record arrives first.
    const message = error instanceof Error ? error.message : String(error);
    if (process.connected !== true) process.exit(1);
    process.send!({ type: 'start-failed', workerId: spec.workerId, message } satisfies WorkerReport, undefined, undefined, () => process.exit(1));
    return new Promise<never>(() => {});
  },
);
sendToParent({ type: 'listening', workerId: spec.workerId, port });

let stopping = false;
async function stop(code: number, reason: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    clearInterval(heartbeat);
    logger.info(`stopping: ${reason}`);
    await worker.stop();
    logger.info('stopped');
  }
  process.exit(code);
}

const heartbeat = setInterval(() => {
  const latency = worker.completeLatency();
  const transport = worker.transportStats();
  sendToParent({
    type: 'heartbeat',
    workerId: spec.workerId,
    sentAt: performance.timeOrigin + performance.now(),
    metrics: worker.metrics(),
    latency: { buckets: latency.toSparse(), max: latency.max },
    transport,
    stats: worker.stats.report(),
  });
}, HEARTBEAT_MS);

process.on('message', (command: WorkerCommand) => {
  switch (command.type) {
    case 'peers':
      worker.setPeers(command.peers);
      break;
    case 'assignment':
      try {
        worker.reassign(command.assignment);
      } catch (error) {
        // The parent only sends assignments that keep our executors; anything else needs a fresh process.
        logger.error(error instanceof Error ? error.message : String(error));
        void stop(1, 'the new assignment changes this worker\'s executors');
        break;
      }
      worker.setPeers(command.peers);
      break;
    case 'activate':
      worker.activate();
      break;
    case 'deactivate':
      worker.deactivate();
      break;
    case 'stop':
      void stop(0, 'told to stop');
      break;
  }
});
process.on('disconnect', () => void stop(0, 'the parent process is gone'));
// The parent may have gone while the topology was loading, before anyone listened for it.
if (process.connected !== true) void stop(0, 'the parent process is gone');
process.on('SIGTERM', () => void stop(0, 'SIGTERM'));
// Ctrl-C reaches the whole process group; the parent decides how to drain and stop.
process.on('SIGINT', () => {});
