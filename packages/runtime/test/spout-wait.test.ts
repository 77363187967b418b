import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Topology, TopologyValidationError, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import type { Worker } from '@topo/runtime';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

/** Counts its nextTuple calls; emits `burst` tuples on its first calls, then finds nothing, as a spout polling an empty source. */
function pollingTopology(burst: number, config: TopologyConfig) {
  const seen = { calls: 0, callsAfterBurst: 0, processed: 0 };
  class Poller extends Spout {
    static outputs = ['n'] as const;
    private emitted = 0;
    nextTuple(): void {
      seen.calls++;
      if (this.emitted < burst) this.emit([this.emitted++]);
      else seen.callsAfterBurst++;
    }
  }
  class Sink extends BasicBolt {
    process(): void {
      seen.processed++;
    }
  }
  class Polling extends Topology {
    poller = Poller.spec({ config });
    sink = Sink.spec({ input: this.poller });
  }
  return { Polling, seen };
}

/** nextTuple calls of an idle spout during `ms`, and how long that really took. */
async function idleCalls(seen: { calls: number }, ms: number): Promise<{ calls: number; elapsedMs: number }> {
  const calls = seen.calls;
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { calls: seen.calls - calls, elapsedMs: performance.now() - start };
}

// A slow or busy machine only makes fewer calls, so the upper bounds below hold anywhere;
// a busy loop would make tens of thousands.
describe('spout wait (topology.spout.wait.progressive.*)', () => {
  it("sleeps 1 ms between calls of an idle spout by default, Storm's default", async () => {
    const { Polling, seen } = pollingTopology(0, {});
    await cluster().submit(Polling);
    await cluster().until(() => seen.calls > 0, 'the first nextTuple call');
    const { calls, elapsedMs } = await idleCalls(seen, 300);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(elapsedMs * 1.5 + 10);
  });

  it('sleeps level3.sleep.millis between calls of an idle spout', async () => {
    const { Polling, seen } = pollingTopology(0, { 'topology.spout.wait.progressive.level3.sleep.millis': 25 });
    await cluster().submit(Polling);
    await cluster().until(() => seen.calls > 0, 'the first nextTuple call');
    const { calls, elapsedMs } = await idleCalls(seen, 500);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan((elapsedMs / 25) * 1.5 + 10);
  });

  it('calls a spout that just went idle again at once for level1.count + level2.count rounds, then sleeps', async () => {
    const { Polling, seen } = pollingTopology(100, {
      'topology.spout.wait.progressive.level1.count': 3000,
      'topology.spout.wait.progressive.level2.count': 2000,
      'topology.spout.wait.progressive.level3.sleep.millis': 25,
    });
    await cluster().submit(Polling);
    // 5,000 immediate rounds take milliseconds; at one call per 25 ms sleep they would take two minutes.
    await cluster().until(() => seen.callsAfterBurst >= 5000 && seen.processed === 100, 'the immediate rounds after the burst');
    const { calls, elapsedMs } = await idleCalls(seen, 500);
    expect(calls).toBeLessThan((elapsedMs / 25) * 1.5 + 10);
  });

  it('polls without sleeping when level3.sleep.millis is 0', async () => {
    const { Polling, seen } = pollingTopology(0, { 'topology.spout.wait.progressive.level3.sleep.millis': 0 });
    await cluster().submit(Polling);
    // With a 1 ms sleep this would take over 50 s.
    await cluster().until(() => seen.calls >= 50_000, 'a busy poll', 20_000);
  });

  it('waits as the most eager spout of a worker asks, since they share its scheduler', async () => {
    const eager = pollingTopology(0, { 'topology.spout.wait.progressive.level3.sleep.millis': 0 });
    const patient = pollingTopology(0, { 'topology.spout.wait.progressive.level3.sleep.millis': 1000 });
    class Both extends Topology {
      eager = new eager.Polling().poller;
      patient = new patient.Polling().poller;
    }
    await cluster().submit(Both);
    await cluster().until(() => patient.seen.calls >= 5000, 'the patient spout to be polled as often as the eager one', 20_000);
    expect(eager.seen.calls).toBeGreaterThanOrEqual(5000);
  });

  it('rejects a wait strategy Topo does not implement, naming the key', async () => {
    const { Polling } = pollingTopology(0, { 'topology.spout.wait.strategy': 'org.apache.storm.policy.WaitStrategyPark' });
    const submitted = cluster().submit(Polling);
    await expect(submitted).rejects.toBeInstanceOf(TopologyValidationError);
    await expect(submitted).rejects.toThrow(/component poller.*topology\.spout\.wait\.strategy must be one of org\.apache\.storm\.policy\.WaitStrategyProgressive/s);
  });
});

describe('an idle worker', () => {
  /** Scheduler rounds during `ms`: the 100 ms timeout sweep wakes it a few times, polling a spout every 1 ms hundreds. */
  async function roundsDuring(worker: Worker, ms: number): Promise<number> {
    const before = worker.rounds;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return worker.rounds - before;
  }

  it('does not poll while its spouts are deactivated', async () => {
    const { Polling, seen } = pollingTopology(0, {});
    const worker = await cluster().submit(Polling);
    await cluster().until(() => seen.calls > 0, 'the first nextTuple call');
    worker.deactivate();
    const calls = seen.calls;
    expect(await roundsDuring(worker, 500)).toBeLessThan(30);
    expect(seen.calls).toBe(calls);
    worker.activate();
    await cluster().until(() => seen.calls > calls, 'nextTuple calls again once activated');
  });

  it('does not poll a spout at max spout pending, and calls it again once a tree is acked', async () => {
    let held: Tuple | undefined;
    let holder: Bolt | undefined;
    let emitted = 0;
    class One extends Spout {
      static outputs = ['n'] as const;
      nextTuple(): void {
        this.emit([emitted], { msgId: emitted++ });
      }
    }
    class Holder extends Bolt {
      process(tuple: Tuple): void {
        held = tuple;
        holder = this;
      }
    }
    class Held extends Topology {
      static config = { 'topology.max.spout.pending': 1 };
      one = One.spec();
      holder = Holder.spec({ input: this.one });
    }
    const worker = await cluster().submit(Held);
    await cluster().until(() => held !== undefined, 'the bolt to hold the only tree');
    expect(await roundsDuring(worker, 500)).toBeLessThan(30);
    expect(emitted).toBe(1);
    // An ack from outside any round (a timer here, as from I/O) wakes the worker itself.
    setTimeout(() => holder!.ack(held!), 0);
    await cluster().until(() => emitted === 2, 'the next emit after the ack');
  });
});
