/** Set while `taskIdsOf` runs its emit: how a collector that learns task ids later hands them over. */
let request: ((taskIds: Promise<readonly number[]>) => void) | undefined;

/**
 * The task ids an emit went to, wherever the component runs:
 *
 *     const tasks = await taskIdsOf(() => this.emit([word]));
 *
 * In the engine's own process the emit knows them at once. In a multi-lang subprocess
 * emits do not wait for them (they send `need_task_ids: false`); inside `taskIdsOf` the
 * emit asks for them and the promise resolves when the engine's reply arrives.
 */
export function taskIdsOf(emit: () => readonly number[]): Promise<readonly number[]> {
  let later: Promise<readonly number[]> | undefined;
  request = (taskIds) => (later = taskIds);
  let now: readonly number[];
  try {
    now = emit();
  } finally {
    request = undefined;
  }
  return later ?? Promise.resolve(now);
}

/** For a subprocess collector: the hand-over when the emit in progress runs inside `taskIdsOf`, else undefined. */
export function taskIdsRequest(): ((taskIds: Promise<readonly number[]>) => void) | undefined {
  const current = request;
  request = undefined;
  return current;
}
