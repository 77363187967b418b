import type { ClusterConfigKey } from '../cluster-config.js';

/** Daemon settings at second scale, so tests see failures noticed and repaired within their patience. */
export const SECOND_SCALE_CONFIG: Partial<Record<ClusterConfigKey, number>> = {
  'nimbus.monitor.freq.secs': 0.25,
  'nimbus.leader.lease.secs': 1.5,
  'nimbus.supervisor.timeout.secs': 3,
  'nimbus.task.timeout.secs': 3,
  'nimbus.task.launch.secs': 5,
  'supervisor.heartbeat.frequency.secs': 0.25,
  'supervisor.monitor.frequency.secs': 0.5,
};

/** The same settings as `--config key=value` arguments for `topo nimbus` and `topo supervisor`. */
export function secondScaleFlags(): string[] {
  return Object.entries(SECOND_SCALE_CONFIG).flatMap(([key, value]) => ['--config', `${key}=${value}`]);
}
