import { CHECKPOINT_COMPONENT } from '@topo/topology-dsl';
import type { ExecutorHost } from '../executor/executor-host.js';
import { loadStateProvider } from './load-state-provider.js';
import type { StateProvider } from './state-provider.js';

interface Shared {
  provider: Promise<StateProvider> | undefined;
  users: number;
  /** Given by the caller (completeTopology, a test): not ours to close. */
  given: boolean;
}

/** One provider per worker, shared by its executors that keep state: opened by the first, closed after the last. */
const providers = new WeakMap<ExecutorHost, Shared>();

function shared(host: ExecutorHost): Shared {
  let entry = providers.get(host);
  if (entry === undefined) providers.set(host, (entry = { provider: undefined, users: 0, given: false }));
  return entry;
}

/** Makes `host`'s executors use `provider` instead of the one `topology.state.provider` names; call before the worker starts. */
export function useStateProvider(host: ExecutorHost, provider: StateProvider): void {
  const entry = shared(host);
  entry.provider = Promise.resolve(provider);
  entry.given = true;
}

/** The worker's provider, loaded on first use; pair with `releaseStateProvider`. */
export function acquireStateProvider(host: ExecutorHost): Promise<StateProvider> {
  const entry = shared(host);
  entry.users++;
  entry.provider ??= loadStateProvider(host.definition, host.componentConfig(CHECKPOINT_COMPONENT));
  return entry.provider;
}

/** Closes the provider once its last user let go (unless the caller gave it). */
export async function releaseStateProvider(host: ExecutorHost): Promise<void> {
  const entry = providers.get(host);
  if (entry === undefined || entry.users === 0) return;
  if (--entry.users > 0 || entry.given || entry.provider === undefined) return;
  const provider = entry.provider;
  entry.provider = undefined;
  await (await provider).close();
}
