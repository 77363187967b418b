import { CHECKPOINT_COMPONENT, CHECKPOINT_STREAM, ComponentSpec, DEFAULT_STREAM, Spout, Topology, TopoError, build, declaredStreams, type Bolt, type CheckpointAction, type Tuple, type TopologyConfig, type WindowOptions } from '@topo/topology-dsl';
import type { WindowClock } from '../windowing/clock.js';
import { silentLogger } from '../logging/logger.js';
import { Worker } from '../worker/worker.js';
import { MemoryStateProvider } from '../state/memory-state.js';
import { useStateProvider } from '../state/worker-state-provider.js';
import { fixedTuplesSpout } from './fixed-tuples-spout.js';
import { waitFor } from './wait-for.js';

/**
 * One step of a scripted test: deliver an input (and wait until the bolt has taken it),
 * or move the test's ManualClock (running the window timers that fall due on the way).
 */
export type TestBoltStep = { input: TestBoltInput } | { advanceTo: number } | { advanceBy: number } | TestBoltCheckpoint;

/** A checkpoint barrier for a StatefulBolt (what the checkpoint spout would send); the step waits until the bolt has handled it. */
export interface TestBoltCheckpoint {
  checkpoint: CheckpointAction;
  txid: number;
}

/** One input: an object by field name (`{ url: 'https://a.com' }`), or a value list in the order of the input's fields. */
export type TestBoltInput = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A clock a script can move: `ManualClock`. */
export type MovableClock = WindowClock & { advanceTo(time: number): void; advanceBy(ms: number): void };

export interface TestBoltOptions {
  /**
   * Inputs delivered to the bolt, in order, on the `default` stream of a source named
   * `input`: objects by field name, or value lists, whose field names testBolt must then
   * know (from the spec's input, or `inputFields`).
   */
  inputs?: readonly TestBoltInput[];
  /** Instead of `inputs`: inputs and clock moves, one at a time, in order. */
  steps?: readonly TestBoltStep[];
  /** Field names of value-list inputs, when the bolt is given as a class. */
  inputFields?: readonly string[];
  /** The window of a WindowedBolt, as its spec takes it (default: the spec's own, when a spec is given). */
  window?: WindowOptions;
  config?: TopologyConfig;
  /** The clock windows run on; a ManualClock for `steps` that move time. Default: the wall clock. */
  clock?: WindowClock;
  /** How long to wait for every input to be acked or failed (or taken, for a windowed bolt); default 10 s. */
  timeoutMs?: number;
  /**
   * A StatefulBolt's committed state when it starts (what `initState` gets). Its script
   * is `steps` with checkpoint steps, or by default INITSTATE -1, the inputs, PREPARE 0
   * and COMMIT 0.
   */
  state?: Readonly<Record<string, unknown>>;
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
  /** What `process()` threw or the bolt reported; TopoErrors print and serialise with their message. */
  errors: unknown[];
  /** Emits, acks and fails interleaved as they happened. */
  events: TestBoltEvent[];
  /** The bolt's own counters (`context.incrMetric`), such as the late tuples a window dropped. */
  counters: Record<string, number>;
  /**
   * Indexes of the inputs whose acks reached the acker, in order: for a StatefulBolt only
   * once a commit after them was handled (`acked` lists them when the bolt acked them).
   */
  completed: number[];
  /** A StatefulBolt's checkpoint steps and what it did with each: handled (`acked`) or refused (`failed`). */
  checkpoints: (TestBoltCheckpoint & { result: 'acked' | 'failed' })[];
  /** A StatefulBolt's state at the end, and its committed part. */
  state?: Record<string, unknown>;
  committedState?: Record<string, unknown>;
}

type BoltClass = (new () => Bolt) & typeof Bolt;

/**
 * Unit-tests one bolt with real executor semantics (auto-ack, anchoring checks, async
 * `process()`, windows): feeds it inputs and reports what it emitted, acked and failed.
 * Give the bolt as its spec in a topology (`testBolt(new UrlParser().urlBolt, ...)`) to
 * have the input's fields taken from what it is wired to, or as a class with inputs as
 * objects or with `inputFields`. A plain bolt's run ends when every input is acked or
 * failed; a windowed bolt acks inputs only as they leave its window, so its run ends when
 * it has taken every input and the script is done. With `steps`, inputs go one at a time
 * between moves of a ManualClock, so time-driven windows fire exactly where the script says.
 */
export async function testBolt(bolt: BoltClass | ComponentSpec<any>, options: TestBoltOptions): Promise<TestBoltResult> {
  const boltClass = (bolt instanceof ComponentSpec ? bolt.componentClass : bolt) as BoltClass;
  if (options.steps !== undefined && options.inputs !== undefined) throw new TopoError('testBolt: give inputs or steps, not both');
  const stateful = (boltClass as { stateful?: boolean }).stateful === true;
  const inputSteps = (options.inputs ?? []).map((input) => ({ input }));
  const steps: readonly TestBoltStep[] =
    options.steps ?? (stateful ? [{ checkpoint: 'INITSTATE', txid: -1 }, ...inputSteps, { checkpoint: 'PREPARE', txid: 0 }, { checkpoint: 'COMMIT', txid: 0 }] : inputSteps);
  if (stateful) checkStatefulScript(steps, boltClass.name);
  const given = steps.flatMap((s) => ('input' in s ? [s.input] : []));
  const fields = inputFieldsOf(bolt, boltClass.name, given, options.inputFields);
  // Fresh arrays: each input's array identifies it in the acks, even when a test repeats one.
  const inputs = given.map((input, index) => toValues(input, fields, boltClass.name, index));
  const windowed = (boltClass as { windowed?: boolean }).windowed === true;
  const window = options.window ?? (bolt instanceof ComponentSpec ? bolt.options.window : undefined);
  const oneByOne = options.steps !== undefined || windowed || stateful;
  const released: unknown[][] = [];
  const completed: number[] = [];
  const InputSpout = oneByOne ? releasedTuplesSpout(fields, released, completed) : fixedTuplesSpout({ name: 'input', outputs: fields }, inputs, { replay: false }).spoutClass;
  const spec = (boltClass as unknown as { spec(o: object): ReturnType<typeof Bolt.spec> }).spec;
  class BoltHarness extends Topology {
    input = (InputSpout as unknown as typeof Spout).spec();
    bolt = spec.call(boltClass, { input: this.input, ...(window !== undefined ? { window } : {}) });
  }
  const compiled = build(BoltHarness, { config: options.config });
  const barriers: TestBoltCheckpoint[] = [];
  const checkpoints: TestBoltResult['checkpoints'] = [];
  if (stateful) compiled.componentClasses.set(CHECKPOINT_COMPONENT, scriptedCheckpoints(barriers, checkpoints));

  const indexOf = new Map<readonly unknown[], number>(inputs.map((v, i) => [v, i]));
  const result: TestBoltResult = { emitted: [], acked: [], failed: [], errors: [], events: [], counters: {}, completed, checkpoints };
  const record = (type: 'ack' | 'fail', list: number[]) => (component: string, _task: number, tuple: Tuple) => {
    if (component !== 'bolt' || tuple.sourceStream === CHECKPOINT_STREAM) return;
    const input = indexOf.get(tuple.values) ?? -1;
    list.push(input);
    result.events.push({ type, input });
  };
  const worker = new Worker(compiled, {
    config: options.config,
    logger: silentLogger(),
    clock: options.clock,
    observer: {
      emitted(component, _task, stream, values) {
        if (component !== 'bolt' || stream === CHECKPOINT_STREAM) return;
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
  const provider = new MemoryStateProvider();
  const namespace = `bolt-${worker.layout.componentTasks.get('bolt')![0]}`;
  if (stateful) {
    useStateProvider(worker, provider);
    const state = provider.state(namespace);
    for (const [key, value] of Object.entries(options.state ?? {})) state.put(key, value);
    await state.commitNow();
  }
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
        } else if ('checkpoint' in step) {
          barriers.push(step);
          worker.wake();
          await waitFor(() => checkpoints.length >= barriers.length, `${boltClass.name} to handle ${step.checkpoint} ${step.txid}`, timeoutMs, 1);
        } else moveClock(options.clock, step);
      }
    }
    const deadline = performance.now() + timeoutMs;
    while (!windowed && !stateful && result.acked.length + result.failed.length < inputs.length) {
      if (performance.now() > deadline) {
        throw new TopoError(`testBolt: ${boltClass.name} acked or failed ${result.acked.length + result.failed.length} of ${inputs.length} inputs before the timeout`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    result.counters = { ...worker.metrics().find((m) => m.component === 'bolt')?.custom };
    await worker.stop();
  }
  if (stateful) {
    result.state = Object.fromEntries(provider.state(namespace).entries());
    result.committedState = Object.fromEntries(provider.state(namespace).committedEntries());
  }
  return result;
}

/** A StatefulBolt's spout emits nothing before the first INITSTATE, so no input may come before it. */
function checkStatefulScript(steps: readonly TestBoltStep[], boltName: string): void {
  const first = steps.findIndex((s) => 'checkpoint' in s && s.checkpoint === 'INITSTATE');
  const input = steps.findIndex((s) => 'input' in s);
  if (input >= 0 && (first < 0 || input < first)) {
    throw new TopoError(`testBolt: ${boltName} is a StatefulBolt, whose inputs come only after its first INITSTATE; put a { checkpoint: 'INITSTATE', txid: -1 } step before step ${input}`, { component: boltName });
  }
}

/** The checkpoint spout of a testBolt run: emits the script's barriers, and records whether each was handled. */
function scriptedCheckpoints(barriers: TestBoltCheckpoint[], results: TestBoltResult['checkpoints']): typeof Spout {
  let next = 0;
  return class ScriptedCheckpoints extends Spout {
    static streams = { [CHECKPOINT_STREAM]: ['txid', 'action'] };
    nextTuple(): void {
      if (next < barriers.length) {
        const i = next++;
        this.emit([barriers[i].txid, barriers[i].checkpoint], { stream: CHECKPOINT_STREAM, msgId: i });
      }
    }
    ack(i: unknown): void {
      results.push({ ...barriers[i as number], result: 'acked' });
    }
    fail(i: unknown): void {
      results.push({ ...barriers[i as number], result: 'failed' });
    }
  };
}

function moveClock(clock: WindowClock | undefined, step: { advanceTo: number } | { advanceBy: number }): void {
  const movable = clock as Partial<MovableClock> | undefined;
  if (movable?.advanceTo === undefined || movable.advanceBy === undefined) throw new TopoError('testBolt: a step that moves time needs a ManualClock as clock');
  if ('advanceTo' in step) movable.advanceTo(step.advanceTo);
  else movable.advanceBy(step.advanceBy);
}

/** A spout emitting, tracked, each value list a script pushes onto `released`. */
function releasedTuplesSpout(fields: readonly string[], released: unknown[][], completed: number[]): typeof Spout {
  let next = 0;
  return class ReleasedTuplesSpout extends Spout {
    static outputs = fields;
    nextTuple(): void {
      if (next < released.length) {
        const i = next++;
        this.emit(released[i], { msgId: i });
      }
    }
    ack(i: unknown): void {
      completed.push(i as number);
    }
  };
}

/**
 * The field names of the bolt's input: from the stream its spec is wired to, from
 * `inputFields`, or from object inputs' keys. Value lists with none of these are refused:
 * guessing names would make every `tuple.get()` throw inside the bolt, reported only
 * as failed inputs.
 */
function inputFieldsOf(bolt: BoltClass | ComponentSpec<any>, boltName: string, inputs: readonly TestBoltInput[], inputFields: readonly string[] | undefined): string[] {
  if (inputFields !== undefined) return [...inputFields];
  if (bolt instanceof ComponentSpec) {
    const [input] = bolt.inputDeclarations(boltName);
    if (input === undefined) throw new TopoError(`testBolt: the spec of ${boltName} has no input to take field names from; pass inputFields`, { component: boltName });
    const stream = declaredStreams(input.source.componentClass)[input.stream];
    if (stream !== undefined) return stream.fields;
    throw new TopoError(`testBolt: ${boltName}'s input ${input.source.componentClass.name} declares no stream ${input.stream}; pass inputFields`, { component: boltName, stream: input.stream });
  }
  const first = inputs[0];
  if (first === undefined || Array.isArray(first)) {
    throw new TopoError(
      `testBolt: ${boltName} gets its inputs as value lists, so it needs their field names: pass inputFields: [...], ` +
        `give inputs as objects ({ field: value }), or pass the bolt's spec from its topology (testBolt(new MyTopology().${lowerFirst(boltName)}, ...))`,
      { component: boltName },
    );
  }
  return Object.keys(first);
}

function toValues(input: TestBoltInput, fields: readonly string[], boltName: string, index: number): unknown[] {
  if (Array.isArray(input)) {
    if (input.length !== fields.length) {
      throw new TopoError(`testBolt: input ${index} of ${boltName} has ${input.length} values for ${fields.length} fields (${fields.join(', ')})`, { component: boltName, stream: DEFAULT_STREAM });
    }
    return [...input];
  }
  const record = input as Readonly<Record<string, unknown>>;
  const unknown = Object.keys(record).filter((key) => !fields.includes(key));
  const missing = fields.filter((field) => !(field in record));
  if (unknown.length > 0 || missing.length > 0) {
    const problems = [...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...(unknown.length > 0 ? [`unknown ${unknown.join(', ')}`] : [])];
    throw new TopoError(`testBolt: input ${index} of ${boltName}: ${problems.join('; ')} (the input's fields: ${fields.join(', ')})`, { component: boltName, field: [...missing, ...unknown][0] });
  }
  return fields.map((field) => record[field]);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
