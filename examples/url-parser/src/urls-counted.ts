import type { Tuple } from '@topo/topology-dsl';

/** How many URLs an input to a count bolt stands for: a tally's partial `count`, or the one URL it carries. */
export function urlsCounted(tuple: Tuple): number {
  return tuple.fields.includes('count') ? (tuple.get('count') as number) : 1;
}
