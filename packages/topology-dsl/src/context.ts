import type { TopologyConfig } from './config.js';
import type { TopologyDefinition } from './definition.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** What a task knows about where it runs, handed to `open()` / `prepare()`. */
export interface TopologyContext {
  readonly topologyName: string;
  readonly componentId: string;
  readonly taskId: number;
  /** This task's index among its component's tasks, from 0. */
  readonly taskIndex: number;
  /** Every task id of this component, sorted. */
  readonly componentTasks: readonly number[];
  /** Task ids of any component, sorted; empty for unknown components. */
  tasksOf(componentId: string): readonly number[];
  /** Topology config merged with this component's. */
  readonly config: Readonly<TopologyConfig>;
  log(level: LogLevel, message: string): void;
  /** Adds `amount` (default 1) to this component's counter `name`, reported with its metrics. */
  incrMetric(name: string, amount?: number): void;
  /**
   * The whole topology as plain JSON, where the engine has it; absent in a component
   * that runs as a multi-lang subprocess, which only learns its own neighbourhood.
   */
  readonly definition?: TopologyDefinition;
}

/** The engine side of a spout's emits; the runtime provides it. */
export interface SpoutCollector {
  emit(stream: string, values: unknown[], msgId: unknown, directTask: number | undefined): readonly number[];
  reportError(error: unknown): void;
  /** The spout has nothing more to emit until a tree fails (see Spout.done). */
  done(): void;
}

/** The engine side of a bolt's emits, acks and fails; the runtime provides it. */
export interface BoltCollector {
  emit(
    stream: string,
    values: unknown[],
    anchors: AnchorsLike | undefined,
    directTask: number | undefined,
  ): readonly number[];
  ack(tuple: import('./tuple.js').Tuple): void;
  fail(tuple: import('./tuple.js').Tuple): void;
  reportError(error: unknown): void;
}

export type AnchorsLike = import('./tuple.js').Tuple | readonly import('./tuple.js').Tuple[];
