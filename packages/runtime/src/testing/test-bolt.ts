import { ComponentSpec, DEFAULT_STREAM, Topology, TopoError, declaredStreams, type Bolt, type Tuple, type TopologyConfig } from '@topo/topology-dsl';
import { build } from '@topo/topology-dsl';
import { Worker } from '../worker/worker.js';
import { fixedTuplesSpout } from './fixed-tuples-spout.js';

export interface TestBoltOptions {
  /**
   * Inputs delivered to the bolt, in order: objects by field name (`{ url: 'https://a.com' }`),
   * or value lists in the order of the input's fields, which testBolt must then know (from
   * the spec's input, or `inputFields`).
   */
  inputs: readonly (readonly unknown[] | Readonly<Record<string, unknown>>)[];
  /** Field names of value-list inputs, when the bolt is given as a class. */
  inputFields?: readonly string[];
  config?: TopologyConfig;
  /** How long to wait for every input to be acked or failed; default 10 s. */
  timeoutMs?: number;
}

export interface TestBoltEmit {
  stream: string;
  values: unknown[];
}

export interface TestBoltResult {
  emitted: TestBoltEmit[];
  /** Indexes into `inputs` of the tuples the bolt acked, in ack order. */
  acked: number[];
  /** Indexes into `inputs` of the tuples the bolt failed, in fail order. */
  failed: number[];
  /** What `process()` threw or the bolt reported; TopoErrors print and serialise with their message. */
  errors: unknown[];
}

type BoltClass = (new () => Bolt) & typeof Bolt;

/**
 * Unit-tests one bolt with real executor semantics (auto-ack, anchoring checks, async
 * `process()`): feeds it `inputs` from a source named `input` on the `default` stream and
 * reports what it emitted, acked and failed. Give the bolt as its spec in a topology
 * (`testBolt(new UrlParser().urlBolt, ...)`) to have the input's fields taken from what it
 * is wired to, or as a class with inputs as objects or with `inputFields`.
 */
export async function testBolt(bolt: BoltClass | ComponentSpec<any>, options: TestBoltOptions): Promise<TestBoltResult> {
  const boltClass = (bolt instanceof ComponentSpec ? bolt.componentClass : bolt) as BoltClass;
  const fields = inputFieldsOf(bolt, boltClass.name, options);
  const inputs = options.inputs.map((input, index) => toValues(input, fields, boltClass.name, index));
  const { spoutClass } = fixedTuplesSpout({ name: 'input', outputs: fields }, inputs, { replay: false });
  const BoltClass = boltClass;
  const InputSpout = spoutClass as unknown as typeof import('@topo/topology-dsl').Spout & (new () => import('@topo/topology-dsl').Spout);
  class BoltHarness extends Topology {
    input = InputSpout.spec();
    bolt = BoltClass.spec({ input: this.input });
  }
  const compiled = build(BoltHarness, { config: options.config });

  const indexOf = new Map<readonly unknown[], number>(inputs.map((v, i) => [v, i]));
  const result: TestBoltResult = { emitted: [], acked: [], failed: [], errors: [] };
  const record = (list: number[]) => (component: string, _task: number, tuple: Tuple) => {
    if (component === 'bolt') list.push(indexOf.get(tuple.values) ?? -1);
  };
  const worker = new Worker(compiled, {
    config: options.config,
    logger: () => {},
    observer: {
      emitted(component, _task, stream, values) {
        if (component === 'bolt') result.emitted.push({ stream, values: [...values] });
      },
      acked: record(result.acked),
      failed: record(result.failed),
      error(component, _task, error) {
        if (component === 'bolt') result.errors.push(error);
      },
    },
  });
  await worker.start();
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  try {
    while (result.acked.length + result.failed.length < inputs.length) {
      if (performance.now() > deadline) {
        throw new TopoError(`testBolt: ${boltClass.name} acked or failed ${result.acked.length + result.failed.length} of ${inputs.length} inputs before the timeout`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await worker.stop();
  }
  return result;
}

/**
 * The field names of the bolt's input: from the stream its spec is wired to, from
 * `inputFields`, or from object inputs' keys. Value lists with none of these are refused:
 * guessing names would make every `tuple.get()` throw inside the bolt, reported only
 * as failed inputs.
 */
function inputFieldsOf(bolt: BoltClass | ComponentSpec<any>, boltName: string, options: TestBoltOptions): string[] {
  if (options.inputFields !== undefined) return [...options.inputFields];
  if (bolt instanceof ComponentSpec) {
    const [input] = bolt.inputDeclarations(boltName);
    if (input === undefined) throw new TopoError(`testBolt: the spec of ${boltName} has no input to take field names from; pass inputFields`, { component: boltName });
    const stream = declaredStreams(input.source.componentClass)[input.stream];
    if (stream !== undefined) return stream.fields;
    throw new TopoError(`testBolt: ${boltName}'s input ${input.source.componentClass.name} declares no stream ${input.stream}; pass inputFields`, { component: boltName, stream: input.stream });
  }
  const first = options.inputs[0];
  if (first === undefined || Array.isArray(first)) {
    throw new TopoError(
      `testBolt: ${boltName} gets its inputs as value lists, so it needs their field names: pass inputFields: [...], ` +
        `give inputs as objects ({ field: value }), or pass the bolt's spec from its topology (testBolt(new MyTopology().${lowerFirst(boltName)}, ...))`,
      { component: boltName },
    );
  }
  return Object.keys(first);
}

function toValues(input: readonly unknown[] | Readonly<Record<string, unknown>>, fields: readonly string[], boltName: string, index: number): unknown[] {
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
