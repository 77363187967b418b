import { scaledMs } from './time-scale.js';
import type { Spout, TopologyConfig, TopologyContext } from '@topo/topology-dsl';

export interface SpoutEmit {
  values: unknown[];
  msgId: unknown;
}

/**
 * One spout task driven the way a spout executor drives it (open, then `nextTuple` calls,
 * each awaited), its emits recorded: for tests of what a spout emits after `rewind`,
 * which need to stop it at an exact point rather than at a topology's pace.
 */
export class SpoutHarness<S extends Spout> {
  readonly emitted: SpoutEmit[] = [];

  constructor(
    readonly spout: S,
    config: TopologyConfig,
    task: { topologyName: string; componentId: string } = { topologyName: 'rewind', componentId: 'source' },
  ) {
    const context: TopologyContext = {
      ...task,
      taskId: 1,
      taskIndex: 0,
      componentTasks: [1],
      tasksOf: () => [1],
      config,
      log: () => {},
      incrMetric: () => {},
    };
    spout.bindRuntime(
      {
        emit: (_stream, values, msgId) => {
          this.emitted.push({ values, msgId });
          return [];
        },
        reportError: (error) => {
          throw error;
        },
        markDone: () => {},
      },
      context,
    );
  }

  /** Calls `nextTuple` until `n` more tuples were emitted; fails after a (scaled) deadline. */
  async take(n: number): Promise<SpoutEmit[]> {
    const start = this.emitted.length;
    const deadline = performance.now() + scaledMs(10_000);
    while (this.emitted.length < start + n) {
      if (performance.now() > deadline) throw new Error(`spout emitted ${this.emitted.length - start} of ${n} tuples`);
      await this.spout.nextTuple();
    }
    return this.emitted.slice(start);
  }

  /** Calls `nextTuple` `calls` times and returns what that emitted (nothing, for a source at its end). */
  async poll(calls: number): Promise<SpoutEmit[]> {
    const start = this.emitted.length;
    for (let i = 0; i < calls; i++) await this.spout.nextTuple();
    return this.emitted.slice(start);
  }
}
