import { DEFAULT_LIMITS, TopoError, type ConfigValue, type TopologyLimits } from '@topo/topology-dsl';

/**
 * Daemon settings (Storm's storm.yaml keys, plus Topo's own where Storm has none), in
 * seconds unless the key says otherwise. Fractions are allowed so tests can run fast.
 */
export const CLUSTER_DEFAULTS = {
  /** A supervisor silent this long is dead: nimbus moves its workers elsewhere. */
  'nimbus.supervisor.timeout.secs': 60,
  /** A worker silent this long is dead: nimbus moves its executors to another slot. */
  'nimbus.task.timeout.secs': 30,
  /** Grace for a newly assigned worker to start and report before the task timeout applies. */
  'nimbus.task.launch.secs': 120,
  /** How often nimbus converges without being woken (Storm: 10; a pub/sub wake comes first in practice). */
  'nimbus.monitor.freq.secs': 2,
  /** How long the leader's lease lasts unless renewed (renewed three times per period). */
  'nimbus.leader.lease.secs': 10,
  /** The largest submission nimbus accepts. */
  'nimbus.upload.max.bytes': 64 * 2 ** 20,
  /** Uploads a nimbus reads at once (each may hold a few times its size in memory); more are answered 503 with Retry-After. */
  'nimbus.upload.max.concurrent': 2,
  /** The longest kill or rebalance wait nimbus accepts (Storm's waits are whole seconds). */
  'nimbus.wait.max.secs': 24 * 60 * 60,
  /** How often a supervisor writes its heartbeat, and each of its workers its own. */
  'supervisor.heartbeat.frequency.secs': 5,
  /** How often a supervisor converges its slots, and each worker reads its assignment, without being woken. */
  'supervisor.monitor.frequency.secs': 3,
  /** A worker that has not reported its port this long after its start is killed and started again. */
  'supervisor.worker.start.timeout.secs': 120,
  /** A worker's log is rolled before it passes this size (Storm's worker.xml: 100 MB). */
  'topo.worker.log.max.bytes': 100 * 2 ** 20,
  /** Rolled logs a worker keeps (`worker.log.1` .. `.N`, Storm's worker.xml: 9), so a worker's logs stay under max.bytes × (max.files + 1). */
  'topo.worker.log.max.files': 9,
  /**
   * The most any submission may ask for (tasks per component, tasks, executors and workers
   * per topology): a topology's own settings may lower these, never raise them.
   */
  ...DEFAULT_LIMITS,
} as const;

export type ClusterConfigKey = keyof typeof CLUSTER_DEFAULTS;
export type ClusterConfig = Record<ClusterConfigKey, number>;

/** The defaults with `overrides` over them; an unknown key or a value that is not a positive number is an error naming the key. */
export function clusterConfig(overrides: Record<string, ConfigValue> = {}): ClusterConfig {
  const config: ClusterConfig = { ...CLUSTER_DEFAULTS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in CLUSTER_DEFAULTS)) {
      throw new TopoError(`unknown daemon setting ${key} (known: ${Object.keys(CLUSTER_DEFAULTS).join(', ')})`, { configKey: key });
    }
    if (typeof value !== 'number' || !(value > 0)) throw new TopoError(`${key} must be a positive number, got ${JSON.stringify(value)}`, { configKey: key });
    config[key as ClusterConfigKey] = value;
  }
  return config;
}

/** The size limits in `config`, for `validate()`'s ceilings. */
export function clusterLimits(config: ClusterConfig): TopologyLimits {
  return Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((key) => [key, config[key as keyof TopologyLimits]])) as TopologyLimits;
}

export function secondsToMs(secs: number): number {
  return Math.round(secs * 1000);
}
