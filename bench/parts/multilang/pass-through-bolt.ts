import { BasicBolt, type Tuple } from '@topo/topology-dsl';

/** Emits each input unchanged, anchored to it, and acks it: the multi-lang bench's bolt. */
export class PassThroughBolt extends BasicBolt {
  static outputs = ['n'] as const;

  process(tuple: Tuple): void {
    this.emit(tuple.values as unknown[]);
  }
}
