import { describe, expect, it } from 'vitest';
import { ACKER_COMPONENT, BasicBolt, Spout, Topology, build, type Tuple } from '@topo/topology-dsl';
import { computeTaskLayout, waitFor, type Assignment } from '@topo/runtime';
import { loopbackWorkersPerTest } from './support/loopback-workers.js';

const PER_TASK = 3000;
/** msgIds acked, per spout task, by every spout instance of this process. */
const acked = new Map<number, number[]>();
const failed: unknown[] = [];

/** Emits `task * 1e6 + i` for i below PER_TASK, each with itself as msgId. */
class Ids extends Spout {
  static outputs = ['id'] as const;
  private next = 0;
  nextTuple(): void {
    if (this.next === PER_TASK) return;
    this.emit([this.context.taskId * 1e6 + this.next], { msgId: this.context.taskId * 1e6 + this.next });
    this.next++;
  }
  ack(msgId: unknown): void {
    const list = acked.get(this.context.taskId) ?? [];
    list.push(msgId as number);
    acked.set(this.context.taskId, list);
  }
  fail(msgId: unknown): void {
    failed.push(msgId);
  }
}

/** Anchors one child per input, so each tree has a tuple in both workers' bolts. */
class Relay extends BasicBolt {
  static outputs = ['id'] as const;
  process(tuple: Tuple): void {
    this.emit([tuple.get('id')]);
  }
}

class Sink extends BasicBolt {
  process(_tuple: Tuple): void {}
}

class Spread extends Topology {
  static config = { 'topology.acker.executors': 1, 'topology.max.spout.pending': 200 };
  ids = Ids.spec({ p: 3 });
  relay = Relay.spec({ p: 2, input: this.ids });
  sink = Sink.spec({ p: 2, input: this.relay });
}

describe('trees of spouts with and without an acker in their worker', () => {
  const startWorkers = loopbackWorkersPerTest();

  it('acks every msgId once both where the spout acks its own trees and where a remote acker does', async () => {
    const compiled = build(Spread);
    const layout = computeTaskLayout(compiled.definition, 1);
    const task = (component: string, i: number) => layout.componentTasks.get(component)![i];
    // Worker a holds the only acker and two spout tasks, which ack their own trees (each root names its task); b's spout sends its inits to a.
    const assignment: Assignment = {
      topology: compiled.definition.name,
      workers: ['a', 'b'].map((id, i) => ({
        id,
        executors: [
          ...(id === 'a' ? [{ component: ACKER_COMPONENT, tasks: layout.ackerTasks }] : []),
          { component: 'ids', tasks: id === 'a' ? [task('ids', 0), task('ids', 1)] : [task('ids', 2)] },
          { component: 'relay', tasks: [task('relay', i)] },
          { component: 'sink', tasks: [task('sink', i)] },
        ],
      })),
    };
    const workers = await startWorkers(compiled, assignment);

    await waitFor(() => [...acked.values()].reduce((n, list) => n + list.length, 0) >= 3 * PER_TASK && workers.every((w) => w.pendingTrees === 0), 'every tree settled', 30_000);
    expect(failed).toEqual([]);
    for (const spoutTask of layout.componentTasks.get('ids')!) {
      const ids = acked.get(spoutTask) ?? [];
      expect(new Set(ids).size, `spout task ${spoutTask}`).toBe(PER_TASK);
      expect(ids.length).toBe(PER_TASK);
    }
    // Tuples crossed both ways, so each spout's trees were acked from the other worker too.
    expect(workers.every((w) => w.transportStats().tuplesSent > 0)).toBe(true);
    // Only b's trees went through the acker's table, and it holds none once they are done.
    expect(workers[0].metrics().find((m) => m.component === ACKER_COMPONENT)!.pending).toBe(0);
  });
});
