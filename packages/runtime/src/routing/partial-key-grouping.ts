import { singletons, type Grouper } from './grouper.js';
import { hashFields } from './value-hash.js';

/**
 * Storm's partial key grouping: each key has two candidate tasks (two hashes) and goes
 * to whichever this emitter has sent less to, so a hot key is split over two tasks.
 */
export class PartialKeyGrouping implements Grouper {
  private readonly choices: (readonly number[])[];
  private readonly sent: Float64Array;

  constructor(
    tasks: readonly number[],
    private readonly positions: readonly number[],
  ) {
    this.choices = singletons(tasks);
    this.sent = new Float64Array(tasks.length);
  }

  choose(values: readonly unknown[]): readonly number[] {
    const h = hashFields(values, this.positions);
    const n = this.choices.length;
    const first = (h >>> 0) % n;
    const second = (Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0) % n;
    const pick = this.sent[first] <= this.sent[second] ? first : second;
    this.sent[pick]++;
    return this.choices[pick];
  }
}
