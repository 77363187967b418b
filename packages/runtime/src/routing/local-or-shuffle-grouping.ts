import type { Grouper } from './grouper.js';
import { ShuffleGrouping } from './shuffle-grouping.js';

/** Shuffle among the subscriber's tasks in this worker when it has any, else among all. */
export class LocalOrShuffleGrouping implements Grouper {
  private readonly shuffle: ShuffleGrouping;
  constructor(tasks: readonly number[], isLocal: (task: number) => boolean) {
    const local = tasks.filter(isLocal);
    this.shuffle = new ShuffleGrouping(local.length > 0 ? local : tasks);
  }
  choose(): readonly number[] {
    return this.shuffle.choose();
  }
}
