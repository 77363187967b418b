import { Worker } from '@topo/runtime';
import { ShellBolt } from '@topo/multilang';
import { Topology, build } from '@topo/topology-dsl';
import { counterSpout } from '/work/main/bench/counter-spout.js';
import { childCpuSeconds } from '/work/main/bench/parts/multilang/child-cpu.js';
import { tsPassThrough } from '/work/main/bench/parts/multilang/subprocess-commands.js';
const [ser, maxPending, spoutPending, trackedArg] = process.argv.slice(2);
const tracked = trackedArg === 'tracked';
const bolt = tsPassThrough(ser as 'json' | 'msgpack');
const CounterSpout = counterSpout(tracked);
class PassThrough extends Topology {
  counter = CounterSpout.spec();
  passThrough = ShellBolt.spec({ ...bolt, outputs: ['n'], input: this.counter });
}
const worker = new Worker(build(PassThrough), { config: { 'topology.max.spout.pending': Number(spoutPending), 'topology.shellbolt.max.pending': Number(maxPending) }, logger: () => {} });
await worker.start();
const counted = tracked ? 'counter' : 'passThrough';
const acked = () => worker.metrics().find((m) => m.component === counted)!.acked;
await new Promise((r) => setTimeout(r, 1500));
const a0 = acked(); const c0 = process.cpuUsage(); const k0 = childCpuSeconds(process.pid);
await new Promise((r) => setTimeout(r, 3000));
const c1 = process.cpuUsage(c0); const k1 = childCpuSeconds(process.pid) - k0;
const n = acked() - a0; console.log(ser, trackedArg, Math.round(n / 3), 'tuples/s; parent µs/tuple', ((c1.user + c1.system) / n).toFixed(2), 'child cores', (k1 / 3).toFixed(2));
await worker.stop();
process.exit(0);
