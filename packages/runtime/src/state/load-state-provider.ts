import { STATE_PROVIDER_KEY, TopoError, type TopologyConfig, type TopologyDefinition } from '@topo/topology-dsl';
import { MemoryStateProvider } from './memory-state.js';
import type { StateProvider } from './state-provider.js';

/**
 * The provider `topology.state.provider` names. This version knows only `memory`; the
 * Redis work replaces it with one that also resolves `redis` and module specifiers.
 */
export async function loadStateProvider(definition: TopologyDefinition, config: TopologyConfig): Promise<StateProvider> {
  const name = config[STATE_PROVIDER_KEY] ?? 'memory';
  if (name === 'memory') return new MemoryStateProvider();
  throw new TopoError(`topology ${definition.name}: ${STATE_PROVIDER_KEY} ${JSON.stringify(name)} is not a state provider this engine knows (memory)`, { configKey: STATE_PROVIDER_KEY });
}
