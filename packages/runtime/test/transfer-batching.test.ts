import { describe, expect, it } from 'vitest';
import { ACKER_COMPONENT, BasicBolt, Spout, Topology, build } from '@topo/topology-dsl';
import { computeTaskLayout, waitFor, type Assignment } from '@topo/runtime';
import { loopbackWorkersPerTest } from './support/loopback-workers.js';

const TUPLES = 5;
let emitted = 0;
let received = 0;
let firstEmittedAt = 0;
let firstReceivedAt = 0;
const acked: unknown[] = [];

class Five extends Spout {
  static outputs = ['n'] as const;
  nextTuple(): void {
    if (emitted === 0) firstEmittedAt = performance.now();
    if (emitted < TUPLES) this.emit([emitted], { msgId: emitted++ });
  }
  ack(msgId: unknown): void {
    acked.push(msgId);
  }
}

class Sink extends BasicBolt {
  process(): void {
    if (received === 0) firstReceivedAt = performance.now();
    received++;
  }
}

/** The spout in worker a, the sink in worker b: every tuple crosses, and every ack comes back. */
class Across extends Topology {
  static config = { 'topology.acker.executors': 1, 'topology.transfer.batch.size': 10_000, 'topology.batch.flush.interval.millis': 400 };
  five = Five.spec();
  sink = Sink.spec({ input: this.five });
}

describe('topology.transfer.batch.size between two workers', () => {
  const startWorkers = loopbackWorkersPerTest();

  it('holds a small batch for the flush interval, then sends it as one frame; the acks come back in one too', async () => {
    const compiled = build(Across);
    const layout = computeTaskLayout(compiled.definition, 1);
    const tasks = (component: string) => layout.componentTasks.get(component)!;
    const assignment: Assignment = {
      topology: compiled.definition.name,
      workers: [
        { id: 'a', executors: [{ component: ACKER_COMPONENT, tasks: layout.ackerTasks }, { component: 'five', tasks: tasks('five') }] },
        { id: 'b', executors: [{ component: 'sink', tasks: tasks('sink') }] },
      ],
    };
    const workers = await startWorkers(compiled, assignment);

    await waitFor(() => acked.length === TUPLES, 'every tree acked');
    expect(received).toBe(TUPLES);
    // Held for the flush interval from the first tuple on (both workers run in this process,
    // on one clock): with the default batch size of 1 they would be there within a
    // millisecond or two. A bound from below, which a slow machine cannot break; timers
    // may fire up to a millisecond early on the performance clock.
    expect(firstReceivedAt - firstEmittedAt).toBeGreaterThanOrEqual(399);
    const [a, b] = workers.map((w) => w.transportStats());
    expect(a).toMatchObject({ framesSent: 1, tuplesSent: TUPLES });
    expect(b).toMatchObject({ framesSent: 1, tuplesSent: 0 });
  });
});
