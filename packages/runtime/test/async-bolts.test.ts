import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Topology, TopoError, type Tuple } from '@topo/topology-dsl';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

/** Fails everything it receives, so a spout fail proves the tuple was anchored to its tree. */
class Rejecter extends Bolt {
  process(tuple: Tuple): void {
    this.fail(tuple);
  }
}

describe('async bolts', () => {
  it('run at most maxInFlight promises at once, ack when one resolves and fail when it rejects', async () => {
    const ledger = new SpoutLedger(200);
    const rejects = (id: number) => id % 6 === 5;
    const resolved = new Set<number>();
    const ackedEarly: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;

    class Slow extends BasicBolt {
      async process(tuple: Tuple): Promise<void> {
        const id = tuple.get('id') as number;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(2);
        inFlight--;
        if (rejects(id)) throw new Error(`rejected ${id}`);
        resolved.add(id);
      }
    }
    class AsyncTopology extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      slow = Slow.spec({ maxInFlight: 4, input: this.spout });
    }

    const worker = await cluster().submit(AsyncTopology, {
      observer: {
        acked(component, _task, tuple) {
          if (component === 'slow' && !resolved.has(tuple.get('id') as number)) ackedEarly.push(tuple.get('id') as number);
        },
      },
    });
    await cluster().until(() => ledger.acked + ledger.fails.length === ledger.total, 'every tree to finish');

    expect(maxInFlight).toBe(4);
    expect(ackedEarly).toEqual([]);
    expect(sorted(ledger.fails)).toEqual(range(ledger.total).filter(rejects));
    expect(sorted(ledger.acks.keys())).toEqual(range(ledger.total).filter((id) => !rejects(id)));
    expect(cluster().errorMessages().sort()).toEqual(
      range(ledger.total)
        .filter(rejects)
        .map((id) => `slow: rejected ${id}`)
        .sort(),
    );
    expect(worker.metrics().find((m) => m.component === 'slow')).toMatchObject({ executed: ledger.total, failed: ledger.fails.length, errors: ledger.fails.length });
  });

  it('with maxInFlight 1 anchors an emit after an await to the input', async () => {
    const ledger = new SpoutLedger(40);
    class AwaitThenEmit extends BasicBolt {
      static outputs = ['id'] as const;
      async process(tuple: Tuple): Promise<void> {
        await sleep(1);
        this.emit([tuple.get('id')]);
      }
    }
    class AnchoredAfterAwait extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      awaiting = AwaitThenEmit.spec({ input: this.spout });
      rejecter = Rejecter.spec({ input: this.awaiting });
    }

    await cluster().submit(AnchoredAfterAwait);
    await cluster().until(() => ledger.fails.length === ledger.total, 'every tree to fail downstream');
    expect(ledger.acked).toBe(0);
    expect(cluster().errorMessages()).toEqual([]);
  });

  it('with maxInFlight > 1 refuses an emit after an await without anchors, and takes explicit ones', async () => {
    const ledger = new SpoutLedger(40);
    const refusals: unknown[] = [];
    class Concurrent extends BasicBolt {
      static outputs = ['id'] as const;
      async process(tuple: Tuple): Promise<void> {
        await sleep(1);
        try {
          this.emit([tuple.get('id')]);
        } catch (error) {
          refusals.push(error);
        }
        this.emit([tuple.get('id')], { anchors: tuple });
      }
    }
    class ConcurrentEmits extends Topology {
      spout = ledgerSpout(ledger, { replay: false }).spec();
      concurrent = Concurrent.spec({ maxInFlight: 3, input: this.spout });
      rejecter = Rejecter.spec({ input: this.concurrent });
    }

    await cluster().submit(ConcurrentEmits);
    await cluster().until(() => ledger.fails.length === ledger.total, 'every tree to fail downstream');
    expect(ledger.acked).toBe(0);
    expect(refusals).toHaveLength(ledger.total);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(TopoError);
      expect((refusal as TopoError).message).toMatch(
        /^concurrent emitted after an await with [1-3] inputs in flight \(maxInFlight 3\); pass \{ anchors: tuple \} so the emit joins the right tuple tree$/,
      );
      expect((refusal as TopoError).context).toEqual({ component: 'concurrent' });
    }
  });
});
