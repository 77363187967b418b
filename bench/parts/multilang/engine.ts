import { Worker } from '@topo/runtime';
import { ShellBolt } from '@topo/multilang';
import { Spout, Topology, build } from '@topo/topology-dsl';
import type { Figures, MeasureOptions } from '../../part.js';
import { measureWindow } from '../../window.js';
import { childCpuSeconds } from './child-cpu.js';
import type { PassThroughCommand } from './subprocess-commands.js';

function counterSpout(tracked: boolean) {
  return class CounterSpout extends Spout {
    static override outputs = ['n'] as const;
    private n = 0;
    nextTuple(): void {
      const n = this.n++;
      this.emit([n], tracked ? { msgId: n } : undefined);
    }
  };
}

/**
 * Spout -> ShellBolt running `bolt`. Tracked: every tree goes through the acker, `window`
 * of them in flight (max spout pending), and tuples/s counts trees acked. Untracked: the
 * same work as the direct driver (write tuples, read the subprocess's acks), held back
 * by the ShellBolt's pending bound and backpressure, and tuples/s counts the inputs the
 * subprocess acked.
 */
export async function throughEngine(bolt: PassThroughCommand, tracked: boolean, window: number, options: MeasureOptions): Promise<Figures> {
  const CounterSpout = counterSpout(tracked);
  class PassThrough extends Topology {
    counter = CounterSpout.spec();
    passThrough = ShellBolt.spec({ ...bolt, outputs: ['n'], input: this.counter });
  }
  const worker = new Worker(build(PassThrough), { config: { 'topology.max.spout.pending': window }, logger: () => {} });
  await worker.start();
  const counted = tracked ? 'counter' : 'passThrough';
  const figures = await measureWindow(options, {
    completed: () => worker.metrics().find((m) => m.component === counted)!.acked,
    helperCpuSeconds: () => childCpuSeconds(process.pid),
  });
  await worker.stop();
  return figures;
}
