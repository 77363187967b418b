import { describe, expect, it } from 'vitest';
import { BasicBolt, Topology, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();
const HOLD_MS = 10;

/**
 * Holds each tuple for HOLD_MS by the clock the engine reads, so every tree takes at least
 * that long. A single setTimeout would not do: Node counts its delay from the event loop's
 * cached time, which may be earlier than the call, so it can fire a little early.
 */
class Holding extends BasicBolt {
  async process(): Promise<void> {
    const until = performance.now() + HOLD_MS;
    while (performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function run(trees: number, config: TopologyConfig, hold: boolean) {
  const ledger = new SpoutLedger(trees);
  class Pass extends BasicBolt {
    static outputs = ['id'] as const;
    process(tuple: Tuple): void {
      this.emit([tuple.get('id')]);
    }
  }
  class Timed extends Topology {
    static config = config;
    spout = ledgerSpout(ledger, { replay: false }).spec();
    pass = Pass.spec({ input: this.spout });
    sink = (hold ? Holding : Pass).spec({ input: this.pass });
  }
  const worker = await cluster().submit(Timed);
  await cluster().until(() => ledger.complete(), 'every msgId acked');
  return worker.completeLatency();
}

describe('complete latency', () => {
  it('samples one tree in round(1 / topology.stats.sample.rate), 0.05 by default as in Storm', async () => {
    expect((await run(400, {}, false)).count).toBe(20);
  });

  it('times every tree at topology.stats.sample.rate 1', async () => {
    expect((await run(400, { 'topology.stats.sample.rate': 1 }, false)).count).toBe(400);
  });

  it('runs from the emit to the last ack: never shorter than a bolt holds the tuple', async () => {
    const latency = await run(20, { 'topology.stats.sample.rate': 1 }, true);
    expect(latency.count).toBe(20);
    expect(latency.percentile(0)).toBeGreaterThanOrEqual(HOLD_MS * 1000 * 0.95);
  });
});
