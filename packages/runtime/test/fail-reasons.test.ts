import { describe, expect, it } from 'vitest';
import { ACKER_COMPONENT, BasicBolt, Spout, Topology, build, type FailReason } from '@topo/topology-dsl';
import { computeTaskLayout, waitFor, type Assignment } from '@topo/runtime';
import { loopbackWorkersPerTest } from './support/loopback-workers.js';

/** Reasons each spout task was given by `fail`, by task id. */
const reasons = new Map<number, (FailReason | undefined)[]>();
let acked = 0;
let emitting = true;

/** Emits ids without end, each its own msgId, while `emitting`. */
class Ids extends Spout {
  static outputs = ['id'] as const;
  private next = 0;
  nextTuple(): void {
    if (emitting) this.emit([this.next], { msgId: this.next++ });
  }
  ack(): void {
    acked++;
  }
  fail(_msgId: unknown, reason?: FailReason): void {
    const list = reasons.get(this.context.taskId) ?? [];
    list.push(reason);
    reasons.set(this.context.taskId, list);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

class Across extends Topology {
  // No tree times out during the test: every fail it sees comes from the transport. Room
  // for many trees, as the first few sent after c stopped can vanish into its closing
  // socket (they would time out) before the link is seen down and tuples wait for it.
  static config = { 'topology.acker.executors': 1, 'topology.max.spout.pending': 5000, 'topology.message.timeout.secs': 600 };
  ids = Ids.spec({ p: 2 });
  sink = Sink.spec({ input: this.ids });
}

describe('Spout.fail reasons', () => {
  const startWorkers = loopbackWorkersPerTest();

  it("fails as 'lost' the trees whose tuples could not reach a stopped worker, where the spout acks its own trees and where a remote acker does", async () => {
    const compiled = build(Across);
    const layout = computeTaskLayout(compiled.definition, 1);
    const [own, remote] = layout.componentTasks.get('ids')!;
    // a: the acker and a spout task acking its own trees; b: a spout task whose trees a's acker keeps; c: the sink.
    const assignment: Assignment = {
      topology: compiled.definition.name,
      workers: [
        { id: 'a', executors: [{ component: ACKER_COMPONENT, tasks: layout.ackerTasks }, { component: 'ids', tasks: [own] }] },
        { id: 'b', executors: [{ component: 'ids', tasks: [remote] }] },
        { id: 'c', executors: [{ component: 'sink', tasks: layout.componentTasks.get('sink')! }] },
      ],
    };
    const [a, b, c] = await startWorkers(compiled, assignment);
    await waitFor(() => acked > 1000, 'trees acked through worker c');
    // Only trees emitted once c is gone: those emitted before could lose their tuples inside c, and time out.
    emitting = false;
    await waitFor(() => a.pendingTrees === 0 && b.pendingTrees === 0, 'every tree so far acked');
    await c.stop();
    emitting = true;

    await waitFor(() => (reasons.get(own)?.length ?? 0) > 0 && (reasons.get(remote)?.length ?? 0) > 0, 'both spout tasks hearing of lost trees', 30_000);
    expect(new Set(reasons.get(own))).toEqual(new Set(['lost']));
    expect(new Set(reasons.get(remote))).toEqual(new Set(['lost']));
  });
});
