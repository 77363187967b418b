import { BasicBolt, Topology, WindowedBolt, build, type TupleWindow } from '@topo/topology-dsl';
import { Worker } from '@topo/runtime';
import { counterSpout } from '../counter-spout.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

const PART = 'windows';
const WINDOW = 100;
const MAX_SPOUT_PENDING = 10_000;

/** Counts its inputs and emits the count every WINDOW of them, anchored to the input: the same output as the window's, without one. */
class PlainCount extends BasicBolt {
  static override outputs = ['count'] as const;
  private count = 0;
  process(): void {
    if (++this.count % WINDOW === 0) this.emit([this.count]);
  }
}

/** Emits the size of each tumbling window of WINDOW tuples, anchored (by the engine) to all of them. */
class WindowCount extends WindowedBolt {
  static override outputs = ['count'] as const;
  execute(window: TupleWindow): void {
    this.emit([window.tuples.length]);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

async function throughput(windowed: boolean, options: MeasureOptions): Promise<Figures> {
  const CounterSpout = counterSpout(true);
  class Plain extends Topology {
    spout = CounterSpout.spec();
    count = PlainCount.spec({ input: this.spout });
    sink = Sink.spec({ input: this.count });
  }
  class Windowed extends Topology {
    spout = CounterSpout.spec();
    count = WindowCount.spec({ input: this.spout, window: { length: { count: WINDOW } } });
    sink = Sink.spec({ input: this.count });
  }
  const worker = new Worker(build(windowed ? Windowed : Plain), { config: { 'topology.max.spout.pending': MAX_SPOUT_PENDING }, logger: () => {} });
  await worker.start();
  const figures = await measureWindow(options, { completed: () => worker.metrics().find((m) => m.component === 'spout')!.acked });
  await worker.stop();
  return figures;
}

export const windows: BenchPart = {
  name: PART,
  description: `What a window costs: a tracked counter through spout -> count -> sink in one process, the count emitting one tuple per ${WINDOW} inputs, either by counting them itself or through a tumbling count window of ${WINDOW} (which holds each input until the next window fires, acks it then, and anchors the window's result to all ${WINDOW}). Tuples/s is spout trees acked per second (max spout pending ${MAX_SPOUT_PENDING.toLocaleString('en')}).`,
  reference: `${PART}/plain-count`,
  targets: [{ subject: `${PART}/count-window-${WINDOW}`, peer: `${PART}/plain-count`, atLeast: 0.7 }],
  variants: [
    {
      id: `${PART}/plain-count`,
      description: `a BasicBolt counting its inputs, emitting every ${WINDOW}th count anchored to that input`,
      measure: (o) => throughput(false, o),
    },
    {
      id: `${PART}/count-window-${WINDOW}`,
      description: `a WindowedBolt with window: { length: { count: ${WINDOW} } } (tumbling), emitting each window's size`,
      measure: (o) => throughput(true, o),
    },
  ],
};
