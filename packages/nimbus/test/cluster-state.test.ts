import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterState, ClusterStateError, type TopologyRecord } from '@topo/nimbus';
import { startTestRedis, type ErrorRecord, type TestRedisServer } from '@topo/runtime';

let redisServer: TestRedisServer;
const connections: Redis[] = [];

function connect(): Redis {
  const redis = new Redis(redisServer.url);
  connections.push(redis);
  return redis;
}

function record(id: string): TopologyRecord {
  return {
    id,
    name: id,
    status: 'active',
    definition: { name: id, config: {}, components: [{ name: 's', kind: 'spout', className: 'S', parallelism: 1, tasks: 8, streams: { default: { fields: ['x'], direct: false } }, inputs: [], config: {} }] },
    overrides: { 'topology.workers': 1, 'topology.acker.executors': 1 },
    parallelism: {},
    submittedAt: 0,
  };
}

beforeAll(async () => {
  redisServer = await startTestRedis();
});

afterAll(async () => {
  for (const c of connections) c.disconnect();
  await redisServer?.stop();
});

describe('cluster state in Redis', () => {
  it('skips and reports a stored value that fails its schema, reading the rest', async () => {
    const invalid: ClusterStateError[] = [];
    const state = new ClusterState(connect(), undefined, (e) => invalid.push(e));
    const heartbeat = { id: 'good', host: '127.0.0.2', hostname: 'h', ports: [6700], pid: 1, startedAt: 0, time: 1 };
    await state.writeSupervisorHeartbeat(heartbeat, []);
    await state.redis.hset('topo:supervisors', 'bad', JSON.stringify({ id: 'bad', ports: 'all of them' }));
    expect(await state.supervisors()).toEqual([heartbeat]);
    expect(invalid.map((e) => e.key)).toEqual(['topo:supervisors bad']);
    expect(invalid[0].message).toMatch(/stored value at topo:supervisors bad is not valid: .*ports/);
  });

  it('applies concurrent updates from several processes without losing any', async () => {
    const states = [new ClusterState(connect()), new ClusterState(connect()), new ClusterState(connect())];
    expect(await states[0].createTopology({ record: record('Counted-1'), bundle: '{}', secret: Buffer.alloc(32) })).toBe(true);
    const bump = (state: ClusterState) =>
      state.updateTopology('Counted-1', (r) => ({ ...r, parallelism: { s: (r.parallelism.s ?? 0) + 1 } }));
    await Promise.all(states.flatMap((s) => Array.from({ length: 5 }, () => bump(s))));
    expect((await states[0].topology('Counted-1'))?.parallelism.s).toBe(15);
  });

  it('gives a name to one topology at a time', async () => {
    const state = new ClusterState(connect());
    expect(await state.createTopology({ record: { ...record('Named-1'), name: 'Named' }, bundle: '{}', secret: Buffer.alloc(32) })).toBe(true);
    expect(await state.createTopology({ record: { ...record('Named-2'), name: 'Named' }, bundle: '{}', secret: Buffer.alloc(32) })).toBe(false);
    expect(await state.createTopology({ record: { ...record('Named-3'), name: 'Named' }, bundle: '{}', secret: Buffer.alloc(32) }, 'Named-1')).toBe(true);
    expect(await state.idForName('Named')).toBe('Named-3');
  });

  it("keeps a topology's last errors per component, trimmed, only while it has an assignment, and removes them with it", async () => {
    const invalid: ClusterStateError[] = [];
    const state = new ClusterState(connect(), undefined, (e) => invalid.push(e));
    const error = (component: string, n: number): ErrorRecord => ({ component, task: 1, worker: 'sup-1-6700', host: '127.0.0.2', port: 6700, time: 1000 + n, source: 'process', summary: `bad ${n}`, error: `Error: bad ${n}\n    at x` });
    // No assignment (killed, or not yet scheduled): nothing is stored.
    await state.appendErrors('Errs-1', [error('b', 0)], 3);
    expect(await state.componentErrors('Errs-1', 'b')).toEqual([]);

    expect(await state.createTopology({ record: record('Errs-1'), bundle: '{}', secret: Buffer.alloc(32) })).toBe(true);
    await state.writeAssignment({ topology: 'Errs-1', name: 'Errs-1', version: 1, active: true, workers: [] });
    await state.appendErrors('Errs-1', [1, 2, 3, 4].map((n) => error('b', n)), 3);
    await state.appendErrors('Errs-1', [error('b', 5), error('s', 6)], 3);
    expect((await state.componentErrors('Errs-1', 'b')).map((e) => e.summary)).toEqual(['bad 3', 'bad 4', 'bad 5']);
    expect(await state.lastErrors('Errs-1')).toEqual([error('b', 5), error('s', 6)]);
    // A bad value is skipped and reported, not fatal.
    await state.redis.lpush('topo:errors:Errs-1:b', '{"component":"b"}');
    expect((await state.componentErrors('Errs-1', 'b')).map((e) => e.summary)).toEqual(['bad 3', 'bad 4', 'bad 5']);
    expect(invalid.map((e) => e.key)).toEqual(['topo:errors:Errs-1:b']);

    await state.removeTopology({ id: 'Errs-1', name: 'Errs-1' });
    expect(await state.redis.keys('topo:errors:Errs-1*')).toEqual([]);
  });
});
