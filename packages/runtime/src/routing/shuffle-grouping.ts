import { singletons, type Grouper } from './grouper.js';

/** Storm's shuffle: round-robin over a randomly ordered list of the tasks, so the split is even. */
export class ShuffleGrouping implements Grouper {
  private readonly choices: (readonly number[])[];
  private next = 0;

  constructor(tasks: readonly number[]) {
    this.choices = singletons(tasks);
    for (let i = this.choices.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [this.choices[i], this.choices[j]] = [this.choices[j], this.choices[i]];
    }
  }

  choose(): readonly number[] {
    const choice = this.choices[this.next];
    this.next = this.next + 1 === this.choices.length ? 0 : this.next + 1;
    return choice;
  }
}
