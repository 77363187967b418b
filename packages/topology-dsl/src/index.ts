export { Topology, type TopologyClass } from './topology.js';
export { Spout, type SpoutEmitOptions, type SpoutHooks, type FailReason } from './spout.js';
export { Bolt, BasicBolt, type BoltEmitOptions, type BoltHooks } from './bolt.js';
export { WindowedBolt, type TupleWindow, type WindowedBoltSpecOptions } from './windowed-bolt.js';
export {
  readWindowSettings,
  LATE_TUPLE_FIELD,
  WINDOW_LENGTH_COUNT,
  WINDOW_LENGTH_MS,
  WINDOW_SLIDING_COUNT,
  WINDOW_SLIDING_MS,
  WINDOW_LAG_MS,
  WINDOW_WATERMARK_INTERVAL_MS,
  WINDOW_LATE_STREAM,
  WINDOW_TIMESTAMP_FIELD,
  WINDOW_TIMESTAMP_EXTRACTOR,
  type WindowOptions,
  type WindowSize,
  type WindowDuration,
  type WindowSettings,
  type TimestampExtractor,
} from './window-config.js';
export {
  ComponentSpec,
  StreamRef,
  type InputDeclaration,
  type InputLike,
  type SpoutSpecOptions,
  type BoltSpecOptions,
  type CommonSpecOptions,
  type ComponentClassInfo,
  type StreamFieldsOf,
  type InputProviding,
  type FieldSet,
} from './component-spec.js';
export type { Tuple } from './tuple.js';
export type { TupleOf, FieldTypesOf, InputFieldsOf } from './tuple-of.js';
export { SYSTEM_COMPONENT, TICK_STREAM, ACKER_COMPONENT, DEFAULT_STREAM } from './tuple.js';
export type { TopologyContext, SpoutCollector, BoltCollector, AnchorsLike, LogLevel } from './context.js';
export type { CustomGroupingFn, GroupingSpec, GroupingDefinition } from './grouping.js';
export { GROUPING_TYPES } from './grouping.js';
export type { TopologyDefinition, ComponentDefinition, InputDefinition, StreamDefinition } from './definition.js';
export { compile, compileTopology, build, validateCompiled, declaredStreams, customGroupingName, type CompiledTopology, type CompileOptions } from './compile.js';
export { validate, type ValidateOptions } from './validate.js';
export { DEFAULT_LIMITS, topologyLimits, type LimitKey, type TopologyLimits } from './limits.js';
export { NAME_MAX_LENGTH, nameProblem, type NameKind } from './names.js';
export { printable, excerpt, quoted } from './printable.js';
export { topologyDefinitionSchema } from './schema.js';
export { KNOWN_CONFIG, DEFAULT_CONFIG, parseConfigAssignment, mergeConfig, ackerExecutors, type ConfigValue, type TopologyConfig } from './config.js';
export { TopoError, TopologyValidationError, formatProblem, type ValidationProblem, type ProblemLocation } from './errors.js';
export type { KeyValueState } from './key-value-state.js';
export { StatefulBolt, type StatefulBoltHooks } from './stateful-bolt.js';
export {
  CHECKPOINT_COMPONENT,
  CHECKPOINT_STREAM,
  CHECKPOINT_FIELDS,
  CHECKPOINT_ACTIONS,
  CHECKPOINT_INTERVAL_KEY,
  CHECKPOINT_INTERVAL_FLOOR_MS,
  STATE_PROVIDER_KEY,
  STATE_PROVIDER_CONFIG_KEY,
  BARRIER_ALIGNMENT_KEY,
  type CheckpointAction,
} from './checkpoint.js';
export { checkpointMode, describeCheckpointMode, type CheckpointMode } from './checkpoint-mode.js';
