import { BoltExecutor } from '../executor/bolt-executor.js';
import type { ExecutorHost } from '../executor/executor-host.js';
import { checkpointSettings } from './checkpoint-settings.js';
import { CheckpointingBoltExecutor } from './checkpointing-bolt-executor.js';

/** The executor for a bolt's tasks: the plain one, or in a stateful topology one that handles checkpoint barriers. */
export function boltExecutor(host: ExecutorHost, component: string, tasks: readonly number[]): BoltExecutor {
  const settings = checkpointSettings(host);
  return settings === undefined ? new BoltExecutor(host, component, tasks) : new CheckpointingBoltExecutor(host, component, tasks, settings);
}
