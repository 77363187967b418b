import type { Grouper } from './grouper.js';

/** Every task of the subscriber gets every tuple. */
export class AllGrouping implements Grouper {
  private readonly tasks: readonly number[];
  constructor(tasks: readonly number[]) {
    this.tasks = [...tasks];
  }
  choose(): readonly number[] {
    return this.tasks;
  }
}
