import type { TopologyConfig } from './config.js';
import type { GroupingDefinition } from './grouping.js';

/**
 * A topology as plain JSON: what the CLI compiles, nimbus validates and stores, and
 * workers run. `topology-definition.schema.json` is its schema.
 */
export interface TopologyDefinition {
  name: string;
  config: TopologyConfig;
  components: ComponentDefinition[];
}

export interface StreamDefinition {
  fields: string[];
  direct: boolean;
}

export interface ComponentDefinition {
  name: string;
  kind: 'spout' | 'bolt';
  /** The class that implements it, for messages and for loading it in a worker. */
  className: string;
  parallelism: number;
  tasks: number;
  streams: Record<string, StreamDefinition>;
  inputs: InputDefinition[];
  config: TopologyConfig;
  tickSecs?: number;
  maxInFlight?: number;
  /** True for BasicBolt-style components: auto-anchor, auto-ack, fail on throw. */
  autoAck?: boolean;
  /** A WindowedBolt: the engine runs it through the window its config describes (Storm's window keys). */
  windowed?: boolean;
  /** A StatefulBolt: its state is checkpointed (the topology then carries `$checkpoint` barriers). */
  stateful?: boolean;
  /** A spout with `position()` and `rewind()`: it takes part in checkpoints with its position. */
  rewindable?: boolean;
}

export interface InputDefinition {
  component: string;
  stream: string;
  grouping: GroupingDefinition;
}
