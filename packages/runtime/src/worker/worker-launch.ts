import { build } from '@topo/topology-dsl';
import { loadTopology } from '../load-topology.js';
import { stderrLogger, type Logger } from '../logger.js';
import type { WorkerLaunch } from './worker-messages.js';
import { Worker } from './worker.js';

export interface LaunchedWorker {
  worker: Worker;
  /** The port it listens on for other workers. */
  port: number;
  /** The worker process's logger: stderr at the launch's level, each line naming the worker. */
  logger: Logger;
}

/**
 * What every worker process does with its launch message, whoever started it: loads the
 * topology module itself (classes cannot travel as JSON), starts the executors assigned
 * to it with spouts inactive, and listens for the other workers.
 */
export async function launchWorker(launch: WorkerLaunch): Promise<LaunchedWorker> {
  const { spec } = launch;
  const stderr = stderrLogger(spec.logLevel ?? 'info');
  const logger: Logger = (record) => stderr({ ...record, message: `(${spec.workerId}) ${record.message}` });
  const compiled = build(await loadTopology(spec.topologyFile, spec.exportName), { name: spec.name, config: spec.config });
  const worker = new Worker(compiled, {
    config: spec.config,
    logger,
    inactive: true,
    cluster: { workerId: spec.workerId, assignment: spec.assignment, secret: Buffer.from(launch.secret, 'hex') },
  });
  await worker.start();
  const port = await worker.listen(spec.host, spec.port);
  return { worker, port, logger };
}
