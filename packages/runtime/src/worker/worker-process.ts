import { build } from '@topo/topology-dsl';
import { loadTopology } from '../load-topology.js';
import { stderrLogger } from '../logger.js';
import { tuneV8ForTuples } from './v8-tuning.js';
import { Worker } from './worker.js';
import type { WorkerCommand, WorkerProcessSpec, WorkerReport } from './worker-messages.js';

/**
 * Entry of a worker process, started by the local pool (`topo run --workers N`) or by a
 * supervisor: loads the topology module itself (classes cannot travel as JSON), runs
 * the executors assigned to it, and reports to its parent over IPC. It exits when the
 * parent goes away, so no worker outlives whoever started it.
 */
const HEARTBEAT_MS = 500;

tuneV8ForTuples();
const spec = JSON.parse(process.env.TOPO_WORKER ?? '{}') as WorkerProcessSpec;
const secret = Buffer.from(process.env.TOPO_SECRET ?? '', 'hex');
delete process.env.TOPO_SECRET;
const send = (report: WorkerReport) => process.send?.(report);

const logger = stderrLogger(process.env.TOPO_LOG_LEVEL === 'debug' ? 'debug' : 'info');
const prefixed: typeof logger = (record) => logger({ ...record, message: `(${spec.workerId}) ${record.message}` });

const topologyClass = await loadTopology(spec.topologyFile, spec.exportName);
const compiled = build(topologyClass, { name: spec.name, config: spec.config });
const worker = new Worker(compiled, {
  config: spec.config,
  logger: prefixed,
  inactive: true,
  cluster: { workerId: spec.workerId, assignment: spec.assignment, secret },
});
await worker.start();
const port = await worker.listen(spec.host, spec.port);
send({ type: 'listening', workerId: spec.workerId, port });

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    clearInterval(heartbeat);
    await worker.stop();
  }
  process.exit(code);
}

const heartbeat = setInterval(() => {
  const latency = worker.completeLatency();
  const transport = worker.transportStats();
  send({
    type: 'heartbeat',
    workerId: spec.workerId,
    sentAt: performance.timeOrigin + performance.now(),
    metrics: worker.metrics(),
    latency: { buckets: latency.toSparse(), max: latency.max },
    transport,
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
        prefixed({ level: 'error', message: error instanceof Error ? error.message : String(error) });
        void stop(1);
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
      void stop(0);
      break;
  }
});
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// Ctrl-C reaches the whole process group; the parent decides how to drain and stop.
process.on('SIGINT', () => {});
