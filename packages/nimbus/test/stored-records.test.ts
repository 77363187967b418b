import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedisServer, waitFor } from '@topo/runtime';
import { ClusterState, NimbusClient, prepareSubmission, type Submission, type TopologyRecord, type TopologySummary } from '@topo/nimbus';
import { NimbusProcess } from './nimbus-process.js';
import { refusal } from './refusal.js';

const tiny = fileURLToPath(new URL('./fixtures/tiny.ts', import.meta.url));
const CONFIG = { 'nimbus.monitor.freq.secs': 0.2, 'nimbus.leader.lease.secs': 1 };
const DAY = 86_400;

let redisServer: TestRedisServer;
let redis: Redis;
let state: ClusterState;
let nimbus: NimbusProcess;

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url);
  state = new ClusterState(redis);
  nimbus = await NimbusProcess.start(redisServer.url, CONFIG);
});

afterAll(async () => {
  await nimbus?.stop();
  redis?.disconnect();
  await redisServer?.stop();
});

function client(): NimbusClient {
  return new NimbusClient({ urls: [nimbus.url!] });
}

async function submission(name: string): Promise<Submission> {
  const { submission, problems } = await prepareSubmission(tiny, { name });
  expect(problems).toEqual([]);
  return submission;
}

async function listed(name: string): Promise<TopologySummary | undefined> {
  return (await client().topologySummary()).topologies.find((t) => t.name === name);
}

/** The leader's assignment of a topology, once it has written one. */
async function assigned(id: string): Promise<void> {
  await waitFor(async () => (await redis.get(`topo:assignment:${id}`)) !== null, `the leader to assign ${id}`);
}

describe('a leader reading a stored topology it cannot run', () => {
  it('marks it FAILED with the reason, keeps serving the others, and survives a restart', async () => {
    const before = (await client().submit(await submission('Before'))).topologyId;
    await assigned(before);

    // Stored as nimbus stored submissions before it had limits: one component with a billion tasks.
    const fine = await submission('Huge');
    const definition = structuredClone(fine.definition);
    definition.components[0].tasks = 1_000_000_000;
    const record: TopologyRecord = {
      id: 'Huge-1000',
      name: 'Huge',
      status: 'active',
      definition,
      overrides: { 'topology.workers': 1, 'topology.acker.executors': 1 },
      parallelism: {},
      submittedAt: Date.now(),
    };
    expect(await state.createTopology({ record, bundle: JSON.stringify(fine.bundle), secret: Buffer.alloc(32) })).toBe(true);
    await state.wake();

    const reason =
      'its definition is invalid: component counter: 1000000000 tasks (p 1), above the limit of 10000 per component (topology.max.task.parallelism); ' +
      'the topology has 1000000003 tasks (ackers included: 1), above the limit of 10000 (topo.max.topology.tasks)';
    await waitFor(async () => (await listed('Huge').catch(() => undefined))?.status === 'FAILED', 'Huge listed as FAILED');
    expect(await listed('Huge')).toMatchObject({ id: 'Huge-1000', status: 'FAILED', problem: reason, tasksTotal: 1_000_000_003, workersTotal: 0 });
    expect((await client().topology('Huge')).problem).toBe(reason);
    expect(await redis.get('topo:assignment:Huge-1000')).toBeNull();

    // The others are still served: a new submission is scheduled, the old one kept.
    const after = (await client().submit(await submission('After'))).topologyId;
    await assigned(after);
    expect((await listed('Before'))?.status).toBe('ACTIVE');
    expect(nimbus.running).toBe(true);
    expect(nimbus.stderr.match(/topology Huge \(Huge-1000\) failed: /g)).toHaveLength(1);

    // No crash loop: the next leader reads the same record and carries on.
    await nimbus.stop();
    nimbus = await NimbusProcess.start(redisServer.url, CONFIG);
    const again = (await client().submit(await submission('Again'))).topologyId;
    await assigned(again);
    expect(nimbus.running).toBe(true);
    expect((await listed('Huge'))?.status).toBe('FAILED');

    const refused = await refusal(client().activate('Huge'));
    expect([refused.status, refused.message]).toEqual([409, `topology Huge (Huge-1000) failed: ${reason}; kill it (topo kill) and submit it again`]);
    await client().kill('Huge', 0);
    await waitFor(async () => (await redis.keys('topo:*Huge-1000*')).length === 0, 'everything of Huge gone');
    for (const id of [before, after, again]) await client().kill(id, 0);
  });
});

describe('kill and rebalance waits', () => {
  it('refuse what is not whole seconds up to nimbus.wait.max.secs, with 400 naming the limit, and leave the record sound', async () => {
    const id = (await client().submit(await submission('Waiting'))).topologyId;
    const stored = await redis.get(`topo:topology:${id}`);
    for (const path of ['kill/1e308', 'kill/86401', 'kill/-1', 'kill/0.5', 'kill/Infinity', 'kill/NaN', 'kill/%20', 'rebalance/1e308', 'rebalance/2.5', 'rebalance/-3']) {
      const response = await fetch(`${nimbus.url}/api/v1/topology/Waiting/${path}`, { method: 'POST' });
      expect(response.status, path).toBe(400);
      const { error } = (await response.json()) as { error: string };
      expect(error, path).toMatch(/^the wait must be a whole number of seconds from 0 to 86400 \(nimbus\.wait\.max\.secs\), got "/);
    }
    const fromCode = await refusal(client().kill('Waiting', 1e308));
    expect(fromCode.message).toBe('the wait must be a whole number of seconds from 0 to 86400 (nimbus.wait.max.secs), got "1e+308"');
    expect(await redis.get(`topo:topology:${id}`)).toBe(stored);
    expect((await client().topology('Waiting')).status).toBe('ACTIVE');

    // The limit itself is accepted, and a second kill may still bring the end closer.
    expect((await client().kill('Waiting', DAY)).topologyStatus).toBe('killed');
    expect((await listed('Waiting'))?.transitionSecondsLeft).toBeGreaterThan(DAY - 60);
    await client().kill('Waiting', 0);
    await waitFor(async () => (await listed('Waiting')) === undefined, 'Waiting gone');
  });
});

describe('a stored record that fails its schema', () => {
  it('is listed with its problem, refused changes, and can be killed and submitted again', async () => {
    const id = (await client().submit(await submission('Corrupt'))).topologyId;
    await assigned(id);
    // What `kill --wait 1e308` left before waits were bounded: a time that JSON stores as null.
    const record = JSON.parse((await redis.get(`topo:topology:${id}`))!) as TopologyRecord;
    await redis.set(`topo:topology:${id}`, JSON.stringify({ ...record, status: 'killed', transition: { kind: 'kill', at: Infinity, resume: 'active' } }));

    const problem = `stored value at topo:topology:${id} is not valid: data/transition/at must be number`;
    expect(await listed('Corrupt')).toMatchObject({ id, status: 'FAILED', problem });
    expect(await client().topology('Corrupt')).toMatchObject({ id, name: 'Corrupt', status: 'FAILED', problem });
    const refused = await refusal(client().rebalance('Corrupt', { workers: 2 }));
    expect([refused.status, refused.message]).toEqual([409, `topology Corrupt (${id}) cannot be changed: ${problem}; kill it (topo kill) and submit it again`]);
    expect((await refusal(client().submit(await submission('Corrupt')))).status).toBe(409);

    expect(await client().kill('Corrupt', 30)).toMatchObject({ topologyId: id, name: 'Corrupt', topologyStatus: 'killed' });
    expect(await redis.keys(`topo:*${id}*`)).toEqual([]);
    expect(await listed('Corrupt')).toBeUndefined();
    const again = await client().submit(await submission('Corrupt'));
    expect(again.topologyId).not.toBe(id);
    await client().kill('Corrupt', 0);
  });

  it('whose name cannot be read is still listed and killed under the name its id carries', async () => {
    const id = (await client().submit(await submission('Garbled'))).topologyId;
    await redis.set(`topo:topology:${id}`, '{"id": "Garbled-');
    expect(await listed('Garbled')).toMatchObject({ id, status: 'FAILED', problem: expect.stringMatching(/is not valid: not JSON/) });
    await client().kill(id, 0);
    expect(await redis.keys(`topo:*${id}*`)).toEqual([]);
    expect(await redis.get('topo:name:Garbled')).toBeNull();
    expect(nimbus.running).toBe(true);
  });
});
