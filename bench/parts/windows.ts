import { BasicBolt, Topology, WindowedBolt, build, type TupleWindow } from '@topo/topology-dsl';
import { silentLogger, Worker } from '@topo/runtime';
import { counterSpout } from '../counter-spout.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

const PART = 'windows';
const WINDOW = 100;
const MAX_SPOUT_PENDING = 10_000;

/** Storm's plain count (its word count's CountBolt): emits the running count for each input, anchored to it. */
class PlainCount extends BasicBolt {
  static outputs = ['count'] as const;
  private count = 0;
  process(): void {
    this.emit([++this.count]);
  }
}

/** Counts its inputs and emits the count every WINDOW of them, anchored to that input: the window's output without a window. */
class CountEvery extends BasicBolt {
  static outputs = ['count'] as const;
  private count = 0;
  process(): void {
    if (++this.count % WINDOW === 0) this.emit([this.count]);
  }
}

/** Emits the size of each tumbling window of WINDOW tuples, anchored (by the engine) to all of them. */
class WindowCount extends WindowedBolt {
  static outputs = ['count'] as const;
  execute(window: TupleWindow): void {
    this.emit([window.tuples.length]);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

async function throughput(count: 'plain' | 'every' | 'window', options: MeasureOptions): Promise<Figures> {
  const CounterSpout = counterSpout(true);
  class Plain extends Topology {
    spout = CounterSpout.spec();
    count = PlainCount.spec({ input: this.spout });
    sink = Sink.spec({ input: this.count });
  }
  class Every extends Topology {
    spout = CounterSpout.spec();
    count = CountEvery.spec({ input: this.spout });
    sink = Sink.spec({ input: this.count });
  }
  class Windowed extends Topology {
    spout = CounterSpout.spec();
    count = WindowCount.spec({ input: this.spout, window: { length: { count: WINDOW } } });
    sink = Sink.spec({ input: this.count });
  }
  const worker = new Worker(build(count === 'window' ? Windowed : count === 'every' ? Every : Plain), { config: { 'topology.max.spout.pending': MAX_SPOUT_PENDING }, logger: silentLogger() });
  await worker.start();
  const figures = await measureWindow(options, { completed: () => worker.metrics().find((m) => m.component === 'spout')!.acked });
  await worker.stop();
  return figures;
}

export const windows: BenchPart = {
  name: PART,
  description: `What a window costs: a tracked counter through spout -> count -> sink in one process, the count being a plain count (Storm's CountBolt: the running count for each input), the same count emitting once per ${WINDOW} inputs, or a tumbling count window of ${WINDOW} emitting its size (it holds each input until the next window fires, acks it then, and anchors the result to all ${WINDOW}: one more acker message and edge per input than the count that emits every ${WINDOW}th). Tuples/s is spout trees acked per second (max spout pending ${MAX_SPOUT_PENDING.toLocaleString('en')}).`,
  reference: `${PART}/count-window-${WINDOW}`,
  targets: [
    { subject: `${PART}/count-window-${WINDOW}`, peer: `${PART}/plain-count`, atLeast: 0.7 },
    { subject: `${PART}/count-window-${WINDOW}`, peer: `${PART}/count-every-${WINDOW}`, atLeast: 0.7 },
  ],
  variants: [
    {
      id: `${PART}/plain-count`,
      description: 'a BasicBolt counting its inputs and emitting the running count for each, anchored to it (the target\'s plain count)',
      measure: (o) => throughput('plain', o),
    },
    {
      id: `${PART}/count-every-${WINDOW}`,
      description: `a BasicBolt counting its inputs and emitting every ${WINDOW}th count, anchored to that input: the window's output without the window`,
      measure: (o) => throughput('every', o),
    },
    {
      id: `${PART}/count-window-${WINDOW}`,
      description: `a WindowedBolt with window: { length: { count: ${WINDOW} } } (tumbling), emitting each window's size`,
      measure: (o) => throughput('window', o),
    },
  ],
};
