import { BasicBolt, type Tuple } from '@topo/topology-dsl';
import { seededRandom } from '@topo/runtime';

/** What a flaky bolt did: `field` of every tuple it processed, and how many tuples it failed. */
export interface FlakyRecord<T> {
  readonly succeeded: T[];
  failures: number;
}

/**
 * A bolt class that fails a fifth of its tuples by throwing, chosen by a PRNG seeded with
 * `seed` (so a failing run can be replayed), and records `field` of the others: what the
 * spouts' retry and dead-letter tests run their sources through.
 */
export function flakyBolt<T>(seed: number, field: string) {
  const random = seededRandom(seed);
  const record: FlakyRecord<T> = { succeeded: [], failures: 0 };
  class Flaky extends BasicBolt {
    process(tuple: Tuple): void {
      if (random() < 0.2) {
        record.failures++;
        throw new Error('unlucky');
      }
      record.succeeded.push(tuple.get(field) as T);
    }
  }
  return { Flaky, record };
}
