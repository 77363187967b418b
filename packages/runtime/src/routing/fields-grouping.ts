import { singletons, type Grouper } from './grouper.js';
import { hashFields } from './value-hash.js';

/** Equal values of the grouping fields always go to the same task, in every worker. */
export class FieldsGrouping implements Grouper {
  private readonly choices: (readonly number[])[];

  constructor(
    tasks: readonly number[],
    private readonly positions: readonly number[],
  ) {
    this.choices = singletons(tasks);
  }

  choose(values: readonly unknown[]): readonly number[] {
    return this.choices[(hashFields(values, this.positions) >>> 0) % this.choices.length];
  }
}
