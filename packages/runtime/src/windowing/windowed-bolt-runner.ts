import {
  Bolt,
  TopoError,
  type AnchorsLike,
  type BoltCollector,
  type BoltHooks,
  type TimestampExtractor,
  type TopologyContext,
  type Tuple,
  type TupleWindow,
  type WindowedBolt,
  type WindowSettings,
} from '@topo/topology-dsl';
import type { WindowClock } from './clock.js';
import { installPolicies } from './window-policies.js';
import { WatermarkGenerator } from './watermark-generator.js';
import { WindowManager, type WindowListener } from './window-manager.js';

/** What a runner needs from the engine to run one windowed bolt task. */
export interface WindowedBoltSetup {
  settings: WindowSettings;
  /** The spec's extractor function, when `window.timestamp` was one. */
  extractor: TimestampExtractor | undefined;
  clock: WindowClock;
  /** Distinct (component, stream) inputs: the watermark waits for each. */
  inputStreams: number;
}

/** The counter (in the component's metrics) of late tuples dropped because the window names no late stream. */
export const LATE_DROPPED_METRIC = 'window-late-tuples-dropped';

/**
 * Storm's WindowedBoltExecutor for one task, as a plain bolt the executor runs: it queues
 * each input in a window manager, acks inputs when they leave the window, and calls the
 * user's `execute(window)` with an emit path that anchors to the window's tuples.
 *
 * Everything runs on the event loop: timer firings (time triggers, watermarks) run the
 * same code as inputs and never interleave with one. An `execute` that returns a promise
 * holds the window: later evaluations queue behind it, expiry acks wait for it (so its
 * emits may still anchor to its tuples), and `process()` returns it, so the executor
 * feeds no further input until it settles.
 */
export class WindowedBoltRunner extends Bolt implements WindowListener<Tuple> {
  private readonly manager = new WindowManager<Tuple>(this);
  private readonly watermarks: WatermarkGenerator | undefined;
  private readonly timestampOf: ((tuple: Tuple) => number) | undefined;
  private collector!: BoltCollector;
  private taskContext!: TopologyContext;
  private cancelWatermarks: (() => void) | undefined;
  /** Anchors of an emit without explicit ones: the tuples of the window being evaluated. */
  private anchors: readonly Tuple[] | undefined;
  /** The evaluation in progress (async execute) and those queued behind it. */
  private inFlight: Promise<void> | undefined;
  private deferredAcks: Tuple[] = [];
  private readonly stampsTime: boolean;

  constructor(
    private readonly user: WindowedBolt,
    private readonly setup: WindowedBoltSetup,
  ) {
    super();
    const { settings } = setup;
    this.stampsTime = 'ms' in settings.length;
    if (settings.timestamp !== undefined) {
      this.timestampOf = this.extractorFor(settings.timestamp, setup.extractor);
      this.watermarks = new WatermarkGenerator(setup.inputStreams, settings.lagMs, (ts) => this.manager.addWatermark(ts));
    }
  }

  override bindRuntime(collector: BoltCollector, context: TopologyContext): void {
    this.collector = collector;
    this.taskContext = context;
    super.bindRuntime(collector, context);
    this.user.bindRuntime(this.userCollector, context);
  }

  async prepare(context: TopologyContext): Promise<void> {
    await (this.user as WindowedBolt & BoltHooks).prepare?.(context);
    const { clock, settings } = this.setup;
    installPolicies(this.manager, settings, clock, (fire) => this.serialize(fire), (message) => context.log('warn', message));
    const watermarks = this.watermarks;
    if (watermarks !== undefined) this.cancelWatermarks = clock.every(settings.watermarkIntervalMs, () => this.serialize(() => watermarks.tick()));
    this.manager.trigger.start();
  }

  async cleanup(): Promise<void> {
    this.cancelWatermarks?.();
    this.manager.trigger.shutdown();
    await this.inFlight;
    await (this.user as WindowedBolt & BoltHooks).cleanup?.();
  }

  override process(tuple: Tuple): void | Promise<void> {
    if (tuple.isTick()) {
      this.collector.ack(tuple);
      return;
    }
    const watermarks = this.watermarks;
    // Only duration lengths read processing time; count windows skip the clock read, a tenth of their cost.
    if (watermarks === undefined) this.manager.add(tuple, this.stampsTime ? this.setup.clock.now() : 0);
    else {
      const ts = this.timestampOf!(tuple);
      if (watermarks.track(`${tuple.sourceComponent}\u0000${tuple.sourceStream}`, ts)) this.manager.add(tuple, ts);
      else this.late(tuple);
    }
    return this.inFlight;
  }

  private late(tuple: Tuple): void {
    const stream = this.setup.settings.lateStream;
    if (stream !== undefined) {
      // A plain copy, not the tuple: it may cross to another worker (Storm's STORM-4000).
      const detached = { sourceComponent: tuple.sourceComponent, sourceTask: tuple.sourceTask, sourceStream: tuple.sourceStream, fields: [...tuple.fields], values: [...tuple.values] };
      this.collector.emit(stream, [detached], tuple, undefined);
    } else this.taskContext.incrMetric(LATE_DROPPED_METRIC);
    this.collector.ack(tuple);
  }

  /** Runs a timer's work now, or after the evaluation in progress. */
  private serialize(fire: () => void): void {
    if (this.inFlight === undefined) fire();
    else this.hold(this.inFlight.then(fire));
  }

  onExpired(tuple: Tuple): void {
    if (this.inFlight !== undefined) this.deferredAcks.push(tuple);
    else this.collector.ack(tuple);
  }

  onActivation(tuples: Tuple[], newTuples: Tuple[], expiredTuples: Tuple[], end: number): void {
    const length = this.setup.settings.length;
    const window: TupleWindow = { tuples, newTuples, expiredTuples, start: 'ms' in length ? end - length.ms : undefined, end };
    if (this.inFlight !== undefined) {
      this.hold(this.inFlight.then(() => this.evaluate(window)));
      return;
    }
    const pending = this.evaluate(window);
    if (pending !== undefined) this.hold(pending);
  }

  /** Calls the user's execute; a throw is reported, and the window's tuples are still acked when they expire. */
  private evaluate(window: TupleWindow): Promise<void> | undefined {
    this.anchors = window.tuples;
    let result: void | Promise<void>;
    try {
      result = this.user.execute(window);
    } catch (error) {
      this.anchors = undefined;
      this.collector.reportError(error);
      return undefined;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') {
      this.anchors = undefined;
      return undefined;
    }
    return Promise.resolve(result).then(
      () => {
        this.anchors = undefined;
      },
      (error: unknown) => {
        this.anchors = undefined;
        this.collector.reportError(error);
      },
    );
  }

  private hold(pending: Promise<void>): void {
    this.inFlight = pending;
    void pending.then(() => {
      if (this.inFlight !== pending) return;
      this.inFlight = undefined;
      const acks = this.deferredAcks;
      this.deferredAcks = [];
      for (const tuple of acks) this.collector.ack(tuple);
    });
  }

  /** What the user's bolt emits through: the executor's collector, anchoring to the window when no anchors are given. */
  private readonly userCollector: BoltCollector = {
    emit: (stream: string, values: unknown[], anchors: AnchorsLike | undefined, directTask: number | undefined) => this.collector.emit(stream, values, anchors ?? this.anchors, directTask),
    ack: (tuple: Tuple) => this.collector.ack(tuple),
    fail: (tuple: Tuple) => this.collector.fail(tuple),
    reportError: (error: unknown) => this.collector.reportError(error),
  };

  private extractorFor(timestamp: NonNullable<WindowSettings['timestamp']>, extractor: TimestampExtractor | undefined): (tuple: Tuple) => number {
    const component = () => this.taskContext.componentId;
    if ('field' in timestamp) {
      const field = timestamp.field;
      return (tuple) => {
        const index = tuple.fields.indexOf(field);
        const ts = index < 0 ? undefined : tuple.values[index];
        if (typeof ts !== 'number' || !Number.isFinite(ts)) {
          const got = index < 0 ? `has no field ${field} (fields: ${tuple.fields.join(', ')})` : `has ${JSON.stringify(ts)} in field ${field}, not a number of ms`;
          throw new TopoError(`${component()}: window event time: a tuple from ${tuple.sourceComponent} on stream ${tuple.sourceStream} ${got}`, { component: component(), stream: tuple.sourceStream, field });
        }
        return ts;
      };
    }
    if (extractor === undefined) throw new TopoError('the window uses a timestamp extractor, but the topology module gave none', {});
    return (tuple) => {
      const ts = extractor(tuple);
      if (typeof ts !== 'number' || !Number.isFinite(ts)) {
        throw new TopoError(`${component()}: window event time: the timestamp extractor returned ${JSON.stringify(ts)} for a tuple from ${tuple.sourceComponent} on stream ${tuple.sourceStream}, not a number of ms`, { component: component(), stream: tuple.sourceStream });
      }
      return ts;
    };
  }
}
