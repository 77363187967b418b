import { BARRIER_ALIGNMENT_KEY, CHECKPOINT_COMPONENT, CHECKPOINT_STREAM, STATE_PROVIDER_KEY } from './checkpoint.js';
import { DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from './config.js';
import type { TopologyDefinition } from './definition.js';

/** What a stateful topology's committed state promises (see the README's guarantees). */
export interface CheckpointMode {
  /**
   * `exactly-once`: each input's effect is in the committed state once, after any
   * failure; `at-least-once`: a failure may apply some inputs twice (Storm's promise).
   */
  mode: 'exactly-once' | 'at-least-once';
  /** Why the mode is not exactly-once; empty when it is. */
  reasons: string[];
  /** The state provider `topology.state.provider` names. */
  provider: string;
}

/**
 * The mode a topology's state gets, from its definition alone (what `topo check`
 * prints), or undefined when it has no stateful component. Exactly once needs every
 * spout rewindable, aligned barriers and a durable provider; any provider but the
 * in-memory one is taken as durable here (a module's own provider says at start).
 * `overrides` is config given at submit time.
 */
export function checkpointMode(definition: TopologyDefinition, overrides?: TopologyConfig): CheckpointMode | undefined {
  if (!definition.components.some((c) => c.stateful === true)) return undefined;
  const config = mergeConfig(DEFAULT_CONFIG, definition.config, overrides);
  const reasons: string[] = [];
  for (const spout of definition.components) {
    if (spout.kind === 'spout' && spout.name !== CHECKPOINT_COMPONENT && spout.rewindable !== true) {
      reasons.push(`spout ${spout.name} is not rewindable (it has no position() and rewind())`);
    }
  }
  for (const windowed of windowsFeedingState(definition)) {
    reasons.push(`windowed bolt ${windowed} feeds stateful bolts and keeps its window outside the checkpoint (a rollback replays tuples it still holds)`);
  }
  if (config[BARRIER_ALIGNMENT_KEY] === false) reasons.push(`${BARRIER_ALIGNMENT_KEY} is false (barriers are counted, not aligned)`);
  const provider = String(config[STATE_PROVIDER_KEY]);
  if (provider === 'memory') reasons.push('state provider memory is not durable across restarts');
  return { mode: reasons.length === 0 ? 'exactly-once' : 'at-least-once', reasons, provider };
}

/**
 * Windowed bolts from which a stateful bolt can be reached. A window's tuples live in
 * memory across checkpoints: after a rollback the sources replay tuples a window still
 * holds, so what it emits into state may count an input twice.
 */
function windowsFeedingState(definition: TopologyDefinition): string[] {
  const consumers = new Map<string, string[]>();
  for (const c of definition.components) {
    for (const input of c.inputs) {
      if (input.stream === CHECKPOINT_STREAM) continue;
      const list = consumers.get(input.component) ?? [];
      list.push(c.name);
      consumers.set(input.component, list);
    }
  }
  const stateful = new Set(definition.components.filter((c) => c.stateful === true).map((c) => c.name));
  const reachesState = (from: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(consumers.get(from) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (stateful.has(next)) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(consumers.get(next) ?? []));
    }
    return false;
  };
  return definition.components.filter((c) => c.windowed === true && reachesState(c.name)).map((c) => c.name);
}

/** One line for `topo check` and logs: the mode and why. */
export function describeCheckpointMode(mode: CheckpointMode): string {
  if (mode.mode === 'exactly-once') return `state: exactly-once (every spout rewindable, barriers aligned, provider ${mode.provider})`;
  return `state: at-least-once: ${mode.reasons.join('; ')}`;
}
