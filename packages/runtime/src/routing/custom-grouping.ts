import { TopoError, type CustomGroupingFn } from '@topo/topology-dsl';
import type { Grouper } from './grouper.js';

/** The user's function picks the tasks; what it returns is checked against the subscriber's tasks. */
export class CustomGrouping implements Grouper {
  private readonly allowed: Set<number>;
  private readonly tasks: readonly number[];

  constructor(
    tasks: readonly number[],
    private readonly fn: CustomGroupingFn,
    private readonly name: string,
  ) {
    this.tasks = [...tasks];
    this.allowed = new Set(tasks);
  }

  choose(values: readonly unknown[]): readonly number[] {
    const chosen = this.fn(values, this.tasks);
    for (const task of chosen) {
      if (!this.allowed.has(task)) {
        throw new TopoError(`custom grouping ${this.name} chose task ${task}, which is not one of [${this.tasks.join(', ')}]`, { grouping: this.name, task });
      }
    }
    return chosen;
  }
}
