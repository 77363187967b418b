/**
 * Picks target tasks for one tuple of a custom grouping. `targetTasks` are the
 * subscriber's task ids, sorted; return a subset of them.
 */
export type CustomGroupingFn = (values: readonly unknown[], targetTasks: readonly number[]) => readonly number[];

/** A grouping as the user declares it; `custom` carries the function, so it is not JSON. */
export type GroupingSpec =
  | { type: 'shuffle' | 'all' | 'global' | 'none' | 'direct' | 'localOrShuffle' }
  | { type: 'fields' | 'partialKey'; fields: string[] }
  | { type: 'custom'; fn: CustomGroupingFn };

/** A grouping as a TopologyDefinition stores it: plain JSON, the custom function by name. */
export type GroupingDefinition =
  | { type: 'shuffle' | 'all' | 'global' | 'none' | 'direct' | 'localOrShuffle' }
  | { type: 'fields' | 'partialKey'; fields: string[] }
  | { type: 'custom'; name: string };

export const GROUPING_TYPES = [
  'shuffle',
  'fields',
  'all',
  'global',
  'none',
  'direct',
  'localOrShuffle',
  'partialKey',
  'custom',
] as const;
