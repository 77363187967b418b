import { BasicBolt, Bolt, Topology, build, type Tuple } from '@topo/topology-dsl';
import { Worker } from '@topo/runtime';
import { counterSpout } from '../counter-spout.js';
import { histogramSince, latencyFigures } from '../latency-figures.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

class Relay extends BasicBolt {
  static outputs = ['n'] as const;
  process(tuple: Tuple): void {
    this.emit([tuple.values[0]]);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

/** Never acks, so every tree stays pending: used to weigh the acker's table. */
class Holder extends Bolt {
  private readonly held: Tuple[] = [];
  process(tuple: Tuple): void {
    this.held.push(tuple);
  }
}

async function throughput(tracked: boolean, options: MeasureOptions): Promise<Figures> {
  const CounterSpout = counterSpout(tracked);
  class Chain extends Topology {
    spout = CounterSpout.spec();
    relay = Relay.spec({ input: this.spout });
    sink = Sink.spec({ input: this.relay });
  }
  const worker = new Worker(build(Chain), { config: { 'topology.max.spout.pending': 10_000 }, logger: () => {} });
  await worker.start();
  const count = () => worker.metrics().find((m) => m.component === (tracked ? 'spout' : 'sink'))!;
  let before = worker.completeLatency();
  const figures = await measureWindow(options, {
    completed: () => (tracked ? count().acked : count().executed),
    windowOpened: () => (before = worker.completeLatency()),
  });
  const latency = histogramSince(before, worker.completeLatency());
  await worker.stop();
  return tracked ? { ...figures, ...latencyFigures(latency) } : figures;
}

async function trackingBytes(options: MeasureOptions): Promise<Figures> {
  const trees = options.quick ? 20_000 : 1_000_000;
  const CounterSpout = counterSpout(true);
  class Held extends Topology {
    spout = CounterSpout.spec();
    holder = Holder.spec({ input: this.spout });
  }
  const worker = new Worker(build(Held), { config: { 'topology.max.spout.pending': trees }, logger: () => {} });
  await worker.start();
  while (worker.trackingMemory().trees < trees) await new Promise((r) => setTimeout(r, 10));
  const { bytes, trees: pending } = worker.trackingMemory();
  await worker.stop();
  return { pendingTrees: pending, trackingBytesPerTree: bytes / pending };
}

export const inProcessChain: BenchPart = {
  name: 'in-process-chain',
  description: "The engine's own overhead: a counter through spout -> bolt -> bolt with no work in the bolts.",
  variants: [
    {
      id: 'in-process-chain/acked',
      description: 'spout -> bolt -> bolt in one process, every tree acked (max spout pending 10,000)',
      measure: (o) => throughput(true, o),
    },
    {
      id: 'in-process-chain/unacked',
      description: 'spout -> bolt -> bolt in one process, untracked tuples',
      measure: (o) => throughput(false, o),
    },
    {
      id: 'in-process-chain/tracking-memory',
      description: "bytes per pending tree of the tables that track trees (the spout's pending table, which also holds each tree's XOR when its worker has an acker, and the acker's table) with 1,000,000 trees pending",
      measure: trackingBytes,
    },
  ],
};
