import { Topology, TopoError, type Bolt, type Tuple, type TopologyConfig } from '@topo/topology-dsl';
import { build } from '@topo/topology-dsl';
import { silentLogger } from '../logging/logger.js';
import { Worker } from '../worker/worker.js';
import { fixedTuplesSpout } from './fixed-tuples-spout.js';

export interface TestBoltOptions {
  /** Value lists delivered to the bolt, in order, on the `default` stream of a source named `input`. */
  inputs: unknown[][];
  /** Field names of those inputs; default `field0`, `field1`, ... */
  inputFields?: string[];
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
  errors: unknown[];
}

/**
 * Unit-tests one bolt class with real executor semantics (auto-ack, anchoring checks,
 * async `process()`): feeds it `inputs` and reports what it emitted, acked and failed.
 */
export async function testBolt(boltClass: (new () => Bolt) & typeof Bolt, options: TestBoltOptions): Promise<TestBoltResult> {
  const width = options.inputs.reduce((n, v) => Math.max(n, v.length), 0);
  const fields = options.inputFields ?? Array.from({ length: width }, (_, i) => `field${i}`);
  const { spoutClass } = fixedTuplesSpout({ name: 'input', outputs: fields }, options.inputs, { replay: false });
  const BoltClass = boltClass;
  const InputSpout = spoutClass as unknown as typeof import('@topo/topology-dsl').Spout & (new () => import('@topo/topology-dsl').Spout);
  class BoltHarness extends Topology {
    input = InputSpout.spec();
    bolt = BoltClass.spec({ input: this.input });
  }
  const compiled = build(BoltHarness, { config: options.config });

  const indexOf = new Map<readonly unknown[], number>(options.inputs.map((v, i) => [v, i]));
  const result: TestBoltResult = { emitted: [], acked: [], failed: [], errors: [] };
  const record = (list: number[]) => (component: string, _task: number, tuple: Tuple) => {
    if (component === 'bolt') list.push(indexOf.get(tuple.values) ?? -1);
  };
  const worker = new Worker(compiled, {
    config: options.config,
    logger: silentLogger(),
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
    while (result.acked.length + result.failed.length < options.inputs.length) {
      if (performance.now() > deadline) {
        throw new TopoError(`testBolt: ${boltClass.name} acked or failed ${result.acked.length + result.failed.length} of ${options.inputs.length} inputs before the timeout`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await worker.stop();
  }
  return result;
}
