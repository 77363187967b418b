import { ACKER_COMPONENT, TopoError, type TopologyDefinition } from '@topo/topology-dsl';
import { ACK_INIT, ACK_LOST, ACKER_RECORD_WIDTH, RESULT_ACK, RESULT_LOST, RESULT_RECORD_WIDTH } from '../acker/acker-messages.js';
import { ackerIndexOf } from '../acker/tree-slots.js';
import type { StreamCatalog } from '../routing/stream-catalog.js';
import { TUPLE_INTS, type IncomingBatch } from '../transport/outgoing-batch.js';
import { TupleImpl } from '../tuple-impl.js';
import type { ExecutorSpec, TaskLayout } from './task-layout.js';

/** Where the messages of a batch go: the worker's delivery by task id. */
export interface BatchTarget {
  deliver(task: number, tuple: TupleImpl): void;
  toAcker(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void;
  ackerResult(spoutTask: number, result: number, rootHi: number, rootLo: number): void;
  wake(): void;
}

/**
 * Batches from the other workers of the topology. Each is checked whole against this
 * worker's own tables before any of it is delivered: a record naming a stream, task or
 * acker that cannot be meant for this worker would otherwise surface later, inside an
 * executor, where it could stop the worker. The tables are typed arrays indexed by task
 * id and stream index, built once, so the check costs a few integer compares a record.
 */
export class PeerBatches {
  /** Task id -> index of its component, or -1 (index 0 unused: task ids start at 1). */
  private readonly taskComponent: Int32Array;
  /** Task id -> component index when the task is a bolt task of this worker (or a spout task taking checkpoint barriers), else -1. */
  private readonly localBolt: Int32Array;
  private readonly localSpout: Uint8Array;
  /** Spout tasks of the topology, in any worker: acker inits name one. */
  private readonly anySpout: Uint8Array;
  /** Stream index -> the component that declares it, and its field count. */
  private readonly streamOwner: Int32Array;
  private readonly streamWidth: Int32Array;
  /** `[stream * components + component]`: 1 when that component subscribes to that stream. */
  private readonly subscribed: Uint8Array;
  /** Acker index -> 1 when that acker task runs in this worker. */
  private readonly localAcker: Uint8Array;
  private readonly componentNames: string[];

  constructor(
    private readonly target: BatchTarget,
    definition: TopologyDefinition,
    layout: TaskLayout,
    private readonly streams: StreamCatalog,
    /** This worker's executors. */
    executors: readonly ExecutorSpec[],
  ) {
    this.componentNames = [...definition.components.map((c) => c.name), ACKER_COMPONENT];
    const componentIndex = new Map(this.componentNames.map((name, i) => [name, i]));
    const kinds = new Map(definition.components.map((c) => [c.name, c.kind]));
    const receivers = new Set(definition.components.filter((c) => c.inputs.length > 0).map((c) => c.name));
    const taskIds = Object.keys(layout.taskComponent).map(Number);
    const size = taskIds.reduce((max, task) => Math.max(max, task), 0) + 1;
    this.taskComponent = new Int32Array(size).fill(-1);
    this.anySpout = new Uint8Array(size);
    for (const task of taskIds) {
      const component = layout.taskComponent[task];
      this.taskComponent[task] = componentIndex.get(component) ?? -1;
      if (kinds.get(component) === 'spout') this.anySpout[task] = 1;
    }
    this.localBolt = new Int32Array(size).fill(-1);
    this.localSpout = new Uint8Array(size);
    const localAckers = new Set<number>();
    for (const spec of executors) {
      for (const task of spec.tasks) {
        if (spec.component === ACKER_COMPONENT) localAckers.add(task);
        else if (kinds.get(spec.component) === 'spout') {
          this.localSpout[task] = 1;
          if (receivers.has(spec.component)) this.localBolt[task] = componentIndex.get(spec.component)!;
        } else this.localBolt[task] = componentIndex.get(spec.component)!;
      }
    }
    this.localAcker = Uint8Array.from(layout.ackerTasks, (task) => (localAckers.has(task) ? 1 : 0));

    const byIndex = streams.byIndex;
    this.streamOwner = Int32Array.from(byIndex, (s) => componentIndex.get(s.component)!);
    this.streamWidth = Int32Array.from(byIndex, (s) => s.fields.length);
    const components = this.componentNames.length;
    this.subscribed = new Uint8Array(byIndex.length * components);
    for (const component of definition.components) {
      for (const input of component.inputs) {
        const stream = streams.get(input.component, input.stream);
        if (stream !== undefined) this.subscribed[stream.index * components + componentIndex.get(component.name)!] = 1;
      }
    }
  }

  /** Checks a batch from a peer and delivers it: tuples into local queues, acker traffic to local ackers, verdicts to local spouts. */
  receive(batch: IncomingBatch): void {
    // Thrown to the transport, which closes the link and logs why.
    const problem = this.problem(batch);
    if (problem !== undefined) throw new TopoError(`refused its batch: ${problem}`);
    const catalog = this.streams.byIndex;
    const { ints, values, extraRoots } = batch;
    const target = this.target;
    let at = 0;
    let extra = 0;
    for (let t = 0; t < batch.tuples; t++, at += TUPLE_INTS) {
      const tuple = new TupleImpl(values[t], catalog[ints[at + 2]], ints[at + 1]);
      tuple.r0h = ints[at + 3];
      tuple.r0l = ints[at + 4];
      tuple.e0h = ints[at + 5];
      tuple.e0l = ints[at + 6];
      // Extra roots (tuples of several trees) are listed by ascending tuple index.
      if (extra < extraRoots.length && extraRoots[extra] === t) {
        tuple.more = extraRoots[extra + 1] as number[];
        extra += 2;
      }
      target.deliver(ints[at], tuple);
    }
    for (let m = 0; m < batch.acker; m++, at += ACKER_RECORD_WIDTH) target.toAcker(ints[at], ints[at + 1], ints[at + 2], ints[at + 3], ints[at + 4], ints[at + 5]);
    for (let r = 0; r < batch.results; r++, at += RESULT_RECORD_WIDTH) target.ackerResult(ints[at], ints[at + 1], ints[at + 2], ints[at + 3]);
    target.wake();
  }

  /** What in the batch cannot be meant for this worker, or undefined when every record can. */
  private problem(batch: IncomingBatch): string | undefined {
    const tuple = this.firstBadTuple(batch.ints, batch.values, batch.tuples);
    if (tuple >= 0) return this.tupleProblem(batch, tuple);
    const extra = extraRootsProblem(batch);
    if (extra !== undefined) return extra;
    const ackerAt = batch.tuples * TUPLE_INTS;
    const message = this.firstBadAckerMessage(batch.ints, ackerAt, batch.acker);
    if (message >= 0) return this.ackerMessageProblem(batch.ints, ackerAt + message * ACKER_RECORD_WIDTH, message);
    const resultAt = ackerAt + batch.acker * ACKER_RECORD_WIDTH;
    const verdict = this.firstBadVerdict(batch.ints, resultAt, batch.results);
    if (verdict >= 0) return this.verdictProblem(batch.ints, resultAt + verdict * RESULT_RECORD_WIDTH, verdict);
    return undefined;
  }

  // The hot checks only find the first bad record; the *Problem methods say what is wrong with it.
  // `x >>> 0 >= n` checks both ends at once: a negative index becomes a huge one.

  private firstBadTuple(ints: Int32Array, values: unknown[][], tuples: number): number {
    const { localBolt, taskComponent, streamOwner, streamWidth, subscribed } = this;
    const tasks = taskComponent.length;
    const streamCount = streamOwner.length;
    const components = this.componentNames.length;
    for (let t = 0, at = 0; t < tuples; t++, at += TUPLE_INTS) {
      const dest = ints[at];
      const source = ints[at + 1];
      const stream = ints[at + 2];
      if (stream >>> 0 >= streamCount || dest >>> 0 >= tasks || source >>> 0 >= tasks) return t;
      const component = localBolt[dest];
      if (component < 0 || subscribed[stream * components + component] === 0 || taskComponent[source] !== streamOwner[stream]) return t;
      const tupleValues = values[t];
      if (!Array.isArray(tupleValues) || tupleValues.length !== streamWidth[stream]) return t;
    }
    return -1;
  }

  private tupleProblem(batch: IncomingBatch, t: number): string {
    const at = t * TUPLE_INTS;
    const [dest, source, stream] = batch.ints.subarray(at, at + 3);
    if (stream >>> 0 >= this.streamOwner.length) return `tuple ${t} names stream index ${stream}; the topology's streams are 0..${this.streamOwner.length - 1}`;
    const component = dest >>> 0 < this.localBolt.length ? this.localBolt[dest] : -1;
    const streamName = this.streamName(stream);
    if (component < 0) return `tuple ${t} is addressed to task ${dest}, which is not a bolt task of this worker`;
    const owner = this.componentNames[this.streamOwner[stream]];
    if (this.subscribed[stream * this.componentNames.length + component] === 0) return `tuple ${t} is on ${streamName}, to which ${this.componentNames[component]} (task ${dest}) does not subscribe`;
    if (source >>> 0 >= this.taskComponent.length || this.taskComponent[source] !== this.streamOwner[stream]) return `tuple ${t} on ${streamName} comes from task ${source}, which is not a task of ${owner}`;
    const values = batch.values[t];
    const width = this.streamWidth[stream];
    return `tuple ${t} on ${streamName} has ${Array.isArray(values) ? `${values.length} values` : 'values that are not a list'}; the stream has ${width} field${width === 1 ? '' : 's'}`;
  }

  private firstBadAckerMessage(ints: Int32Array, at: number, count: number): number {
    const { localAcker, anySpout } = this;
    const ackers = localAcker.length;
    const tasks = anySpout.length;
    for (let m = 0; m < count; m++, at += ACKER_RECORD_WIDTH) {
      const type = ints[at];
      // The types are ACK_INIT..ACK_LOST (acker/acker-messages.ts).
      if (type < ACK_INIT || type > ACK_LOST || ackers === 0 || localAcker[ackerIndexOf(ints[at + 2], ackers)] === 0) return m;
      const spout = ints[at + 5];
      if (type === ACK_INIT && (spout >>> 0 >= tasks || anySpout[spout] === 0)) return m;
    }
    return -1;
  }

  private ackerMessageProblem(ints: Int32Array, at: number, m: number): string {
    const type = ints[at];
    if (type < ACK_INIT || type > ACK_LOST) return `acker message ${m} has type ${type}`;
    const ackers = this.localAcker.length;
    if (ackers === 0) return `acker message ${m} arrived, but this topology runs no ackers`;
    const acker = ackerIndexOf(ints[at + 2], ackers);
    if (this.localAcker[acker] === 0) return `acker message ${m} is for acker ${acker} of ${ackers}, which does not run in this worker`;
    return `acker message ${m} starts a tree of task ${ints[at + 5]}, which is not a spout task`;
  }

  private firstBadVerdict(ints: Int32Array, at: number, count: number): number {
    const localSpout = this.localSpout;
    const tasks = localSpout.length;
    for (let r = 0; r < count; r++, at += RESULT_RECORD_WIDTH) {
      const spout = ints[at];
      const result = ints[at + 1];
      // The verdicts are RESULT_ACK..RESULT_LOST.
      if (spout >>> 0 >= tasks || localSpout[spout] === 0 || result < RESULT_ACK || result > RESULT_LOST) return r;
    }
    return -1;
  }

  private verdictProblem(ints: Int32Array, at: number, r: number): string {
    const spout = ints[at];
    if (spout >>> 0 >= this.localSpout.length || this.localSpout[spout] === 0) return `verdict ${r} is for task ${spout}, which is not a spout task of this worker`;
    return `verdict ${r} has result ${ints[at + 1]}`;
  }

  private streamName(index: number): string {
    const stream = this.streams.byIndex[index];
    return `stream ${stream.stream} of ${stream.component}`;
  }
}

/** Extra roots are `[tuple index, [rootHi, rootLo, edgeHi, edgeLo, ...]]` pairs, by ascending tuple index, of int32s. */
function extraRootsProblem(batch: IncomingBatch): string | undefined {
  const extra = batch.extraRoots;
  if (extra.length % 2 !== 0) return `its extra roots are ${extra.length} items, not pairs`;
  let previous = -1;
  for (let k = 0; k < extra.length; k += 2) {
    const index = extra[k];
    if (typeof index !== 'number' || !Number.isInteger(index) || index <= previous || index >= batch.tuples) {
      return `its extra roots name tuple ${JSON.stringify(index)} after tuple ${previous}, of ${batch.tuples}`;
    }
    const roots = extra[k + 1];
    if (!Array.isArray(roots) || roots.length === 0 || roots.length % 4 !== 0 || !roots.every((x) => typeof x === 'number' && (x | 0) === x)) {
      return `the extra roots of tuple ${index} are not groups of four int32s`;
    }
    previous = index;
  }
  return undefined;
}
