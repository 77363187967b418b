import { StatefulBolt, type KeyValueState, type Tuple } from '@topo/topology-dsl';

/**
 * Counts the `word` field of its inputs in its checkpointed state and emits nothing: the
 * stateful word count of the state tests, the crash fixtures and the bench, whose
 * committed state is the answer they check.
 */
export class StatefulWordCounter extends StatefulBolt<number> {
  static outputs = [] as const;
  private counts!: KeyValueState<number>;

  initState(state: KeyValueState<number>): void {
    this.counts = state;
  }

  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    this.counts.put(word, (this.counts.get(word) ?? 0) + 1);
  }
}
