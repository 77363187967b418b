import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { STATE_PROVIDER_KEY, TopoError, type TopologyConfig, type TopologyDefinition } from '@topo/topology-dsl';
import { MemoryStateProvider } from './memory-state.js';
import type { StateProvider, StateProviderFactory } from './state-provider.js';

/**
 * The package `topology.state.provider: redis` comes from. Imported by name at run time
 * only: the runtime has no dependency on the connectors (nor on a Redis client), which
 * depend on it.
 */
const REDIS_PROVIDER_MODULE = '@topo/connectors';

/** A state provider that cannot be loaded or reached: the topology does not start. */
export class StateProviderError extends TopoError {
  constructor(
    readonly provider: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`${STATE_PROVIDER_KEY} ${provider}: ${reason}`, { configKey: STATE_PROVIDER_KEY, value: provider, cause });
  }
}

/**
 * The provider `topology.state.provider` names: `memory` (the default), `redis` (the
 * connectors package's), or a module specifier (a path, relative to the working
 * directory, or a package name) whose module exports `createStateProvider`. The factory
 * gets the topology's name and config and must connect before it returns: a provider it
 * cannot load, or one that cannot reach its store, refuses the start with a
 * StateProviderError naming the key, the value and the cause.
 */
export async function loadStateProvider(definition: TopologyDefinition, config: TopologyConfig): Promise<StateProvider> {
  const name = config[STATE_PROVIDER_KEY] ?? 'memory';
  if (typeof name !== 'string' || name === '') {
    throw new StateProviderError(JSON.stringify(name), 'must be memory, redis or a module exporting createStateProvider');
  }
  if (name === 'memory') return new MemoryStateProvider();
  const specifier = name === 'redis' ? REDIS_PROVIDER_MODULE : moduleSpecifier(name);
  let module: { createStateProvider?: unknown };
  try {
    module = (await import(specifier)) as { createStateProvider?: unknown };
  } catch (error) {
    const what = name === 'redis' ? `needs the ${REDIS_PROVIDER_MODULE} package installed beside @topo/runtime` : 'cannot load the module';
    throw new StateProviderError(name, `${what} (${messageOf(error)})`, error);
  }
  if (typeof module.createStateProvider !== 'function') {
    throw new StateProviderError(name, `the module ${specifier} does not export a function createStateProvider`);
  }
  try {
    return await (module.createStateProvider as StateProviderFactory)({ topology: definition.name, config });
  } catch (error) {
    throw new StateProviderError(name, messageOf(error), error);
  }
}

/** A path is taken relative to the working directory, as the CLI takes a topology file; anything else is a package name. */
function moduleSpecifier(name: string): string {
  if (name.startsWith('.') || path.isAbsolute(name)) return pathToFileURL(path.resolve(name)).href;
  return name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
