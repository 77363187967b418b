import { afterEach, describe, expect, it } from 'vitest';
import { BasicBolt, Spout, Topology, build, type Tuple } from '@topo/topology-dsl';
import { Worker, computeTaskLayout, waitFor, type Assignment, type LogRecord } from '@topo/runtime';
import { Transport } from '../src/transport/transport.js';
import { ACK_ACK, ACK_FAIL, ACK_INIT, ACK_LOST } from '../src/acker/acker-messages.js';
import { StreamCatalog } from '../src/routing/stream-catalog.js';
import { TupleImpl, type StreamFields } from '../src/tuple-impl.js';

/** Values the sink bolt processed, in every test's worker. */
const processed: unknown[][] = [];

class Numbers extends Spout {
  static outputs = ['n'] as const;
  static streams = { other: ['a', 'b'] } as const;
  nextTuple(): void {}
}

class Sink extends BasicBolt {
  process(tuple: Tuple): void {
    processed.push([...tuple.values]);
  }
}

class Guarded extends Topology {
  numbers = Numbers.spec();
  sink = Sink.spec({ p: 2, input: this.numbers });
}

const secret = Buffer.alloc(32, 3);
const compiled = build(Guarded);
const layout = computeTaskLayout(compiled.definition, 1);
const tasks = (component: string) => layout.componentTasks.get(component)!;
const [acker] = tasks('__acker');
const [spout] = tasks('numbers');
const [sinkTask] = tasks('sink');
// worker-001 runs the spout; worker-002, the one under test, runs the acker and the sink.
const assignment: Assignment = {
  topology: 'Guarded',
  workers: [
    { id: 'worker-001', executors: layout.executors.filter((e) => e.component === 'numbers') },
    { id: 'worker-002', executors: layout.executors.filter((e) => e.component !== 'numbers') },
  ],
};
// How streams are named on the wire: by their index in the catalog every worker builds alike.
const catalog = new StreamCatalog(compiled.definition);
const DEFAULT = catalog.get('numbers', 'default')!;
const OTHER = catalog.get('numbers', 'other')!;

let stop: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stop.reverse()) await s();
  stop = [];
  processed.length = 0;
});

/** worker-002 as a real Worker, listening on loopback with the peers table of both workers. */
async function startWorker(): Promise<{ worker: Worker; port: number; logs: LogRecord[] }> {
  const logs: LogRecord[] = [];
  // Every refusal logged, not the default 10 a minute: the test looks for each.
  const config = { 'topo.worker.refusals.logged.per.minute': 100 };
  const worker = new Worker(compiled, { config, logger: (r) => logs.push(r), cluster: { workerId: 'worker-002', assignment, secret } });
  stop.push(() => worker.stop());
  const port = await worker.listen('127.0.0.1');
  worker.setPeers([
    { id: 'worker-001', host: '127.0.0.1', port: 1 },
    { id: 'worker-002', host: '127.0.0.1', port },
  ]);
  await worker.start();
  return { worker, port, logs };
}

/** A Transport that authenticates to the worker as worker-001 (it knows the secret), to send it whatever a test puts in its batch. */
async function connectedPeer(workerPort: number): Promise<Transport> {
  const peer = new Transport({
    workerId: 'worker-001',
    topology: 'Guarded',
    secret,
    logger: () => {},
    onBatch: () => {},
    onBackpressure: () => {},
    onDropped: () => {},
    onSendBlocked: () => {},
  });
  stop.push(() => peer.close());
  peer.setPeers([
    { id: 'worker-001', host: '127.0.0.1', port: await peer.listen('127.0.0.1') },
    { id: 'worker-002', host: '127.0.0.1', port: workerPort },
  ]);
  await waitFor(() => peer.connectedPeers().length === 1, 'the peer connected');
  return peer;
}

function tuple(values: unknown, fields: StreamFields, source: number): TupleImpl {
  return new TupleImpl(values as unknown[], fields, source);
}

type Batch = ReturnType<Transport['sendBuffer']>;

const malformed: { what: string; fill(batch: Batch): void; reason: RegExp }[] = [
  {
    what: 'a stream index the topology does not have',
    fill: (b) => b.addTuple(sinkTask, tuple([1], DEFAULT, spout), 999),
    reason: new RegExp(`tuple 1 names stream index 999; the topology's streams are 0\\.\\.${catalog.byIndex.length - 1}$`),
  },
  { what: 'a negative stream index', fill: (b) => b.addTuple(sinkTask, tuple([1], DEFAULT, spout), -1), reason: /tuple 1 names stream index -1;/ },
  {
    what: 'a destination that is a spout task',
    fill: (b) => b.addTuple(spout, tuple([1], DEFAULT, spout), DEFAULT.index),
    reason: new RegExp(`tuple 1 is addressed to task ${spout}, which is not a bolt task of this worker$`),
  },
  { what: 'a destination task that does not exist', fill: (b) => b.addTuple(1000, tuple([1], DEFAULT, spout), DEFAULT.index), reason: /tuple 1 is addressed to task 1000, which is not a bolt task/ },
  {
    what: 'a stream the destination does not subscribe to',
    fill: (b) => b.addTuple(sinkTask, tuple([1, 2], OTHER, spout), OTHER.index),
    reason: new RegExp(`tuple 1 is on stream other of numbers, to which sink \\(task ${sinkTask}\\) does not subscribe$`),
  },
  {
    what: 'a source task of another component',
    fill: (b) => b.addTuple(sinkTask, tuple([1], DEFAULT, sinkTask), DEFAULT.index),
    reason: new RegExp(`tuple 1 on stream default of numbers comes from task ${sinkTask}, which is not a task of numbers$`),
  },
  { what: 'more values than the stream has fields', fill: (b) => b.addTuple(sinkTask, tuple([1, 2], DEFAULT, spout), DEFAULT.index), reason: /tuple 1 on stream default of numbers has 2 values; the stream has 1 field$/ },
  { what: 'values that are not a list', fill: (b) => b.addTuple(sinkTask, tuple('x', DEFAULT, spout), DEFAULT.index), reason: /tuple 1 on stream default of numbers has values that are not a list; the stream has 1 field$/ },
  {
    what: 'extra roots that are not groups of four',
    fill: (b) => {
      const t = tuple([1], DEFAULT, spout);
      t.more = [1, 2, 3];
      b.addTuple(sinkTask, t, DEFAULT.index);
    },
    reason: /the extra roots of tuple 1 are not groups of four int32s$/,
  },
  { what: 'an acker message of no known type', fill: (b) => b.addAcker(9, 1, 2, 3, 4, spout), reason: /acker message 0 has type 9$/ },
  {
    what: 'an acker init naming a task that is not a spout',
    fill: (b) => b.addAcker(1, 1, 2, 3, 4, sinkTask),
    reason: new RegExp(`acker message 0 starts a tree of task ${sinkTask}, which is not a spout task$`),
  },
  {
    what: 'a verdict for a spout task in another worker',
    fill: (b) => b.addResult(spout, 1, 1, 2),
    reason: new RegExp(`verdict 0 is for task ${spout}, which is not a spout task of this worker$`),
  },
  { what: 'a verdict for the acker task', fill: (b) => b.addResult(acker, 1, 1, 2), reason: new RegExp(`verdict 0 is for task ${acker}, which is not`) },
];

describe('batches from an authenticated peer', () => {
  it('are checked against the worker\'s own tables: a bad one is refused whole, logged and its link closed, and the worker runs on', async () => {
    const { worker, port, logs } = await startWorker();
    const warnings = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);
    for (const { what, fill, reason } of malformed) {
      const peer = await connectedPeer(port);
      const before = warnings().length;
      // A good tuple ahead of the bad record: the batch is refused whole, so it never reaches the bolt either.
      const batch = peer.sendBuffer('worker-002');
      batch.addTuple(sinkTask, tuple([-1], DEFAULT, spout), DEFAULT.index);
      fill(batch);
      peer.flush();
      await waitFor(() => warnings().length > before, `the refusal of ${what}`);
      expect(warnings().at(-1), what).toMatch(new RegExp(`^closing link from worker worker-001 \\(127\\.0\\.0\\.1:\\d+\\): refused its batch: ${reason.source}`));
      await peer.close();
    }
    expect(processed).toEqual([]);

    // The worker kept running: a good batch still reaches the bolt.
    const peer = await connectedPeer(port);
    peer.sendBuffer('worker-002').addTuple(sinkTask, tuple([42], DEFAULT, spout), DEFAULT.index);
    peer.flush();
    await waitFor(() => processed.length === 1, 'the good tuple processed');
    expect(processed).toEqual([[42]]);
    expect(worker.metrics().find((m) => m.component === 'sink')).toMatchObject({ executed: 1 });

    // Acker messages of every type (init, ack, fail, lost) are accepted, and the link stays up.
    const warned = warnings().length;
    const toWorker = peer.sendBuffer('worker-002');
    for (const type of [ACK_INIT, ACK_ACK, ACK_FAIL, ACK_LOST]) toWorker.addAcker(type, 5, type, 0, 0, spout);
    peer.flush();
    toWorker.addTuple(sinkTask, tuple([43], DEFAULT, spout), DEFAULT.index);
    peer.flush();
    await waitFor(() => processed.length === 2, 'a tuple after the acker messages');
    expect(warnings()).toHaveLength(warned);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
