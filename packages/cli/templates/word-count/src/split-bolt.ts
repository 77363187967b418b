import { BasicBolt, type TupleOf } from '@topo/topology-dsl';
import type { LinesSpout } from './lines-spout.js';

/** Splits a line into lower-case words (letters, digits and apostrophes). */
export class SplitBolt extends BasicBolt {
  static outputs = ['word'] as const;
  declare static fieldTypes: { word: string };

  process(tuple: TupleOf<typeof LinesSpout>): void {
    // BasicBolt anchors each emit to the input and acks the input when process() returns.
    for (const word of tuple.get('line').toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) {
      this.emit([word]);
    }
  }
}
