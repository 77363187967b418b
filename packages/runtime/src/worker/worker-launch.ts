import { build } from '@topo/topology-dsl';
import { loadTopology } from '../load-topology.js';
import { stderrLogger, type Logger } from '../logger.js';
import type { ErrorSink } from '../errors/error-reporter.js';
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
 * to it with spouts inactive, and listens for the other workers. The errors it keeps
 * go to `errorSink` as well, a failed open() or prepare() included, before this rejects.
 */
export async function launchWorker(launch: WorkerLaunch, errorSink?: ErrorSink): Promise<LaunchedWorker> {
  const { spec } = launch;
  const stderr = stderrLogger(spec.logLevel ?? 'info');
  const logger: Logger = (record) => stderr({ ...record, message: `(${spec.workerId}) ${record.message}` });
  const compiled = build(await loadTopology(spec.topologyFile, spec.exportName), { name: spec.name, config: spec.config });
  const worker = new Worker(compiled, {
    config: spec.config,
    logger,
    inactive: true,
    errorSink,
    // A supervisor's slot has its port from the start, so even an open() that fails names it.
    origin: { worker: spec.workerId, host: spec.host, port: spec.port === 0 ? undefined : spec.port },
    cluster: { workerId: spec.workerId, assignment: spec.assignment, secret: Buffer.from(launch.secret, 'hex') },
  });
  await worker.start();
  const port = await worker.listen(spec.host, spec.port);
  return { worker, port, logger };
}
