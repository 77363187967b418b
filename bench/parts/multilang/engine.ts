import { Worker, silentLogger } from '@topo/runtime';
import { ShellBolt } from '@topo/multilang';
import { Topology, build } from '@topo/topology-dsl';
import { counterSpout } from '../../counter-spout.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { measureWindow } from '../../window.js';
import { childCpuSeconds } from '../../machine.js';
import type { PassThroughCommand } from './subprocess-commands.js';

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
  // The subprocess gets as many tuples in flight as the direct driver gives it (Storm's default is 100).
  const worker = new Worker(build(PassThrough), { config: { 'topology.max.spout.pending': window, 'topology.shellbolt.max.pending': window }, logger: silentLogger() });
  await worker.start();
  const counted = tracked ? 'counter' : 'passThrough';
  const figures = await measureWindow(options, {
    completed: () => worker.metrics().find((m) => m.component === counted)!.acked,
    helperCpuSeconds: () => childCpuSeconds(process.pid),
  });
  await worker.stop();
  return figures;
}
