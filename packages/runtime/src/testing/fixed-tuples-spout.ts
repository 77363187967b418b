import { Spout, type ComponentClassInfo } from '@topo/topology-dsl';

export interface FixedTuplesOptions {
  /** Emit a failed tuple again (else it counts as finished). */
  replay: boolean;
  stream?: string;
  /**
   * Make the spout rewindable (SpoutHooks.position/rewind): its position is how many of
   * its tuples it has emitted in order, and a rewind goes back there, forgetting replays.
   */
  rewindable?: boolean;
}

/** How far a fixed spout got: `finished` counts distinct tuples acked (or, without replay, acked or failed). */
export interface FixedTuplesProgress {
  finished: number;
  total: number;
}

/**
 * A spout class that emits the given value lists once each, tracked (msgId = index), split
 * over its tasks by index; with `replay` a failed tuple is emitted again. `progress` tells
 * when every tuple has been acked. With `rewindable` it takes part in checkpoints.
 */
export function fixedTuplesSpout(
  original: ComponentClassInfo,
  tuples: readonly unknown[][],
  options: FixedTuplesOptions,
): { spoutClass: ComponentClassInfo & (new () => Spout); progress: FixedTuplesProgress } {
  const done = new Set<number>();
  const progress = {
    get finished() {
      return done.size;
    },
    total: tuples.length,
  };
  class FixedTuplesSpout extends Spout {
    static outputs = original.outputs ?? [];
    static streams = original.streams ?? {};
    /** This task's tuple indexes, in emit order. */
    protected mine: number[] = [];
    /** How many of `mine` were emitted in order. */
    protected next = 0;
    protected replays: number[] = [];

    open(): void {
      const { taskIndex, componentTasks } = this.context;
      for (let i = taskIndex; i < tuples.length; i += componentTasks.length) this.mine.push(i);
    }
    nextTuple(): void {
      const i = this.replays.shift() ?? this.mine[this.next++];
      if (i === undefined) {
        this.next = this.mine.length;
        this.markDone();
        return;
      }
      this.emit(tuples[i], { msgId: i, stream: options.stream });
    }
    ack(msgId: unknown): void {
      done.add(msgId as number);
    }
    fail(msgId: unknown): void {
      if (options.replay) this.replays.push(msgId as number);
      else done.add(msgId as number);
    }
  }
  class RewindableFixedTuplesSpout extends FixedTuplesSpout {
    position(): number {
      return this.next;
    }
    rewind(position: unknown): void {
      this.next = typeof position === 'number' ? position : 0;
      this.replays = [];
    }
  }
  const spoutClass = options.rewindable === true ? RewindableFixedTuplesSpout : FixedTuplesSpout;
  Object.defineProperty(spoutClass, 'name', { value: `Fixed(${original.name})` });
  return { spoutClass, progress };
}
