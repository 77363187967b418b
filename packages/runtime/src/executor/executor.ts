import { TopoError, type TopologyContext, type TopologyConfig, type LogLevel } from '@topo/topology-dsl';
import type { ErrorSource } from '../errors/error-record.js';
import type { ErrorThrottle } from '../errors/error-throttle.js';
import { ExecutorStats } from '../stats/executor-stats.js';
import type { StreamRoutes } from '../routing/stream-routes.js';
import type { ExecutorHost } from './executor-host.js';

/**
 * Runs the tasks of one component that share a receive queue. The worker's scheduler
 * calls `runSlice()` in turn on each executor; nothing blocks the event loop for long.
 */
export abstract class Executor {
  readonly stats: ExecutorStats;
  readonly firstTask: number;
  abstract readonly kind: 'spout' | 'bolt' | 'acker';
  /** Storm's error throttle is per executor: one task throwing cannot hide its siblings' errors in another executor. */
  private readonly throttle: ErrorThrottle;

  constructor(
    readonly worker: ExecutorHost,
    readonly component: string,
    readonly tasks: readonly number[],
  ) {
    this.firstTask = tasks[0];
    this.throttle = worker.errors.throttleFor(component, this.firstTask, worker.componentConfig(component));
    this.stats = new ExecutorStats(worker.streams.byIndex.length, Number(worker.componentConfig(component)['topology.stats.sample.rate']));
  }

  /** Trees (or acker entries) in flight now. */
  get pending(): number {
    return 0;
  }

  /** Tuples waiting in the receive queue now. */
  get queued(): number {
    return 0;
  }

  /** Spout tasks that said they have nothing more to emit (see Spout.markDone). */
  get doneTasks(): number {
    return 0;
  }

  /**
   * A connection to another worker of the topology closed (the worker died, or the link
   * broke): tuples it had received may never be processed, without any tree failing yet.
   */
  peerLost(): void {}

  /** Opens or prepares every task. */
  abstract start(): Promise<void>;
  /** Does up to one slice of work; returns how much was done (0 = idle). */
  abstract runSlice(): number;
  /** Closes or cleans up every task. */
  abstract stop(): Promise<void>;

  protected context(task: number, config: TopologyConfig): TopologyContext {
    const worker = this.worker;
    const component = this.component;
    const componentTasks = worker.layout.componentTasks.get(component) ?? [];
    const logger = worker.taskLogger(component, task);
    return {
      topologyName: worker.definition.name,
      componentId: component,
      taskId: task,
      taskIndex: componentTasks.indexOf(task),
      componentTasks,
      tasksOf: (other: string) => worker.layout.componentTasks.get(other) ?? [],
      config,
      log: (level: LogLevel, message: string) => logger[level](message),
      incrMetric: (name: string, amount = 1) => this.stats.incrCustom(name, amount),
      definition: worker.definition,
    };
  }

  /** Runs a lifecycle hook (open, prepare), naming the component and task if it throws; the error is reported (logged and kept) too. */
  protected async lifecycle(task: number, hook: 'open' | 'prepare', fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.reportError(task, error, hook);
      const message = error instanceof Error ? error.message : String(error);
      throw new TopoError(`${this.component} (task ${task}): ${hook}() failed: ${message}`, { component: this.component, task, cause: error });
    }
  }

  /**
   * An error of one task: a throw the engine caught in `source`, or one the component
   * reported. Always counted; logged with its stack and kept as the throttle allows.
   */
  reportError(task: number, error: unknown, source: ErrorSource = 'reportError'): void {
    this.stats.errors++;
    if (!this.worker.errors.report(this.throttle, task, source, error)) this.stats.errorsThrottled++;
    this.worker.observer?.error?.(this.component, task, error);
  }

  protected unknownStream(stream: string, routes: Map<string, StreamRoutes>): TopoError {
    return new TopoError(
      `${this.component} emitted on stream ${stream}, which it does not declare (declared: ${[...routes.keys()].join(', ')})`,
      { component: this.component, stream },
    );
  }

  protected wrongArity(routes: StreamRoutes, values: readonly unknown[]): TopoError {
    return new TopoError(
      `${this.component} emitted ${values.length} values on stream ${routes.fields.stream}, which declares ${routes.fields.fields.length} fields (${routes.fields.fields.join(', ')})`,
      { component: this.component, stream: routes.fields.stream },
    );
  }

  protected directTargets(routes: StreamRoutes, directTask: number | undefined): readonly number[] | undefined {
    if (directTask === undefined) {
      if (routes.direct) {
        throw new TopoError(`${this.component} emitted on direct stream ${routes.fields.stream} without a task; use emitDirect`, {
          component: this.component,
          stream: routes.fields.stream,
        });
      }
      return undefined;
    }
    if (!routes.direct) {
      throw new TopoError(`${this.component} used emitDirect on stream ${routes.fields.stream}, which is not declared direct`, {
        component: this.component,
        stream: routes.fields.stream,
      });
    }
    const target = routes.directTasks.get(directTask);
    if (target === undefined) {
      throw new TopoError(
        `${this.component} emitted directly to task ${directTask}, which does not subscribe to stream ${routes.fields.stream} with a direct grouping (subscribers: ${[...routes.directTasks.keys()].join(', ') || 'none'})`,
        { component: this.component, stream: routes.fields.stream, task: directTask },
      );
    }
    return target;
  }
}

/** True for a promise or any thenable a user's method returned. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== undefined && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
