/**
 * Chooses the target tasks of one tuple for one subscriber. Groupers return shared
 * arrays (one per single task, or all tasks) so routing allocates nothing; `emit` hands
 * them to user code as `readonly number[]`. Not frozen: V8 reads a frozen array's
 * elements through an inline-cache call, which cost 2% of the url-parser's instructions.
 */
export interface Grouper {
  choose(values: readonly unknown[]): readonly number[];
}

/** One single-element array per task, indexed like `tasks`. */
export function singletons(tasks: readonly number[]): (readonly number[])[] {
  return tasks.map((t) => [t]);
}
