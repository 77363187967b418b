import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import { StateProviderError, loadStateProvider } from '../src/state/load-state-provider.js';
import { MemoryStateProvider } from '../src/state/memory-state.js';

const fixtures = fileURLToPath(new URL('./fixtures/state-providers/', import.meta.url));
const definition = { name: 'wc' } as TopologyDefinition;

async function refusal(config: TopologyConfig): Promise<StateProviderError> {
  const error = await loadStateProvider(definition, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StateProviderError);
  return error as StateProviderError;
}

describe('loadStateProvider', () => {
  it('gives the in-memory provider by default and for memory', async () => {
    expect(await loadStateProvider(definition, {})).toBeInstanceOf(MemoryStateProvider);
    expect(await loadStateProvider(definition, { 'topology.state.provider': 'memory' })).toBeInstanceOf(MemoryStateProvider);
  });

  it("calls a module's createStateProvider with the topology's name and config, by absolute path or relative to the working directory", async () => {
    const file = path.join(fixtures, 'recording-provider.ts');
    const config = { 'topology.state.provider.config': { where: 'here' } };
    for (const specifier of [file, `./${path.relative(process.cwd(), file)}`]) {
      const provider = await loadStateProvider(definition, { ...config, 'topology.state.provider': specifier });
      expect(provider.name).toBe('recording:wc:{"where":"here"}');
      const state = await provider.newState<number>('count-1');
      state.put('a', 1);
      expect(state.get('a')).toBe(1);
    }
  });

  it('refuses the start naming the key, the value and the cause', async () => {
    const unreachable = path.join(fixtures, 'unreachable-provider.ts');
    let error = await refusal({ 'topology.state.provider': unreachable });
    expect(error.message).toBe(`topology.state.provider ${unreachable}: cannot reach store://nowhere (ECONNREFUSED)`);
    expect(error.context).toMatchObject({ configKey: 'topology.state.provider', value: unreachable });
    expect((error.context.cause as Error).message).toBe('cannot reach store://nowhere (ECONNREFUSED)');

    const missing = path.join(fixtures, 'missing-provider.ts');
    error = await refusal({ 'topology.state.provider': missing });
    expect(error.message).toMatch(new RegExp(`^topology.state.provider ${missing}: cannot load the module \\(.*missing-provider`));

    const noFactory = path.join(fixtures, 'no-factory.ts');
    error = await refusal({ 'topology.state.provider': noFactory });
    expect(error.message).toMatch(/: the module file:.*no-factory.ts does not export a function createStateProvider$/);

    error = await refusal({ 'topology.state.provider': 'no-such-topo-state-package' });
    expect(error.message).toMatch(/^topology.state.provider no-such-topo-state-package: cannot load the module \(.*no-such-topo-state-package/);

    error = await refusal({ 'topology.state.provider': 42 });
    expect(error.message).toBe('topology.state.provider 42: must be memory, redis or a module exporting createStateProvider');
  });
});
