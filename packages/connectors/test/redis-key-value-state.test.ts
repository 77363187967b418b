import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, loadStateProvider, type TransactionalState } from '@topo/runtime';
import type { TopoError, TopologyDefinition } from '@topo/topology-dsl';
import { RedisKeyValueState, RedisStateProvider, createStateProvider } from '@topo/connectors';
import { redisPerFile } from './support/redis-per-file.js';

const redis = redisPerFile();

let namespaces = 0;
/** A prefix of its own per test, so tests never see each other's hashes. */
const freshPrefix = () => `test:${++namespaces}:`;

const load = <V = unknown>(prefix: string, namespace: string): Promise<RedisKeyValueState<V>> => RedisKeyValueState.load<V>(redis.client, prefix, namespace);

const read = (state: TransactionalState<number>, ...keys: string[]) => keys.map((key) => state.get(key) ?? null);

/** Calls of each Redis command so far, from INFO commandstats. */
async function commandCalls(): Promise<Map<string, number>> {
  const info = await redis.client.info('commandstats');
  const calls = new Map<string, number>();
  // INFO itself is left out: every look counts one more.
  for (const match of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) if (match[1] !== 'info') calls.set(match[1], Number(match[2]));
  return calls;
}

describe('RedisKeyValueState', () => {
  it("passes Storm's state test sequence", async () => {
    const state = await load<number>(freshPrefix(), 'seq');
    state.put('a', 1);
    state.put('b', 2);
    await state.prepareCommit(1);
    state.put('c', 3);
    expect(read(state, 'a', 'b', 'c')).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state, 'a', 'b', 'c')).toEqual([null, null, null]);

    state.put('a', 1);
    state.put('b', 2);
    await state.prepareCommit(1);
    await state.commit(1);
    state.put('c', 3);
    expect(read(state, 'a', 'b', 'c')).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state, 'a', 'b', 'c')).toEqual([1, 2, null]);

    state.put('c', 3);
    expect(state.delete('b')).toBe(2);
    expect(state.delete('c')).toBe(3);
    expect(read(state, 'a', 'b', 'c')).toEqual([1, null, null]);
    await state.prepareCommit(2);
    await state.commit(2);
    expect(read(state, 'a', 'b', 'c')).toEqual([1, null, null]);

    state.put('b', 2);
    await state.prepareCommit(3);
    state.put('c', 3);
    expect(read(state, 'a', 'b', 'c')).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state, 'a', 'b', 'c')).toEqual([1, null, null]);
    expect([...state.entries()]).toEqual([['a', 1]]);
    expect(state.size).toBe(1);
  });

  it('keeps the key layout of scenario 5.13 in Redis', async () => {
    const prefix = freshPrefix();
    const key = (suffix: string) => `${prefix}wc-3${suffix}`;
    const hash = (suffix: string) => redis.client.hgetall(key(suffix));
    const state = await load<number>(prefix, 'wc-3');

    state.put('a', 1);
    state.put('b', 2);
    await state.prepareCommit(7);
    expect(await hash('$prepare')).toEqual({ a: '1', b: '2' });
    expect(await hash('$txid')).toEqual({ prepare: '7' });
    expect(await redis.client.exists(key(''))).toBe(0);

    await state.commit(7);
    expect(await hash('')).toEqual({ a: '1', b: '2' });
    expect(await hash('$txid')).toEqual({ prepare: '7', commit: '7' });
    expect(await redis.client.exists(key('$prepare'))).toBe(0);
    expect(state.committedTxid).toBe(7);

    state.delete('a');
    await state.prepareCommit(8);
    // The deletion waits in the prepare hash as a tombstone, which no JSON value can equal.
    expect(await hash('$prepare')).toEqual({ a: '' });
    await state.commit(8);
    expect(await hash('')).toEqual({ b: '2' });

    state.put('c', 3);
    await state.prepareCommit(9);
    await state.rollback();
    expect(await redis.client.exists(key('$prepare'))).toBe(0);
    expect(await hash('$txid')).toEqual({ prepare: '8', commit: '8' });
    expect(state.get('c')).toBeUndefined();

    await expect(state.prepareCommit(8)).rejects.toThrow('state wc-3: cannot prepare txid 8, txid 8 is already committed');
    const before = await commandCalls();
    await state.commit(8);
    expect(await commandCalls()).toEqual(before);
    expect(await hash('')).toEqual({ b: '2' });
    expect(await hash('$txid')).toEqual({ prepare: '8', commit: '8' });
    await expect(state.commit(7)).rejects.toThrow('state wc-3: cannot commit txid 7, txid 8 is already committed');
    await expect(state.commit(10)).rejects.toThrow('state wc-3: cannot commit txid 10, the prepared txid is 8');

    // A task that dies between prepare and commit: the new instance sees the prepared change and commits it.
    state.put('c', 3);
    await state.prepareCommit(9);
    const restarted = await load<number>(prefix, 'wc-3');
    expect(read(restarted, 'a', 'b', 'c')).toEqual([null, 2, 3]);
    expect(restarted.committedTxid).toBe(8);
    await restarted.commit(9);
    expect(await hash('')).toEqual({ b: '2', c: '3' });
    expect(await hash('$txid')).toEqual({ prepare: '9', commit: '9' });
    expect(await redis.client.exists(key('$prepare'))).toBe(0);
  });

  it('reloads a namespace larger than one HSCAN chunk, with a prepared deletion that a rollback undoes', async () => {
    const prefix = freshPrefix();
    const first = await load<{ n: number; tags: string[] }>(prefix, 'big');
    for (let n = 0; n < 2500; n++) first.put(`k${n}`, { n, tags: [`t${n % 3}`] });
    await first.prepareCommit(0);
    await first.commit(0);
    first.delete('k7');
    first.put('k8', { n: -8, tags: [] });
    first.put('new', { n: 1, tags: ['x'] });
    await first.prepareCommit(1);

    const second = await load<{ n: number; tags: string[] }>(prefix, 'big');
    expect(second.size).toBe(2500);
    expect(second.get('k7')).toBeUndefined();
    expect(second.get('k8')).toEqual({ n: -8, tags: [] });
    expect(second.get('k2499')).toEqual({ n: 2499, tags: ['t0'] });
    expect(second.get('new')).toEqual({ n: 1, tags: ['x'] });

    await second.rollback();
    expect(second.size).toBe(2500);
    expect(second.get('k7')).toEqual({ n: 7, tags: ['t1'] });
    expect(second.get('k8')).toEqual({ n: 8, tags: ['t2'] });
    expect(second.get('new')).toBeUndefined();
    const third = await load<{ n: number; tags: string[] }>(prefix, 'big');
    expect(new Map(third.entries())).toEqual(new Map(second.entries()));
    expect(third.committedTxid).toBe(0);
  });

  it('rolls back to the newly committed values after a commit, keeping writes made after the prepare undoable', async () => {
    const state = await load<number>(freshPrefix(), 'layers');
    state.put('x', 1);
    await state.prepareCommit(0);
    await state.commit(0);
    state.put('x', 2);
    state.put('y', 1);
    await state.prepareCommit(1);
    state.put('x', 3);
    state.put('z', 1);
    await state.commit(1);
    expect(read(state, 'x', 'y', 'z')).toEqual([3, 1, 1]);
    await state.rollback();
    expect(read(state, 'x', 'y', 'z')).toEqual([2, 1, null]);
  });

  it('keeps writes made while a prepare is under way for the next one, and the changes of a failed prepare for a retry', async () => {
    const prefix = freshPrefix();
    const state = await load<number>(prefix, 'timing');
    state.put('a', 1);
    const preparing = state.prepareCommit(1);
    state.put('b', 2);
    await preparing;
    expect(await redis.client.hgetall(`${prefix}timing$prepare`)).toEqual({ a: '1' });
    await state.commit(1);
    expect(await redis.client.hgetall(`${prefix}timing`)).toEqual({ a: '1' });

    // A txid hash Redis cannot write to makes the prepare fail: b (and c, written since) stay to be prepared.
    await redis.client.set(`${prefix}timing$txid`, 'not a hash');
    await expect(state.prepareCommit(2)).rejects.toThrow('WRONGTYPE');
    state.put('c', 3);
    await redis.client.del(`${prefix}timing$txid`);
    await state.prepareCommit(2);
    expect(await redis.client.hgetall(`${prefix}timing$prepare`)).toEqual({ b: '2', c: '3' });
    await state.commit(2);
    expect(await redis.client.hgetall(`${prefix}timing`)).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('prepares and commits in one round trip each, inside MULTI/EXEC', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      const prefix = freshPrefix();
      const state = await RedisKeyValueState.load<number>(client, prefix, 'trips');
      for (let n = 0; n < 500; n++) state.put(`w${n}`, n);
      state.delete('w0');
      // Every write to the socket is one request the state waits for an answer to.
      let writes = 0;
      const socketWrite = client.stream.write.bind(client.stream);
      client.stream.write = ((...args: Parameters<typeof socketWrite>) => {
        writes++;
        return socketWrite(...args);
      }) as typeof client.stream.write;

      const before = await commandCalls();
      writes = 0;
      await state.prepareCommit(1);
      expect(writes).toBe(1);
      await state.commit(1);
      expect(writes).toBe(2);
      await state.rollback();
      expect(writes).toBe(3);
      const after = await commandCalls();
      const delta = (command: string) => (after.get(command) ?? 0) - (before.get(command) ?? 0);
      expect([delta('multi'), delta('exec')]).toEqual([3, 3]);
      // Prepare: DEL + HSET of the changes + HSET of the txid; commit: HSET of the puts + HSET of the txid.
      expect(delta('hset')).toBe(5);
      expect(await redis.client.hlen(`${prefix}trips`)).toBe(499);
    } finally {
      client.disconnect();
    }
  });

  it('refuses a value JSON cannot hold, naming the namespace and the key', async () => {
    const state = await load(freshPrefix(), 'bad');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const refusals: [string, unknown, string][] = [
      ['big', 10n, 'a bigint'],
      ['deep', { n: [1, 10n] }, 'BigInt'],
      ['loop', cyclic, 'circular'],
      ['fn', () => 1, 'a function'],
      ['nothing', undefined, 'use delete()'],
      ['nan', NaN, 'NaN, which JSON would turn into null'],
      ['inf', -Infinity, '-Infinity'],
    ];
    for (const [key, value, why] of refusals) {
      let thrown: unknown;
      try {
        state.put(key, value);
      } catch (error) {
        thrown = error;
      }
      // By name: the test and the built package may each load their own copy of the DSL module.
      expect((thrown as Error).name).toBe('TopoError');
      expect((thrown as TopoError).message).toContain(`state bad: the value put under key "${key}" cannot be stored as JSON`);
      expect((thrown as TopoError).message).toContain(why);
      expect((thrown as TopoError).context).toMatchObject({ namespace: 'bad', key });
      expect(state.get(key)).toBeUndefined();
    }
    expect(state.size).toBe(0);
  });
});

describe('createStateProvider (redis)', () => {
  it('keeps states under topo:state:<topology>: by default, the URL taken from topo.redis.url', async () => {
    const provider = await createStateProvider({ topology: 'wc', config: { 'topo.redis.url': redis.url } });
    try {
      expect([provider.name, provider.durable]).toEqual(['redis', true]);
      const state = await provider.newState<number>('count-1');
      state.put('w', 1);
      await state.prepareCommit(0);
      await state.commit(0);
      expect(await redis.client.hgetall('topo:state:wc:count-1')).toEqual({ w: '1' });
    } finally {
      await provider.close();
    }
  });

  it('takes url and keyPrefix from topology.state.provider.config', async () => {
    const provider = await createStateProvider({
      topology: 'wc',
      config: { 'topology.state.provider.config': { url: redis.url, keyPrefix: 'mine:' }, 'topo.redis.url': 'redis://127.0.0.1:1' },
    });
    try {
      expect((provider as RedisStateProvider).keyPrefix).toBe('mine:');
      const state = await provider.newState('count-2');
      state.put('w', 'x');
      await state.commitNow();
      expect(await redis.client.hgetall('mine:count-2')).toEqual({ w: '"x"' });
    } finally {
      await provider.close();
    }
  });

  it('refuses a Redis it cannot reach, and settings it cannot use, naming the key', async () => {
    const port = await freePort();
    await expect(createStateProvider({ topology: 'wc', config: { 'topology.state.provider.config': { url: `redis://127.0.0.1:${port}` } } })).rejects.toThrow(
      `cannot reach redis://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    await expect(createStateProvider({ topology: 'wc', config: {} })).rejects.toThrow('needs a Redis URL: set url in topology.state.provider.config or topo.redis.url');
    await expect(createStateProvider({ topology: 'wc', config: { 'topology.state.provider.config': 'redis://x' } })).rejects.toThrow('topology.state.provider.config must be an object');
    await expect(createStateProvider({ topology: 'wc', config: { 'topo.redis.url': 'http://x' } })).rejects.toThrow('url must be a redis:// or rediss:// URL');
    await expect(createStateProvider({ topology: 'wc', config: { 'topo.redis.url': redis.url, 'topology.state.provider.config': { keyPrefix: 3 } } })).rejects.toThrow(
      'keyPrefix in topology.state.provider.config must be a string',
    );
  });

  it('is what topology.state.provider redis loads, and an unreachable one refuses the start naming key, value and cause', async () => {
    const definition = { name: 'wc' } as TopologyDefinition;
    const provider = await loadStateProvider(definition, { 'topology.state.provider': 'redis', 'topology.state.provider.config': { url: redis.url } });
    try {
      expect(provider).toBeInstanceOf(RedisStateProvider);
      expect((provider as RedisStateProvider).keyPrefix).toBe('topo:state:wc:');
    } finally {
      await provider.close();
    }
    await expect(loadStateProvider(definition, { 'topology.state.provider': 'redis', 'topo.redis.url': 'redis://127.0.0.1:1' })).rejects.toThrow(
      'topology.state.provider redis: cannot reach redis://127.0.0.1:1 (ECONNREFUSED)',
    );
  });

  // Last in the file: it restarts the file's server.
  it('reconnects after the start: a checkpoint made while Redis restarts waits for it and then succeeds', async () => {
    const provider = await createStateProvider({ topology: 'wc', config: { 'topo.redis.url': redis.url } });
    try {
      const state = await provider.newState<number>('count-3');
      state.put('w', 1);
      // The file's own client reconnects too; its errors meanwhile are expected.
      redis.client.on('error', () => {});
      await redis.server.kill();
      const prepared = state.prepareCommit(0);
      await redis.server.start();
      await prepared;
      await state.commit(0);
      expect(await redis.client.hgetall('topo:state:wc:count-3')).toEqual({ w: '1' });
    } finally {
      await provider.close();
    }
  });
});
