import { Spout, Topology, TopoError, build, type Bolt, type Tuple, type TopologyConfig, type WindowOptions } from '@topo/topology-dsl';
import type { WindowClock } from '../windowing/clock.js';
import { Worker } from '../worker/worker.js';
import { fixedTuplesSpout } from './fixed-tuples-spout.js';
import { waitFor } from './wait-for.js';

/**
 * One step of a scripted test: deliver an input (and wait until the bolt has taken it),
 * or move the test's ManualClock (running the window timers that fall due on the way).
 */
export type TestBoltStep = { input: unknown[] } | { advanceTo: number } | { advanceBy: number };

/** A clock a script can move: `ManualClock`. */
export type MovableClock = WindowClock & { advanceTo(time: number): void; advanceBy(ms: number): void };

export interface TestBoltOptions {
  /** Value lists delivered to the bolt, in order, on the `default` stream of a source named `input`. */
  inputs?: unknown[][];
  /** Instead of `inputs`: inputs and clock moves, one at a time, in order. */
  steps?: TestBoltStep[];
  /** Field names of those inputs; default `field0`, `field1`, ... */
  inputFields?: string[];
  /** The window of a WindowedBolt, as its spec takes it. */
  window?: WindowOptions;
  config?: TopologyConfig;
  /** The clock windows run on; a ManualClock for `steps` that move time. Default: the wall clock. */
  clock?: WindowClock;
  /** How long to wait for every input to be acked or failed (or taken, for a windowed bolt); default 10 s. */
  timeoutMs?: number;
}

export interface TestBoltEmit {
  stream: string;
  values: unknown[];
}

/** What happened, in order: emits, and acks and fails by input index. */
export type TestBoltEvent = ({ type: 'emit' } & TestBoltEmit) | { type: 'ack' | 'fail'; input: number };

export interface TestBoltResult {
  emitted: TestBoltEmit[];
  /** Indexes into the inputs (`inputs`, or the input steps in order) of the tuples the bolt acked, in ack order. */
  acked: number[];
  /** Indexes into the inputs of the tuples the bolt failed, in fail order. */
  failed: number[];
  errors: unknown[];
  /** Emits, acks and fails interleaved as they happened. */
  events: TestBoltEvent[];
  /** The bolt's own counters (`context.incrMetric`), such as the late tuples a window dropped. */
  counters: Record<string, number>;
}

/**
 * Unit-tests one bolt class with real executor semantics (auto-ack, anchoring checks,
 * async `process()`, windows): feeds it inputs and reports what it emitted, acked and
 * failed. A plain bolt's run ends when every input is acked or failed; a windowed bolt
 * acks inputs only as they leave its window, so its run ends when it has taken every
 * input and the script is done. With `steps`, inputs go one at a time between moves of
 * a ManualClock, so time-driven windows fire exactly where the script says.
 */
export async function testBolt(boltClass: (new () => Bolt) & typeof Bolt, options: TestBoltOptions): Promise<TestBoltResult> {
  if (options.steps !== undefined && options.inputs !== undefined) throw new TopoError('testBolt: give inputs or steps, not both');
  const steps: TestBoltStep[] = options.steps ?? (options.inputs ?? []).map((input) => ({ input }));
  // Copies: each input's array identifies it in the acks, even when a test repeats one.
  const inputs = steps.flatMap((s) => ('input' in s ? [[...s.input]] : []));
  const width = inputs.reduce((n, v) => Math.max(n, v.length), 0);
  const fields = options.inputFields ?? Array.from({ length: width }, (_, i) => `field${i}`);
  const windowed = (boltClass as { windowed?: boolean }).windowed === true;
  const oneByOne = options.steps !== undefined || windowed;
  const released: unknown[][] = [];
  const InputSpout = oneByOne ? releasedTuplesSpout(fields, released) : fixedTuplesSpout({ name: 'input', outputs: fields }, inputs, { replay: false }).spoutClass;
  const spec = (boltClass as unknown as { spec(o: object): ReturnType<typeof Bolt.spec> }).spec;
  class BoltHarness extends Topology {
    input = (InputSpout as unknown as typeof Spout).spec();
    bolt = spec.call(boltClass, { input: this.input, ...(options.window !== undefined ? { window: options.window } : {}) });
  }
  const compiled = build(BoltHarness, { config: options.config });

  const indexOf = new Map<readonly unknown[], number>(inputs.map((v, i) => [v, i]));
  const result: TestBoltResult = { emitted: [], acked: [], failed: [], errors: [], events: [], counters: {} };
  const record = (type: 'ack' | 'fail', list: number[]) => (component: string, _task: number, tuple: Tuple) => {
    if (component !== 'bolt') return;
    const input = indexOf.get(tuple.values) ?? -1;
    list.push(input);
    result.events.push({ type, input });
  };
  const worker = new Worker(compiled, {
    config: options.config,
    logger: () => {},
    clock: options.clock,
    observer: {
      emitted(component, _task, stream, values) {
        if (component !== 'bolt') return;
        result.emitted.push({ stream, values: [...values] });
        result.events.push({ type: 'emit', stream, values: [...values] });
      },
      acked: record('ack', result.acked),
      failed: record('fail', result.failed),
      error(component, _task, error) {
        if (component === 'bolt') result.errors.push(error);
      },
    },
  });
  await worker.start();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const executed = () => worker.metrics().find((m) => m.component === 'bolt')?.executed ?? 0;
  try {
    if (oneByOne) {
      let delivered = 0;
      for (const step of steps) {
        if ('input' in step) {
          released.push(inputs[delivered++]);
          worker.wake();
          await waitFor(() => executed() >= delivered, `${boltClass.name} to take input ${delivered - 1}`, timeoutMs, 1);
        } else moveClock(options.clock, step);
      }
    }
    const deadline = performance.now() + timeoutMs;
    while (!windowed && result.acked.length + result.failed.length < inputs.length) {
      if (performance.now() > deadline) {
        throw new TopoError(`testBolt: ${boltClass.name} acked or failed ${result.acked.length + result.failed.length} of ${inputs.length} inputs before the timeout`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    result.counters = { ...worker.metrics().find((m) => m.component === 'bolt')?.custom };
    await worker.stop();
  }
  return result;
}

function moveClock(clock: WindowClock | undefined, step: { advanceTo: number } | { advanceBy: number }): void {
  const movable = clock as Partial<MovableClock> | undefined;
  if (movable?.advanceTo === undefined || movable.advanceBy === undefined) throw new TopoError('testBolt: a step that moves time needs a ManualClock as clock');
  if ('advanceTo' in step) movable.advanceTo(step.advanceTo);
  else movable.advanceBy(step.advanceBy);
}

/** A spout emitting, tracked, each value list a script pushes onto `released`. */
function releasedTuplesSpout(fields: string[], released: unknown[][]): typeof Spout {
  let next = 0;
  return class ReleasedTuplesSpout extends Spout {
    static override outputs = fields;
    nextTuple(): void {
      if (next < released.length) {
        const i = next++;
        this.emit(released[i], { msgId: i });
      }
    }
  };
}
