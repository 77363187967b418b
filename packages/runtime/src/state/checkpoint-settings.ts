import { BARRIER_ALIGNMENT_KEY, CHECKPOINT_COMPONENT, CHECKPOINT_STREAM, type CheckpointAction } from '@topo/topology-dsl';
import type { ExecutorHost } from '../executor/executor-host.js';

/** How the executors of a stateful topology take part in its checkpoints. */
export interface CheckpointSettings {
  /** Barriers aligned (`topo.state.barrier.alignment`, default true). */
  aligned: boolean;
  /**
   * Every user spout rewindable and barriers aligned: a failed tree fails the next
   * checkpoint instead of being replayed, and the rollback rewinds the sources. This is
   * the exactly-once mode, less the durability of the provider, which only matters when
   * a process dies.
   */
  rewinding: boolean;
}

/** The settings of `host`'s topology, or undefined when it has no checkpoints. */
export function checkpointSettings(host: ExecutorHost): CheckpointSettings | undefined {
  const components = host.definition.components;
  if (!components.some((c) => c.name === CHECKPOINT_COMPONENT)) return undefined;
  const aligned = host.componentConfig(CHECKPOINT_COMPONENT)[BARRIER_ALIGNMENT_KEY] !== false;
  const rewinding = aligned && components.every((c) => c.kind !== 'spout' || c.name === CHECKPOINT_COMPONENT || c.rewindable === true);
  return { aligned, rewinding };
}

/** The upstream tasks that send `component`'s tasks checkpoint barriers: one channel each. */
export function barrierChannels(host: ExecutorHost, component: string): Set<number> {
  const definition = host.definition.components.find((c) => c.name === component);
  const channels = new Set<number>();
  for (const input of definition?.inputs ?? []) {
    if (input.stream === CHECKPOINT_STREAM) for (const task of host.layout.componentTasks.get(input.component) ?? []) channels.add(task);
  }
  return channels;
}

/** A checkpoint tuple's txid and action, as the checkpoint spout emits them. */
export function barrierOf(values: readonly unknown[]): { txid: number; action: CheckpointAction } {
  return { txid: values[0] as number, action: values[1] as CheckpointAction };
}

/** The namespace of a task's state: Storm's `<component>-<task>`. */
export function taskNamespace(component: string, task: number): string {
  return `${component}-${task}`;
}
