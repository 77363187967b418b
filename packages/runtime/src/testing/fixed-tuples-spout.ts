import { Spout, type ComponentClassInfo } from '@topo/topology-dsl';

/**
 * A spout class that emits the given value lists once each, tracked, split over its
 * tasks by index; with `replay` a failed tuple is emitted again. `done` tells when every
 * tuple has been acked (or, without replay, acked or failed).
 */
export function fixedTuplesSpout(
  original: ComponentClassInfo,
  tuples: readonly unknown[][],
  options: { replay: boolean; stream?: string },
): { spoutClass: ComponentClassInfo & (new () => Spout); progress: { finished: number; total: number } } {
  const progress = { finished: 0, total: tuples.length };
  class FixedTuplesSpout extends Spout {
    static outputs = original.outputs ?? [];
    static streams = original.streams ?? {};
    private queue: number[] = [];

    open(): void {
      const { taskIndex, componentTasks } = this.context;
      for (let i = taskIndex; i < tuples.length; i += componentTasks.length) this.queue.push(i);
    }
    nextTuple(): void {
      const i = this.queue.shift();
      if (i !== undefined) this.emit(tuples[i], { msgId: i, stream: options.stream });
    }
    ack(): void {
      progress.finished++;
    }
    fail(msgId: unknown): void {
      if (options.replay) this.queue.push(msgId as number);
      else progress.finished++;
    }
  }
  Object.defineProperty(FixedTuplesSpout, 'name', { value: `Fixed(${original.name})` });
  return { spoutClass: FixedTuplesSpout, progress };
}
