import type { Grouper } from './grouper.js';

/** Every tuple goes to the subscriber's lowest task id. */
export class GlobalGrouping implements Grouper {
  private readonly target: readonly number[];
  constructor(tasks: readonly number[]) {
    this.target = [Math.min(...tasks)];
  }
  choose(): readonly number[] {
    return this.target;
  }
}
