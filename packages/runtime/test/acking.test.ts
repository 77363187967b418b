import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Topology, type FailReason, type Tuple } from '@topo/topology-dsl';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

class Relay extends BasicBolt {
  static outputs = ['id', 'attempt'] as const;
  process(tuple: Tuple): void {
    this.emit([tuple.get('id'), tuple.get('attempt')]);
  }
}

class Drop extends BasicBolt {
  process(): void {}
}

describe('guaranteed processing', () => {
  it('completes a multi-anchored diamond only once its last tuple is acked, each msgId once', async () => {
    const ledger = new SpoutLedger(400);
    let sinkReceived = 0;
    let ackedBeforeRelease = -1;

    class Branch extends Bolt {
      static outputs = ['id', 'attempt'] as const;
      process(tuple: Tuple): void {
        this.emit([tuple.get('id'), tuple.get('attempt')], { anchors: tuple });
        this.ack(tuple);
      }
    }
    /** Waits for both branches' tuple of an id, then emits one tuple anchored to both. */
    class Join extends Bolt {
      static outputs = ['id'] as const;
      private readonly waiting = new Map<unknown, Tuple>();
      process(tuple: Tuple): void {
        const id = tuple.get('id');
        const other = this.waiting.get(id);
        if (other === undefined) {
          this.waiting.set(id, tuple);
          return;
        }
        this.waiting.delete(id);
        this.emit([id], { anchors: [other, tuple] });
        this.ack(other);
        this.ack(tuple);
      }
    }
    /** Holds every joined tuple until it has them all: no tree may complete before. */
    class HoldingSink extends Bolt {
      private readonly held: Tuple[] = [];
      process(tuple: Tuple): void {
        this.held.push(tuple);
        if (++sinkReceived < ledger.total) return;
        ackedBeforeRelease = ledger.acked;
        for (const held of this.held) this.ack(held);
      }
    }
    class Diamond extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec({ p: 2 });
      left = Branch.spec({ p: 2, input: this.spout });
      right = Branch.spec({ p: 2, input: this.spout });
      join = Join.spec({ p: 2, inputs: [this.left.fields('id'), this.right.fields('id')] });
      sink = HoldingSink.spec({ input: this.join });
    }

    const worker = await cluster().submit(Diamond);
    await cluster().until(() => ledger.complete(), 'every msgId acked');
    expect(ackedBeforeRelease).toBe(0);
    expect(ledger.duplicateAcks()).toEqual([]);
    expect(ledger.fails).toEqual([]);
    expect(worker.pendingTrees).toBe(0);
    expect(cluster().errorMessages()).toEqual([]);
  });

  it('ties the trees of a tuple anchored to inputs of two msgIds: both ack, or both fail', async () => {
    const ledger = new SpoutLedger(300);
    const pairFails = (id: number) => Math.min(id, id ^ 1) % 6 === 0;
    /** Joins ids 2k and 2k+1 into one tuple anchored to both inputs. */
    class Pairer extends Bolt {
      static outputs = ['low', 'high'] as const;
      private readonly waiting = new Map<number, Tuple>();
      process(tuple: Tuple): void {
        const id = tuple.get('id') as number;
        const partner = this.waiting.get(id ^ 1);
        if (partner === undefined) {
          this.waiting.set(id, tuple);
          return;
        }
        this.waiting.delete(id ^ 1);
        this.emit([Math.min(id, id ^ 1), Math.max(id, id ^ 1)], { anchors: [partner, tuple] });
        this.ack(partner);
        this.ack(tuple);
      }
    }
    class PairJudge extends Bolt {
      process(tuple: Tuple): void {
        if (pairFails(tuple.get('low') as number)) this.fail(tuple);
        else this.ack(tuple);
      }
    }
    class Pairs extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec({ p: 2 });
      pairer = Pairer.spec({ input: this.spout.global() });
      judge = PairJudge.spec({ p: 2, input: this.pairer });
    }

    await cluster().submit(Pairs);
    await cluster().until(() => ledger.acked + ledger.fails.length === ledger.total, 'every tree to finish');
    expect(sorted(ledger.fails)).toEqual(range(ledger.total).filter(pairFails));
    expect(sorted(ledger.acks.keys())).toEqual(range(ledger.total).filter((id) => !pairFails(id)));
    expect(ledger.duplicateAcks()).toEqual([]);
  });

  it('acks at once a tracked tuple that no bolt subscribes to', async () => {
    const acks: unknown[] = [];
    let sent = false;
    let targets: readonly number[] | undefined;
    class TwoStreams extends Spout {
      static outputs = ['n'] as const;
      static streams = { heard: ['n'] } as const;
      nextTuple(): void {
        if (sent) return;
        sent = true;
        targets = this.emit([1], { msgId: 'unheard' });
      }
      ack(msgId: unknown): void {
        acks.push(msgId);
      }
    }
    class Unheard extends Topology {
      spout = TwoStreams.spec();
      listener = Drop.spec({ input: this.spout.stream('heard') });
    }
    await cluster().submit(Unheard);
    await cluster().until(() => acks.length > 0, 'the ack');
    expect(acks).toEqual(['unheard']);
    expect(targets).toEqual([]);
  });

  it('turns a fail mid-tree into fail(msgId) at the spout, and the replay completes', async () => {
    const ledger = new SpoutLedger(300);
    const failedFirst = (id: number) => id % 5 === 0;
    /** Fails the first attempt of some ids, deep in the tree; acks everything else. */
    class Judge extends Bolt {
      static outputs = ['id'] as const;
      process(tuple: Tuple): void {
        const id = tuple.get('id') as number;
        this.emit([id], { anchors: tuple });
        if (tuple.get('attempt') === 0 && failedFirst(id)) this.fail(tuple);
        else this.ack(tuple);
      }
    }
    class MidTreeFail extends Topology {
      spout = ledgerSpout(ledger, { replay: true }).spec();
      relay = Relay.spec({ p: 2, input: this.spout });
      judge = Judge.spec({ p: 2, input: this.relay.fields('id') });
      sink = Drop.spec({ input: this.judge });
    }

    const worker = await cluster().submit(MidTreeFail);
    await cluster().until(() => ledger.complete(), 'every msgId acked');
    const expectedFails = range(ledger.total).filter(failedFirst);
    expect(sorted(ledger.fails)).toEqual(expectedFails);
    expect(new Set(ledger.failReasons)).toEqual(new Set(['failed']));
    expect(ledger.duplicateAcks()).toEqual([]);
    expect(ledger.emits).toHaveLength(ledger.total + expectedFails.length);
    const spout = worker.metrics().find((m) => m.component === 'spout')!;
    expect(spout).toMatchObject({ acked: ledger.total, failed: expectedFails.length, timedOut: 0 });
  });

  it('fails a tree that times out, and its replay completes', async () => {
    const ledger = new SpoutLedger(60);
    const lost = new Set([3, 17, 42]);
    const emittedAt = new Map<number, number>();
    const failedAt = new Map<number, number>();

    /** Never acks the first attempt of the `lost` ids. */
    class Forgetful extends Bolt {
      process(tuple: Tuple): void {
        if (tuple.get('attempt') === 0 && lost.has(tuple.get('id') as number)) return;
        this.ack(tuple);
      }
    }
    const Source = ledgerSpout(ledger, { replay: true });
    class TimedSource extends Source {
      override nextTuple(): void {
        const before = ledger.emits.length;
        const now = performance.now();
        super.nextTuple();
        if (ledger.emits.length > before && !emittedAt.has(ledger.emits[before])) emittedAt.set(ledger.emits[before], now);
      }
      override fail(id: unknown, reason?: FailReason): void {
        failedAt.set(id as number, performance.now());
        super.fail(id, reason);
      }
    }
    class TimingOut extends Topology {
      static config = { 'topology.message.timeout.secs': 1 };
      spout = TimedSource.spec();
      forgetful = Forgetful.spec({ p: 2, input: this.spout });
    }

    const worker = await cluster().submit(TimingOut);
    await cluster().until(() => ledger.complete(), 'every msgId acked');
    expect(sorted(ledger.fails)).toEqual(sorted(lost));
    expect(new Set(ledger.failReasons)).toEqual(new Set(['timeout']));
    for (const id of lost) expect(failedAt.get(id)! - emittedAt.get(id)!).toBeGreaterThanOrEqual(1000);
    expect(ledger.duplicateAcks()).toEqual([]);
    const spout = worker.metrics().find((m) => m.component === 'spout')!;
    expect(spout).toMatchObject({ acked: ledger.total, failed: lost.size, timedOut: lost.size });
  });

  it('never times a tree out early, however long the spout takes within a slice (trees whose emit time is not read exactly)', async () => {
    const emittedAt = new Map<number, number>();
    const failedAt = new Map<number, number>();
    const COUNT = 8;
    /** Takes 15 ms before each emit, so the slice's emits lie well apart in time. */
    class SlowSource extends Spout {
      static outputs = ['id'] as const;
      private next = 0;
      override nextTuple(): void {
        if (this.next >= COUNT) return;
        const until = performance.now() + 15;
        while (performance.now() < until);
        const id = this.next++;
        this.emit([id], { msgId: id });
        emittedAt.set(id, performance.now());
      }
      fail(id: unknown): void {
        failedAt.set(id as number, performance.now());
      }
    }
    class Silent extends Bolt {
      process(): void {}
    }
    class SlowTimingOut extends Topology {
      // Sampled trees read the clock at their emit; with one in 1,000 sampled, none of these is.
      static config = { 'topology.message.timeout.secs': 1, 'topology.stats.sample.rate': 0.001 };
      spout = SlowSource.spec();
      silent = Silent.spec({ input: this.spout });
    }
    await cluster().submit(SlowTimingOut);
    await cluster().until(() => failedAt.size === COUNT, 'every tree timed out');
    for (let id = 0; id < COUNT; id++) expect(failedAt.get(id)! - emittedAt.get(id)!).toBeGreaterThanOrEqual(1000);
  });

  it('never lets a spout task exceed topology.max.spout.pending', async () => {
    const ledger = new SpoutLedger(1500);
    /** Acks a little later, so trees stay pending long enough to pile up. */
    class LateAcker extends Bolt {
      process(tuple: Tuple): void {
        setTimeout(() => this.ack(tuple), 1);
      }
    }
    class Capped extends Topology {
      static config = { 'topology.max.spout.pending': 7 };
      spout = ledgerSpout(ledger, { replay: false }).spec({ p: 2 });
      relay = Relay.spec({ p: 2, input: this.spout });
      late = LateAcker.spec({ input: this.relay });
    }

    await cluster().submit(Capped);
    await cluster().until(() => ledger.complete(), 'every msgId acked');
    expect(ledger.maxOutstanding).toBe(7);
    expect(ledger.fails).toEqual([]);
    expect(ledger.duplicateAcks()).toEqual([]);
  });

  it('with topology.acker.executors 0 acks every tuple at emit, whatever the bolts do', async () => {
    const ledger = new SpoutLedger(200);
    let received = 0;
    /** Fails half its inputs and never acks the rest. */
    class Unreliable extends Bolt {
      process(tuple: Tuple): void {
        received++;
        if ((tuple.get('id') as number) % 2 === 0) this.fail(tuple);
      }
    }
    class NoAckers extends Topology {
      static config = { 'topology.acker.executors': 0, 'topology.message.timeout.secs': 1 };
      spout = ledgerSpout(ledger, { replay: true }).spec();
      unreliable = Unreliable.spec({ input: this.spout });
    }

    const worker = await cluster().submit(NoAckers);
    await cluster().until(() => ledger.complete() && received === ledger.total, 'every msgId acked and delivered');
    expect(ledger.fails).toEqual([]);
    expect(ledger.duplicateAcks()).toEqual([]);
    expect(worker.layout.ackerTasks).toEqual([]);
    expect(worker.pendingTrees).toBe(0);
  });

  it('never calls ack or fail for tuples emitted without a msgId', async () => {
    const acks: unknown[] = [];
    const fails: unknown[] = [];
    let emitted = 0;
    /** Emits untracked tuples, then one tracked sentinel that travels behind them. */
    class Untracked extends Spout {
      static outputs = ['id'] as const;
      nextTuple(): void {
        if (emitted < 200) this.emit([emitted]);
        else if (emitted === 200) this.emit([-1], { msgId: 'sentinel' });
        else return;
        emitted++;
      }
      ack(msgId: unknown): void {
        acks.push(msgId);
      }
      fail(msgId: unknown): void {
        fails.push(msgId);
      }
    }
    class Mixed extends Bolt {
      process(tuple: Tuple): void {
        if ((tuple.get('id') as number) % 2 === 1) this.fail(tuple);
        else this.ack(tuple);
      }
    }
    class UntrackedTopology extends Topology {
      untracked = Untracked.spec();
      mixed = Mixed.spec({ input: this.untracked.global() });
    }

    const worker = await cluster().submit(UntrackedTopology);
    await cluster().until(() => acks.length > 0, 'the sentinel ack');
    expect(acks).toEqual(['sentinel']);
    expect(fails).toEqual([]);
    const mixed = worker.metrics().find((m) => m.component === 'mixed')!;
    expect(mixed).toMatchObject({ executed: 201, acked: 101, failed: 100 });
  });

  it('does not hold a tree up for tuples a bolt emits unanchored', async () => {
    const ledger = new SpoutLedger(200);
    let held = 0;
    class UnanchoredBolt extends Bolt {
      static outputs = ['id'] as const;
      process(tuple: Tuple): void {
        this.emit([tuple.get('id')]);
        this.ack(tuple);
      }
    }
    class UnanchoredBasic extends BasicBolt {
      static outputs = ['id'] as const;
      process(tuple: Tuple): void {
        this.emit([tuple.get('id')], { anchors: [] });
      }
    }
    /** Never acks anything. */
    class BlackHole extends Bolt {
      process(): void {
        held++;
      }
    }
    class Unanchored extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      explicit = UnanchoredBolt.spec({ input: this.spout });
      basic = UnanchoredBasic.spec({ input: this.spout });
      hole = BlackHole.spec({ inputs: [this.explicit, this.basic] });
    }

    await cluster().submit(Unanchored);
    await cluster().until(() => ledger.complete() && held === 2 * ledger.total, 'every msgId acked');
    expect(ledger.fails).toEqual([]);
    expect(ledger.duplicateAcks()).toEqual([]);
  });

  it('fails the input of a throwing BasicBolt, reports the error and keeps going', async () => {
    const ledger = new SpoutLedger(100);
    const throws = (id: number) => id % 4 === 3;
    const observed: { component: string; task: number; message: string }[] = [];
    let sinkReceived = 0;
    class Thrower extends BasicBolt {
      static outputs = ['id'] as const;
      process(tuple: Tuple): void {
        const id = tuple.get('id') as number;
        if (throws(id)) throw new Error(`cannot handle ${id}`);
        this.emit([id]);
      }
    }
    class Counter extends BasicBolt {
      process(): void {
        sinkReceived++;
      }
    }
    class Throwing extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      thrower = Thrower.spec({ p: 2, input: this.spout });
      counter = Counter.spec({ input: this.thrower });
    }

    const worker = await cluster().submit(Throwing, {
      observer: {
        error(component, task, error) {
          observed.push({ component, task, message: (error as Error).message });
        },
      },
    });
    const bad = range(ledger.total).filter(throws);
    await cluster().until(() => ledger.acked + ledger.fails.length === ledger.total, 'every tree to finish');
    expect(sorted(ledger.fails)).toEqual(bad);
    expect(new Set(ledger.failReasons)).toEqual(new Set(['failed']));
    expect(sorted(ledger.acks.keys())).toEqual(range(ledger.total).filter((id) => !throws(id)));
    expect(sinkReceived).toBe(ledger.total - bad.length);

    const throwerTasks = worker.layout.componentTasks.get('thrower')!;
    expect(observed).toHaveLength(bad.length);
    for (const o of observed) {
      expect(o.component).toBe('thrower');
      expect(throwerTasks).toContain(o.task);
    }
    expect(sorted(observed.map((o) => Number(o.message.replace('cannot handle ', ''))))).toEqual(bad);
    expect(cluster().errors.map((r) => r.message).sort()).toEqual(observed.map((o) => o.message).sort());
    const metrics = worker.metrics().find((m) => m.component === 'thrower')!;
    expect(metrics).toMatchObject({ executed: ledger.total, acked: ledger.total - bad.length, failed: bad.length, errors: bad.length });
  });
});
