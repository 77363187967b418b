import { BasicBolt, type TupleOf } from '@topo/topology-dsl';
import type { SplitBolt } from './split-bolt.js';

/**
 * Counts words. Its input is grouped by `word`, so every occurrence of a word reaches
 * the same task and that task's count is the word's total.
 */
export class CountBolt extends BasicBolt {
  static outputs = ['word', 'count'] as const;
  declare static fieldTypes: { word: string; count: number };

  private readonly counts = new Map<string, number>();

  process(tuple: TupleOf<typeof SplitBolt>): void {
    const word = tuple.get('word');
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    this.emit([word, count]);
  }
}
