import { BasicBolt, Spout, Topology, type Tuple } from '@topo/topology-dsl';

/**
 * The cross-worker bench topology. Round-robin placement after the ackers puts `sink`
 * (sorted first) in worker-001 and `spout` in worker-002, so every tuple crosses.
 * `bench.rate` caps the spout's emits per second (0: as fast as it can); `bench.work`
 * is how many rounds of hashing `sink` does per tuple (0: none).
 */
class CounterSpout extends Spout {
  static outputs = ['n', 'payload'] as const;
  private n = 0;
  private rate = 0;
  private startedAt = 0;

  open(): void {
    this.rate = Number(this.context.config['bench.rate'] ?? 0);
  }

  nextTuple(): void {
    if (this.rate > 0) {
      if (this.startedAt === 0) this.startedAt = performance.now();
      const allowed = ((performance.now() - this.startedAt) / 1000) * this.rate;
      if (this.n >= allowed) return;
    }
    const n = this.n++;
    this.emit([n, 'https://example.com/a/b?c=d'], { msgId: n });
  }
}

class Sink extends BasicBolt {
  private work = 0;
  private checksum = 0;

  prepare(): void {
    this.work = Number(this.context.config['bench.work'] ?? 0);
  }

  process(tuple: Tuple): void {
    let h = tuple.values[0] as number;
    for (let i = 0; i < this.work; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i;
    this.checksum ^= h;
  }
}

/** Every tuple crosses from worker-002 (spout) to worker-001 (sink). */
export class CrossWorker extends Topology {
  static config = { 'topology.max.spout.pending': 20_000 };
  spout = CounterSpout.spec();
  sink = Sink.spec({ input: this.spout });
}

/**
 * CPU-bound: each tuple costs `bench.work` hash rounds in `sink`. Two spout and two sink
 * executors, shuffle-grouped, so with two workers each holds a spout and a sink and half
 * the tuples cross between them; with one worker all four share its thread.
 */
export class CpuBound extends Topology {
  static config = { 'topology.max.spout.pending': 2_000 };
  spout = CounterSpout.spec({ p: 2 });
  sink = Sink.spec({ p: 2, input: this.spout });
}
