import { scaledMs } from '@topo/runtime';
import type { ClusterConfigKey } from '../cluster-config.js';

/**
 * Daemon settings at second scale, so tests see failures noticed and repaired within their
 * patience. The launch grace and the task timeout are on the test time scale
 * (TOPO_TEST_TIMEOUT_SCALE): starting a worker process, the first time or again in its slot
 * after it died (when only the task timeout runs), is heavy work that a busy machine slows
 * many times over, and a worker still starting when either runs out is moved, over and over.
 * A test about the task timeout sets it low itself, with a worker it stops on purpose.
 * The supervisor timeout is on the scale too, at a shorter base: heartbeats are light, but
 * on a machine at load 15 a supervisor went 3 s without one, and nimbus moved its workers
 * in the middle of a rebalance test.
 */
export const SECOND_SCALE_CONFIG: Partial<Record<ClusterConfigKey, number>> = {
  'nimbus.monitor.freq.secs': 0.25,
  'nimbus.leader.lease.secs': 1.5,
  'nimbus.supervisor.timeout.secs': scaledMs(2_000) / 1000,
  'nimbus.task.timeout.secs': scaledMs(3_000) / 1000,
  'nimbus.task.launch.secs': scaledMs(5_000) / 1000,
  'supervisor.heartbeat.frequency.secs': 0.25,
  'supervisor.monitor.frequency.secs': 0.5,
};

/** The same settings as `--config key=value` arguments for `topo nimbus` and `topo supervisor`. */
export function secondScaleFlags(): string[] {
  return Object.entries(SECOND_SCALE_CONFIG).flatMap(([key, value]) => ['--config', `${key}=${value}`]);
}
