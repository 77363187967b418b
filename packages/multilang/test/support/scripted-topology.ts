import path from 'node:path';
import { BasicBolt, Topology, type TopologyClass, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { ShellBolt, type SerializerName } from '@topo/multilang';
import { COMPONENTS } from './harness.js';
import { Ledger, ledgerSpout } from './ledger-spout.js';

/** Does nothing: the observer records what reaches it, and it acks (a BasicBolt). */
export class Sink extends BasicBolt {
  process(_tuple: Tuple): void {}
}

export interface ScriptedOptions {
  /** Extra arguments for scripted_bolt.py. */
  args?: string[];
  python?: string;
  /** Run this instead of Python (for a command that does not exist). */
  command?: string;
  serializer?: SerializerName;
  p?: number;
  tickSecs?: number;
  /** Where the once-only misbehaviours leave their markers. */
  marks?: string;
  /** A second, independent ShellBolt (the same script, only echoing) fed by its own spout. */
  bystander?: Ledger;
  /** Component config of `scripted` alone, not of the bystander. */
  config?: TopologyConfig;
}

/**
 * `source` (a LedgerSpout over `values`, fields action, n) -> `scripted` (scripted_bolt.py)
 * -> `sink` on its default stream, `directSink` (2 tasks) on its `direct` and `other` streams.
 */
export function scriptedTopology(values: unknown[][], options: ScriptedOptions = {}): { topology: TopologyClass; ledger: Ledger } {
  const ledger = new Ledger(values);
  const Source = ledgerSpout(ledger, ['action', 'n']);
  const serializerArgs = options.serializer === undefined ? [] : ['--serializer', options.serializer];
  const shell = (args: string[], marks: string | undefined) => ({
    command: options.command ?? options.python ?? 'python3',
    args: ['scripted_bolt.py', ...serializerArgs, ...args],
    cwd: path.join(COMPONENTS, 'python'),
    env: (marks === undefined ? {} : { TOPO_TEST_MARKS: marks }) as Record<string, string>,
    serializer: options.serializer,
    outputs: ['action', 'n'],
    streams: { other: ['action', 'n'], direct: { fields: ['action', 'n'], direct: true } },
  });
  class Scripted extends Topology {
    source = Source.spec();
    scripted = ShellBolt.spec({ ...shell(options.args ?? [], options.marks), p: options.p, tickSecs: options.tickSecs, config: options.config, input: this.source });
    sink = Sink.spec({ input: this.scripted });
    directSink = Sink.spec({ p: 2, inputs: [this.scripted.stream('direct').direct(), this.scripted.stream('other')] });
  }
  if (options.bystander === undefined) return { topology: Scripted, ledger };
  const Other = ledgerSpout(options.bystander, ['action', 'n']);
  class WithBystander extends Scripted {
    otherSource = Other.spec();
    bystander = ShellBolt.spec({ ...shell([], undefined), input: this.otherSource });
    bystanderSink = Sink.spec({ input: this.bystander });
  }
  return { topology: WithBystander, ledger };
}

/** `[action, n]` for n in `from`..`to` - 1. */
export function items(action: string, from: number, to: number): unknown[][] {
  return Array.from({ length: to - from }, (_, i) => [action, from + i]);
}
