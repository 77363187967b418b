import { BasicBolt, type Tuple } from '@topo/topology-dsl';

/** Splits a line into lower-case words (letters, digits and apostrophes). */
export class SplitBolt extends BasicBolt {
  static override outputs = ['word'] as const;

  override process(tuple: Tuple): void {
    // BasicBolt anchors each emit to the input and acks the input when process() returns.
    for (const word of String(tuple.get('line')).toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) {
      this.emit([word]);
    }
  }
}
