import { TopoError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';

export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };
export type TopologyConfig = Record<string, ConfigValue>;

/**
 * Storm's keys that Topo reads, with their JSON-schema type. Unknown keys are allowed
 * (Storm passes them to components), but a known key with the wrong type is an error.
 */
export const KNOWN_CONFIG = {
  'topology.message.timeout.secs': { type: 'integer', minimum: 1 },
  'topology.max.spout.pending': { type: ['integer', 'null'], minimum: 1 },
  'topology.acker.executors': { type: ['integer', 'null'], minimum: 0 },
  'topology.workers': { type: 'integer', minimum: 1 },
  'topology.debug': { type: 'boolean' },
  'topology.tick.tuple.freq.secs': { type: ['number', 'null'], exclusiveMinimum: 0 },
  'topology.executor.receive.buffer.size': { type: 'integer', minimum: 8 },
  'topology.subprocess.timeout.secs': { type: ['integer', 'null'], minimum: 1 },
  'topology.shellbolt.max.pending': { type: 'integer', minimum: 1 },
  'topology.backpressure.enable': { type: 'boolean' },
  'topology.stats.sample.rate': { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  'supervisor.worker.timeout.secs': { type: 'integer', minimum: 1 },
  'topology.transfer.batch.size': { type: 'integer', minimum: 1 },
  // Storm lets 0 turn flushing off, which would strand a partial batch here.
  'topology.batch.flush.interval.millis': { type: 'number', exclusiveMinimum: 0 },
  // Only Storm's progressive strategy is implemented; naming another is an error, not ignored.
  'topology.spout.wait.strategy': { enum: ['org.apache.storm.policy.WaitStrategyProgressive'] },
  'topology.spout.wait.progressive.level1.count': { type: 'integer', minimum: 0 },
  'topology.spout.wait.progressive.level2.count': { type: 'integer', minimum: 0 },
  'topology.spout.wait.progressive.level3.sleep.millis': { type: 'number', minimum: 0 },
  // Limits on the topology's size (limits.ts); Storm's null for its key means no cap per component.
  'topology.max.task.parallelism': { type: ['integer', 'null'], minimum: 1 },
  'topo.max.topology.tasks': { type: 'integer', minimum: 1 },
  'topo.max.topology.executors': { type: 'integer', minimum: 1 },
  'topo.max.topology.workers': { type: 'integer', minimum: 1 },
  // What a link between workers may cost before and after its peer authenticates (runtime's
  // transport-limits.ts). Checked here too, so a bad value fails `topo check` and the upload
  // rather than every start of a worker under a supervisor.
  'topo.worker.max.frame.bytes': { type: 'integer', minimum: 1 },
  'topo.worker.handshake.max.frame.bytes': { type: 'integer', minimum: 1 },
  'topo.worker.max.unauthenticated.connections': { type: 'integer', minimum: 1 },
  'topo.worker.handshake.timeout.ms': { type: 'integer', minimum: 1 },
  'topo.worker.refusals.logged.per.minute': { type: 'integer', minimum: 1 },
  // Windows (window-config.ts). Durations are whole ms up to Storm's int limit (about 24.8 days).
  'topology.bolts.window.length.count': { type: 'integer', minimum: 1 },
  'topology.bolts.window.length.duration.ms': { type: 'integer', minimum: 1, maximum: 2147483647 },
  'topology.bolts.window.sliding.interval.count': { type: 'integer', minimum: 1 },
  'topology.bolts.window.sliding.interval.duration.ms': { type: 'integer', minimum: 1, maximum: 2147483647 },
  'topology.bolts.tuple.timestamp.max.lag.ms': { type: 'integer', minimum: 0, maximum: 2147483647 },
  'topology.bolts.watermark.event.interval.ms': { type: 'integer', minimum: 1, maximum: 2147483647 },
  'topology.bolts.late.tuple.stream': { type: 'string', minLength: 1 },
  'topo.bolts.tuple.timestamp.field': { type: 'string', minLength: 1 },
  'topo.bolts.tuple.timestamp.extractor': { type: 'boolean' },
  // Errors a component reports or throws (runtime's errors/): how many each executor logs
  // with their stack and stores per interval, and how many a component keeps.
  'topology.error.throttle.interval.secs': { type: 'number', exclusiveMinimum: 0 },
  'topology.max.error.report.per.interval': { type: 'integer', minimum: 0 },
  'topo.errors.kept.per.component': { type: 'integer', minimum: 1, maximum: 1000 },
  // Stateful bolts and checkpoints (checkpoint.ts; the runtime's state/).
  'topology.state.checkpoint.interval.ms': { type: 'integer', minimum: 1 },
  'topology.state.provider': { type: 'string', minLength: 1 },
  'topology.state.provider.config': { type: 'object' },
  'topo.state.barrier.alignment': { type: 'boolean' },
} as const;

/** Storm's defaults, so habits and multi-lang components carry over. */
export const DEFAULT_CONFIG: TopologyConfig = {
  'topology.message.timeout.secs': 30,
  'topology.max.spout.pending': null,
  'topology.acker.executors': null,
  'topology.workers': 1,
  'topology.debug': false,
  'topology.executor.receive.buffer.size': 32768,
  'topology.shellbolt.max.pending': 100,
  'topology.backpressure.enable': true,
  'topology.stats.sample.rate': 0.05,
  'supervisor.worker.timeout.secs': 30,
  'topology.transfer.batch.size': 1,
  'topology.batch.flush.interval.millis': 1,
  'topology.spout.wait.strategy': 'org.apache.storm.policy.WaitStrategyProgressive',
  'topology.spout.wait.progressive.level1.count': 0,
  'topology.spout.wait.progressive.level2.count': 0,
  'topology.spout.wait.progressive.level3.sleep.millis': 1,
  'topology.error.throttle.interval.secs': 10,
  'topology.max.error.report.per.interval': 5,
  'topo.errors.kept.per.component': 10,
  'topology.state.checkpoint.interval.ms': 1000,
  'topology.state.provider': 'memory',
  'topology.state.provider.config': {},
  'topo.state.barrier.alignment': true,
  ...DEFAULT_LIMITS,
};

/** Acker executors: `topology.acker.executors`, else Storm's default of one per worker. */
export function ackerExecutors(config: TopologyConfig): number {
  const ackers = config['topology.acker.executors'];
  if (typeof ackers === 'number') return ackers;
  const workers = config['topology.workers'];
  return typeof workers === 'number' ? workers : 1;
}

/**
 * Parses `key=value` as the CLI's `--config` takes it: the value is JSON when it parses
 * as JSON (`30`, `true`, `null`, `"x"`, `[1]`), else the raw string.
 */
export function parseConfigAssignment(text: string): [string, ConfigValue] {
  const eq = text.indexOf('=');
  const key = text.slice(0, Math.max(eq, 0)).trim();
  if (key === '') {
    throw new TopoError(`--config expects key=value, got "${text}"`, { argument: text });
  }
  const raw = text.slice(eq + 1);
  try {
    return [key, JSON.parse(raw) as ConfigValue];
  } catch {
    return [key, raw];
  }
}

/** Later layers win: defaults < topology < component < command line. */
export function mergeConfig(...layers: (TopologyConfig | undefined)[]): TopologyConfig {
  return Object.assign({}, ...layers.filter((l) => l !== undefined)) as TopologyConfig;
}
