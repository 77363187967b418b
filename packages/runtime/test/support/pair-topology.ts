import { BasicBolt, Spout, Topology, type Tuple } from '@topo/topology-dsl';

/** A spout that emits nothing and a bolt (p 2) that subscribes to it: the smallest topology to split over two workers. */
class Numbers extends Spout {
  static outputs = ['n'] as const;
  nextTuple(): void {}
}

class Pass extends BasicBolt {
  process(_tuple: Tuple): void {}
}

export class Pair extends Topology {
  numbers = Numbers.spec();
  pass = Pass.spec({ p: 2, input: this.numbers });
}
