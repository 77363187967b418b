import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, SYSTEM_COMPONENT, TICK_STREAM, Topology, type Tuple } from '@topo/topology-dsl';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

interface Seen {
  ticks: Map<number, Tuple[]>;
  data: number;
}

/** A bolt class, auto-acking or explicit, that records ticks per task and counts data tuples. */
function recordingBolt(seen: Seen, ackMode: 'basic' | 'explicit') {
  const record = (bolt: Bolt, tuple: Tuple) => {
    if (tuple.isTick()) {
      const task = bolt.context.taskId;
      seen.ticks.set(task, [...(seen.ticks.get(task) ?? []), tuple]);
    } else {
      seen.data++;
    }
  };
  class RecordingBasic extends BasicBolt {
    process(tuple: Tuple): void {
      record(this, tuple);
    }
  }
  class RecordingExplicit extends Bolt {
    process(tuple: Tuple): void {
      record(this, tuple);
      if (!tuple.isTick()) this.ack(tuple);
    }
  }
  return ackMode === 'basic' ? RecordingBasic : RecordingExplicit;
}

describe('tick tuples', () => {
  it.each(['basic', 'explicit'] as const)('reach every task of a bolt with %s acking and tickSecs, and are not counted as data', async (ackMode) => {
    const ledger = new SpoutLedger(50);
    const seen: Seen = { ticks: new Map(), data: 0 };
    const observedAcks: Tuple[] = [];
    class Ticking extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      ticked = recordingBolt(seen, ackMode).spec({ p: 2, tickSecs: 0.2, input: this.spout });
    }

    const worker = await cluster().submit(Ticking, {
      observer: {
        acked(component, _task, tuple) {
          if (component === 'ticked') observedAcks.push(tuple);
        },
      },
    });
    const tasks = worker.layout.componentTasks.get('ticked')!;
    await cluster().until(() => ledger.complete() && tasks.every((t) => (seen.ticks.get(t)?.length ?? 0) >= 2), 'two ticks at each task');

    for (const ticks of seen.ticks.values()) {
      for (const tick of ticks) {
        expect(tick.isTick()).toBe(true);
        expect(tick.sourceComponent).toBe(SYSTEM_COMPONENT);
        expect(tick.sourceStream).toBe(TICK_STREAM);
        expect(tick.get('rate_secs')).toBe(0.2);
      }
    }
    expect(seen.data).toBe(ledger.total);
    expect(ledger.fails).toEqual([]);
    const metrics = worker.metrics().find((m) => m.component === 'ticked')!;
    expect(metrics).toMatchObject({ executed: ledger.total, acked: ledger.total, failed: 0 });
    expect(observedAcks).toHaveLength(ledger.total);
    expect(observedAcks.some((t) => t.isTick())).toBe(false);
  });

  it('come at topology.tick.tuple.freq.secs from the component config', async () => {
    const ledger = new SpoutLedger(1);
    const seen: Seen = { ticks: new Map(), data: 0 };
    const plainSeen: Seen = { ticks: new Map(), data: 0 };
    class ConfiguredTicks extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      ticked = recordingBolt(seen, 'basic').spec({ input: this.spout, config: { 'topology.tick.tuple.freq.secs': 0.1 } });
      plain = recordingBolt(plainSeen, 'basic').spec({ input: this.spout });
    }
    const worker = await cluster().submit(ConfiguredTicks);
    const [task] = worker.layout.componentTasks.get('ticked')!;
    await cluster().until(() => (seen.ticks.get(task)?.length ?? 0) >= 3, 'three ticks');
    expect(seen.ticks.get(task)![0].get('rate_secs')).toBe(0.1);
    expect(plainSeen.ticks.size).toBe(0);
    expect(plainSeen.data).toBe(1);
  });
});
