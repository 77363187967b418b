import { BasicBolt, type Tuple } from '@topo/topology-dsl';

/**
 * Counts words. Its input is grouped by `word`, so every occurrence of a word reaches
 * the same task and that task's count is the word's total.
 */
export class CountBolt extends BasicBolt {
  static override outputs = ['word', 'count'] as const;

  private readonly counts = new Map<string, number>();

  override process(tuple: Tuple): void {
    const word = String(tuple.get('word'));
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    this.emit([word, count]);
  }
}
