import { build } from '@topo/topology-dsl';
import { loadTopology } from '../load-topology.js';
import { createLogger, terminalLogger, type Logger } from '../logging/logger.js';
import { RotatingFile } from '../logging/rotating-file.js';
import { routeConsole } from '../logging/console-to-logger.js';
import type { ErrorSink } from '../errors/error-reporter.js';
import type { WorkerLaunch, WorkerProcessSpec } from './worker-messages.js';
import { Worker } from './worker.js';

export interface LaunchedWorker {
  worker: Worker;
  /** The port it listens on for other workers. */
  port: number;
  /** The worker process's logger: every line names the worker. */
  logger: Logger;
}

/**
 * What every worker process does with its launch message, whoever started it: loads the
 * topology module itself (classes cannot travel as JSON), starts the executors assigned
 * to it with spouts inactive, and listens for the other workers. The errors it keeps
 * go to `errorSink` as well, a failed open() or prepare() included, before this rejects.
 */
export async function launchWorker(launch: WorkerLaunch, errorSink?: ErrorSink, logger: Logger = workerLogger(launch.spec)): Promise<LaunchedWorker> {
  const { spec } = launch;
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

/** A worker process's logger: JSON lines to its rolled file when it has one, terminal lines otherwise; every line names the worker. */
export function workerLogger(spec: WorkerProcessSpec): Logger {
  const level = spec.logLevel ?? 'info';
  const context = { worker: spec.workerId };
  if (spec.logFile === undefined) return terminalLogger(level, context);
  const logger = createLogger(new RotatingFile(spec.logFile.path, spec.logFile), level, context);
  // What components print goes into the rolled log too, rather than into the unrolled file behind stdout.
  routeConsole(logger);
  return logger;
}
