import { readFileSync } from 'node:fs';
import { Spout } from '@topo/topology-dsl';

/** The text the topology counts: a file next to `src/`, one tuple per non-empty line. */
export const LINES_FILE = new URL('../data/lines.txt', import.meta.url);

/**
 * Emits each line of `LINES_FILE` once, with its line number as msgId so the engine
 * tracks the tuple tree it starts; a failed (or timed-out) line is emitted again. With
 * every line out it says `markDone()`: `topo run` ends once the last tree is acked.
 */
export class LinesSpout extends Spout {
  static outputs = ['line'] as const;
  declare static fieldTypes: { line: string };

  private lines: string[] = [];
  private next = 0;
  private readonly replays: number[] = [];

  open(): void {
    this.lines = readFileSync(LINES_FILE, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  }

  nextTuple(): void {
    const index = this.replays.shift() ?? (this.next < this.lines.length ? this.next++ : undefined);
    if (index === undefined) this.markDone();
    else this.emit([this.lines[index]], { msgId: index });
  }

  fail(msgId: unknown): void {
    this.replays.push(msgId as number);
  }
}
