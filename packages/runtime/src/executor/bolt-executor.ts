import { DEFAULT_STREAM, TopoError, type AnchorsLike, type Bolt, type BoltCollector, type BoltHooks, type Tuple } from '@topo/topology-dsl';
import { windowedInstance } from '../windowing/windowed-instance.js';
import { buildStreamRoutes, type StreamRoutes } from '../routing/stream-routes.js';
import { TUPLE_ACKED, TUPLE_FAILED, TUPLE_PENDING, TupleImpl } from '../tuple-impl.js';
import { anchorTo, sendFail } from './tuple-tree.js';
import { Executor, isThenable } from './executor.js';
import type { ExecutorHost } from './executor-host.js';
import { Inbox } from './inbox.js';

/** Inputs processed per slice before the scheduler moves on to the next executor. */
const BOLT_BATCH = 2048;
/**
 * Sampled inputs whose process latency (execute start to ack) is still open. An input a
 * bolt never acks would stay: past this many the table is cleared, losing a few samples
 * rather than growing.
 */
const MAX_OPEN_SAMPLES = 1024;

/** One bolt task: its instance, and the collector its emits, acks and fails go through. */
export class BoltTask implements BoltCollector {
  instance!: Bolt & BoltHooks;
  /**
   * The instance's `process`, read once after `prepare()`: reading it from the instance
   * at each input is a megamorphic load once a worker runs more than four bolt classes.
   */
  process!: Bolt['process'];
  constructor(
    private readonly executor: BoltExecutor,
    readonly task: number,
  ) {}

  emit(stream: string, values: unknown[], anchors: AnchorsLike | undefined, directTask: number | undefined): readonly number[] {
    return this.executor.emit(this, stream, values, anchors, directTask);
  }
  ack(tuple: Tuple): void {
    this.executor.ack(this, tuple as TupleImpl);
  }
  fail(tuple: Tuple): void {
    this.executor.fail(this, tuple as TupleImpl);
  }
  reportError(error: unknown): void {
    this.executor.reportError(this.task, error);
  }
}

/**
 * Runs bolt tasks: takes inputs from the receive queue, calls `process()`, and for
 * BasicBolts anchors emits to the input and acks it when `process()` returns (or its
 * promise resolves) or fails it on a throw. At most `maxInFlight` promises run at once.
 */
export class BoltExecutor extends Executor {
  readonly inbox: Inbox;
  readonly kind = 'bolt';
  /** Sampled inputs not yet acked: when their execute started. */
  private readonly openSamples = new Map<TupleImpl, number>();
  protected readonly states: BoltTask[];
  private readonly routes: Map<string, StreamRoutes>;
  private readonly defaultRoutes: StreamRoutes | undefined;
  protected readonly autoAck: boolean;
  /** Whether `deferAck` may keep acks back: a plain field test on the ack path, not a call. */
  protected defersAcks = false;
  protected readonly maxInFlight: number;
  protected inFlight = 0;
  /** The input whose `process()` is running synchronously right now. */
  private current: TupleImpl | undefined;
  /** With maxInFlight 1, the one input whose promise is pending: emits after an await anchor to it. */
  private awaiting: TupleImpl | undefined;

  constructor(worker: ExecutorHost, component: string, tasks: readonly number[]) {
    super(worker, component, tasks);
    const definition = worker.definition.components.find((c) => c.name === component)!;
    this.states = tasks.map((task) => new BoltTask(this, task));
    this.routes = buildStreamRoutes(worker.compiled, worker.layout, worker.streams, component, (t) => worker.isLocal(t));
    this.defaultRoutes = this.routes.get(DEFAULT_STREAM);
    this.autoAck = definition.autoAck === true;
    this.maxInFlight = definition.maxInFlight ?? 1;
    this.inbox = worker.createInbox();
  }

  async start(): Promise<void> {
    const config = this.worker.componentConfig(this.component);
    for (const state of this.states) {
      state.instance = windowedInstance(this.worker, this.component, this.worker.instantiate<Bolt & BoltHooks>(this.component));
      const context = this.context(state.task, config);
      state.instance.bindRuntime(state, context);
      await this.lifecycle(state.task, 'prepare', () => state.instance.prepare?.(context));
      state.process = state.instance.process;
    }
  }

  override get queued(): number {
    return this.inbox.size;
  }

  async stop(): Promise<void> {
    for (const state of this.states) {
      try {
        await state.instance.cleanup?.();
      } catch (error) {
        this.reportError(state.task, error, 'cleanup');
      }
    }
  }

  runSlice(): number {
    const inbox = this.inbox;
    let n = 0;
    while (n < BOLT_BATCH && inbox.size > 0 && this.inFlight < this.maxInFlight) {
      const state = this.states[inbox.peekTask() - this.firstTask];
      this.execute(state, inbox.shift());
      n++;
    }
    return n;
  }

  protected execute(state: BoltTask, tuple: TupleImpl): void {
    // Ticks are the engine's clock, not data: stats and observers count only data tuples.
    const stats = this.stats;
    const input = tuple.streamFields.index;
    let start = -1;
    if (input >= 0) {
      stats.executed[input]++;
      if (stats.sample()) {
        start = performance.now();
        if (this.openSamples.size >= MAX_OPEN_SAMPLES) this.openSamples.clear();
        this.openSamples.set(tuple, start);
      }
    }
    this.current = tuple;
    let result: void | Promise<void>;
    try {
      result = state.process.call(state.instance, tuple);
    } catch (error) {
      this.current = undefined;
      if (start >= 0) this.timeExecute(input, start);
      this.failOnError(state, tuple, error);
      return;
    }
    this.current = undefined;
    // The synchronous part only: an async bolt's awaits overlap, and capacity is about this thread's time.
    if (start >= 0) this.timeExecute(input, start);
    if (isThenable(result)) {
      this.inFlight++;
      if (this.maxInFlight === 1) this.awaiting = tuple;
      result.then(
        () => {
          this.settle();
          if (this.autoAck && tuple.state === TUPLE_PENDING) this.ack(state, tuple);
        },
        (error: unknown) => {
          this.settle();
          this.failOnError(state, tuple, error);
        },
      );
    } else if (this.autoAck && tuple.state === TUPLE_PENDING) {
      this.ack(state, tuple);
    }
  }

  private timeExecute(input: number, start: number): void {
    this.stats.executeMs[input] += performance.now() - start;
    this.stats.executeSamples[input]++;
  }

  private settle(): void {
    this.inFlight--;
    this.awaiting = undefined;
    this.worker.wake();
  }

  private failOnError(state: BoltTask, tuple: TupleImpl, error: unknown): void {
    this.reportError(state.task, error, 'process');
    if (tuple.state === TUPLE_PENDING) this.fail(state, tuple);
  }

  emit(state: BoltTask, stream: string, values: unknown[], anchors: AnchorsLike | undefined, directTask: number | undefined): readonly number[] {
    const routes = stream === DEFAULT_STREAM ? this.defaultRoutes : this.routes.get(stream);
    if (routes === undefined) throw this.unknownStream(stream, this.routes);
    if (values.length !== routes.fields.fields.length) throw this.wrongArity(routes, values);
    const direct = directTask !== undefined || routes.direct ? this.directTargets(routes, directTask) : undefined;
    if (anchors === undefined && this.autoAck) anchors = this.implicitAnchor();

    const targets = direct ?? routes.choose(values);

    const worker = this.worker;
    for (let i = 0; i < targets.length; i++) {
      const tuple = new TupleImpl(values, routes.fields, state.task);
      if (anchors !== undefined) {
        if (anchors instanceof TupleImpl) anchorTo(tuple, anchors, this.component);
        else for (const a of anchors as readonly Tuple[]) anchorTo(tuple, a as TupleImpl, this.component);
      }
      worker.deliver(targets[i], tuple);
    }
    const stats = this.stats;
    stats.emitted[routes.fields.index]++;
    stats.transferred[routes.fields.index] += targets.length;
    if (worker.observer !== undefined) worker.observer.emitted?.(this.component, state.task, stream, values);
    // Emits, acks and fails may come from callbacks outside any slice (I/O, timers): let the scheduler see them now.
    worker.wake();
    return targets;
  }

  protected implicitAnchor(): TupleImpl | undefined {
    if (this.current !== undefined) return this.current;
    if (this.awaiting !== undefined) return this.awaiting;
    if (this.inFlight > 0) {
      throw new TopoError(
        `${this.component} emitted after an await with ${this.inFlight} inputs in flight (maxInFlight ${this.maxInFlight}); pass { anchors: tuple } so the emit joins the right tuple tree`,
        { component: this.component },
      );
    }
    return undefined;
  }

  ack(state: BoltTask, tuple: TupleImpl): void {
    if (tuple.state !== TUPLE_PENDING) {
      this.reportError(state.task, new TopoError(`${this.component} acked a tuple from ${tuple.sourceComponent} that was already ${tuple.state === TUPLE_ACKED ? 'acked' : 'failed'}`, { component: this.component }));
      return;
    }
    tuple.state = TUPLE_ACKED;
    if (tuple.isTick()) return;
    const input = tuple.streamFields.index;
    this.stats.acked[input]++;
    if (this.openSamples.size > 0) this.closeSample(tuple, input);
    const worker = this.worker;
    worker.wake();
    if (worker.observer !== undefined) worker.observer.acked?.(this.component, state.task, tuple);
    if (this.defersAcks && this.deferAck(state, tuple)) return;
    if ((tuple.r0h | tuple.r0l) === 0) return;
    worker.ackerAck(tuple.r0h, tuple.r0l, tuple.e0h, tuple.e0l);
    const more = tuple.more;
    if (more !== null) for (let i = 0; i < more.length; i += 4) worker.ackerAck(more[i], more[i + 1], more[i + 2], more[i + 3]);
  }

  /** Keeps an acked input's ack from the ackers for now (a stateful task, until its next commit); true when it did. */
  protected deferAck(_state: BoltTask, _tuple: TupleImpl): boolean {
    return false;
  }

  /** Records a sampled input's process latency (Storm's: from its execute's start to its ack). */
  private closeSample(tuple: TupleImpl, input: number): void {
    const start = this.openSamples.get(tuple);
    if (start === undefined) return;
    this.openSamples.delete(tuple);
    this.stats.processMs[input] += performance.now() - start;
    this.stats.processSamples[input]++;
  }

  fail(state: BoltTask, tuple: TupleImpl): void {
    if (tuple.state !== TUPLE_PENDING) return;
    tuple.state = TUPLE_FAILED;
    if (tuple.isTick()) return;
    this.stats.failed[tuple.streamFields.index]++;
    if (this.openSamples.size > 0) this.openSamples.delete(tuple);
    const worker = this.worker;
    worker.wake();
    sendFail(worker, tuple);
    if (worker.observer !== undefined) worker.observer.failed?.(this.component, state.task, tuple);
  }
}
