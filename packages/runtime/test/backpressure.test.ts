import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, DEFAULT_CONFIG, Spout, Topology, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

/**
 * Runs an untracked firehose spout through a relay into a bolt that sleeps 1 ms every
 * `sleepEvery` tuples, until that bolt has executed `until`; returns the largest backlog
 * (emitted, not yet executed) seen. Only backpressure can hold the spout.
 */
async function largestBacklog(config: TopologyConfig, sleepEvery: number, until: number): Promise<number> {
  let emitted = 0;
  let executed = 0;
  let maxBacklog = 0;
  class Firehose extends Spout {
    static outputs = ['n'] as const;
    nextTuple(): void {
      this.emit([emitted++]);
      maxBacklog = Math.max(maxBacklog, emitted - executed);
    }
  }
  class Relay extends BasicBolt {
    static outputs = ['n'] as const;
    process(tuple: Tuple): void {
      this.emit([tuple.get('n')]);
    }
  }
  class Slow extends BasicBolt {
    async process(): Promise<void> {
      if (++executed % sleepEvery === 0) await sleep(1);
    }
  }
  class SlowConsumer extends Topology {
    static config = config;
    firehose = Firehose.spec();
    relay = Relay.spec({ input: this.firehose });
    slow = Slow.spec({ input: this.relay });
  }
  const worker = await cluster().submit(SlowConsumer);
  const bufferKey = 'topology.executor.receive.buffer.size';
  expect(worker.config[bufferKey]).toBe(config[bufferKey] ?? DEFAULT_CONFIG[bufferKey]);
  await cluster().until(() => executed >= until, 'the slow bolt to work through several queues');
  expect(cluster().errorMessages()).toEqual([]);
  return maxBacklog;
}

describe('backpressure', () => {
  it('pauses a spout in front of a slow bolt, so the backlog stays within a few receive buffers', async () => {
    const buffer = 64;
    const backlog = await largestBacklog({ 'topology.executor.receive.buffer.size': buffer }, 1, 400);
    expect(backlog).toBeGreaterThanOrEqual(buffer);
    expect(backlog).toBeLessThanOrEqual(4 * buffer);
  });

  it("holds back its own worker's spouts at a short queue even with Storm's large receive buffer", async () => {
    expect(DEFAULT_CONFIG['topology.executor.receive.buffer.size']).toBe(32768);
    const backlog = await largestBacklog({}, 8, 8_000);
    // Held at 1,024 queued (plus a spout turn in the relay's queue), not at the 32,768 a peer may send.
    expect(backlog).toBeGreaterThanOrEqual(1024);
    expect(backlog).toBeLessThanOrEqual(2 * 1024);
  });

  it('runs a cycle under tiny queues to completion without deadlock', async () => {
    const ledger = new SpoutLedger(2000);
    const laps = 5;
    let loopExecuted = 0;

    /** Sends an id around the cycle until it has done its laps. */
    class Loop extends Bolt {
      static outputs = ['id', 'lap'] as const;
      process(tuple: Tuple): void {
        loopExecuted++;
        const lap = tuple.sourceComponent === 'spout' ? 0 : (tuple.get('lap') as number);
        if (lap < laps) this.emit([tuple.get('id'), lap], { anchors: tuple });
        this.ack(tuple);
      }
    }
    class Echo extends BasicBolt {
      static outputs = ['id', 'lap'] as const;
      process(tuple: Tuple): void {
        this.emit([tuple.get('id'), (tuple.get('lap') as number) + 1]);
      }
    }
    class Cycle extends Topology {
      static config = { 'topology.executor.receive.buffer.size': 16 };
      spout = ledgerSpout(ledger, { replay: true }).spec();
      loop = Loop.spec({ p: 2, input: this.spout.fields('id') });
      echo = Echo.spec({ p: 2, input: this.loop.fields('id') });
      constructor() {
        super();
        this.loop.addInput(this.echo.fields('id'));
      }
    }

    const worker = await cluster().submit(Cycle);
    expect(worker.definition.components.find((c) => c.name === 'loop')!.inputs.map((i) => i.component)).toEqual(['spout', 'echo']);
    await cluster().until(() => ledger.complete(), 'every id acked after its laps');
    expect(ledger.fails).toEqual([]);
    expect(ledger.duplicateAcks()).toEqual([]);
    expect(loopExecuted).toBe(ledger.total * (laps + 1));
    expect(cluster().errorMessages()).toEqual([]);
  });
});
