/**
 * Chooses the target tasks of one tuple for one subscriber. Groupers return shared,
 * frozen arrays (one per single task, or all tasks) so routing allocates nothing.
 */
export interface Grouper {
  choose(values: readonly unknown[]): readonly number[];
}

/** One frozen single-element array per task, indexed like `tasks`. */
export function singletons(tasks: readonly number[]): (readonly number[])[] {
  return tasks.map((t) => Object.freeze([t]));
}
