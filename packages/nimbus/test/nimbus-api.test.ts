import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestRedis, type LogRecord, type TestRedisServer, waitFor } from '@topo/runtime';
import { Nimbus, NimbusClient, NimbusUnreachableError, prepareSubmission, type Submission } from '@topo/nimbus';
import { refusal } from './refusal.js';


const tiny = fileURLToPath(new URL('./fixtures/tiny.ts', import.meta.url));
const TOKEN = 'open-sesame';
const UPLOAD_LIMIT = 256 * 1024;

let redisServer: TestRedisServer;
let redis: Redis;
let nimbus: Nimbus;
let client: NimbusClient;
const logs: LogRecord[] = [];

async function tinySubmission(name: string, extra: Partial<Submission> = {}): Promise<Submission> {
  const { submission, problems } = await prepareSubmission(tiny, { name });
  expect(problems).toEqual([]);
  return { ...submission, ...extra };
}

async function storedIds(): Promise<string[]> {
  return (await redis.smembers('topo:topologies')).sort();
}

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url);
  nimbus = await Nimbus.start({
    redisUrl: redisServer.url,
    port: 0,
    token: TOKEN,
    config: { 'nimbus.monitor.freq.secs': 0.2, 'nimbus.leader.lease.secs': 1, 'nimbus.upload.max.bytes': UPLOAD_LIMIT },
    logger: (r) => logs.push(r),
  });
  client = new NimbusClient({ urls: [nimbus.url], token: TOKEN });
});

afterAll(async () => {
  await nimbus?.stop();
  redis?.disconnect();
  await redisServer?.stop();
});

describe('nimbus REST API', () => {
  it('answers from the store as soon as start() resolves, not 503 while Redis still connects', async () => {
    const second = await Nimbus.start({ redisUrl: redisServer.url, port: 0, logger: () => {} });
    try {
      const summary = await new NimbusClient({ urls: [second.url] }).supervisorSummary();
      expect(summary.supervisors).toEqual([]);
      // Instance ids: the host name and a nanoid, unique per start, not a few random hex digits.
      expect(second.id).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[A-Za-z0-9_-]{10}$`));
      expect(second.id).not.toBe(nimbus.id);
    } finally {
      await second.stop();
    }
  });

  it('starts without Redis, answering 503 until the store is reachable', async () => {
    const lonely = await Nimbus.start({ redisUrl: `redis://127.0.0.1:${await freePort()}`, port: 0, logger: () => {} });
    try {
      const error = await refusal(new NimbusClient({ urls: [lonely.url] }).supervisorSummary());
      expect(error.status).toBe(503);
      expect(error.message).toMatch(/^cluster state unavailable: Redis at redis:\/\/127\.0\.0\.1:\d+ unavailable \(connect ECONNREFUSED/);
    } finally {
      await lonely.stop();
    }
  });

  it('stores a valid submission under the documented keys and lists it', async () => {
    const result = await client.submit(await tinySubmission('Tiny'));
    expect(result).toMatchObject({ topologyOperation: 'submit', name: 'Tiny', status: 'success', topologyStatus: 'active' });
    const id = result.topologyId;
    expect(id).toMatch(/^Tiny-\d+$/);
    expect(await redis.get('topo:name:Tiny')).toBe(id);
    expect(await redis.get(`topo:topology:${id}:secret`)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse((await redis.get(`topo:topology:${id}:bundle`))!)).toMatchObject({ format: 'topo-bundle/1', externals: ['@topo/topology-dsl'] });
    expect(JSON.parse((await redis.get(`topo:topology:${id}`))!)).toMatchObject({ id, name: 'Tiny', status: 'active', overrides: { 'topology.workers': 1, 'topology.acker.executors': 1 } });
    expect(await storedIds()).toContain(id);

    const { topologies } = await client.topologySummary();
    expect(topologies).toContainEqual(expect.objectContaining({ id, name: 'Tiny', status: 'ACTIVE', tasksTotal: 4, executorsTotal: 4, requestedWorkers: 1 }));
    const detail = await client.topology('Tiny');
    expect(detail.configuration['topology.message.timeout.secs']).toBe(30);
    // No supervisor has joined: the leader assigned nothing yet, and says so.
    await waitFor(() => logs.some((l) => l.message.includes(`${id}) has no free slot`)), 'the no-slot warning');
    expect((await client.clusterSummary()).leader).toBe(nimbus.id);
    expect((await client.nimbusSummary()).nimbuses).toEqual([expect.objectContaining({ id: nimbus.id, url: nimbus.url, leader: true })]);
  });

  it('refuses a topology that fails validation, listing every problem, and stores nothing', async () => {
    const good = await tinySubmission('Broken');
    const before = await storedIds();
    const definition = structuredClone(good.definition);
    definition.components[1].inputs[0].component = 'nowhere';
    definition.config['topology.message.timeout.secs'] = 'soon';
    const error = await refusal(client.submit({ ...good, definition }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/the submission is invalid \(2 problems\)/);
    expect(error.problems.map((p) => p.code).sort()).toEqual(['schema-type', 'unknown-input']);
    expect(await storedIds()).toEqual(before);
  });

  it('refuses a billion tasks with 400 naming the component, the number and the key, stores nothing and keeps leading', async () => {
    const good = await tinySubmission('Billion');
    const before = await storedIds();
    const definition = structuredClone(good.definition);
    definition.components[1].tasks = 1_000_000_000;
    const error = await refusal(client.submit({ ...good, definition }));
    expect(error.status).toBe(400);
    expect(error.problems[0]).toEqual({
      code: 'too-many-tasks',
      component: 'echo',
      message: '1000000000 tasks (p 2), above the limit of 10000 per component (topology.max.task.parallelism)',
    });
    expect(error.problems.map((p) => p.code)).toEqual(['too-many-tasks', 'too-many-tasks']);

    // Submit-time config counts too: a billion workers would mean a billion ackers.
    const workers = await refusal(client.submit({ ...good, overrides: { 'topology.workers': 1e9 } }));
    expect(workers.problems.map((p) => p.code)).toEqual(['too-many-workers', 'too-many-tasks', 'too-many-executors']);
    expect(workers.problems[0].message).toBe('topology.workers is 1000000000, above the limit of 1000 (topo.max.topology.workers)');

    // A topology cannot lift nimbus's limits with its own config.
    const raised = structuredClone(good.definition);
    Object.assign(raised.config, { 'topology.max.task.parallelism': null, 'topo.max.topology.tasks': 1e12, 'topo.max.topology.executors': 1e12 });
    raised.components[1].tasks = 20_000;
    const stillRefused = await refusal(client.submit({ ...good, definition: raised }));
    expect(stillRefused.problems).toEqual([
      { code: 'too-many-tasks', component: 'echo', message: '20000 tasks (p 2), above the limit of 10000 per component (topology.max.task.parallelism)' },
      { code: 'too-many-tasks', message: 'the topology has 20002 tasks (ackers included: 1), above the limit of 10000 (topo.max.topology.tasks)' },
    ]);

    expect(await storedIds()).toEqual(before);
    expect(await redis.get('topo:name:Billion')).toBeNull();
    expect((await client.clusterSummary()).leader).toBe(nimbus.id);
  });

  it('takes its size limits from its settings (topo nimbus --config)', async () => {
    const strict = await Nimbus.start({ redisUrl: redisServer.url, port: 0, logger: () => {}, config: { 'topo.max.topology.tasks': 3 } });
    try {
      const error = await refusal(new NimbusClient({ urls: [strict.url] }).submit(await tinySubmission('Strict')));
      expect(error.problems).toEqual([{ code: 'too-many-tasks', message: 'the topology has 4 tasks (ackers included: 1), above the limit of 3 (topo.max.topology.tasks)' }]);
      expect(await redis.get('topo:name:Strict')).toBeNull();
    } finally {
      await strict.stop();
    }
  });

  it.each([
    ['NUL', 'x\0y', 'name must be printable, without control or format characters (U+0000 at character 2) (got "x\\u0000y")'],
    ['ESC', 'x\u001b[2Jy', 'name must be printable, without control or format characters (U+001B at character 2) (got "x\\u001b[2Jy")'],
    ['BEL', 'x\u0007', 'name must be printable, without control or format characters (U+0007 at character 2) (got "x\\u0007")'],
    ['a C1 control', 'x\u009b31m', 'name must be printable, without control or format characters (U+009B at character 2) (got "x\\u009b31m")'],
    ['a dot', 'a.b', 'name must not contain "." (character 2); names may not hold / \\ . or : (got "a.b")'],
    ['129 characters', 'n'.repeat(129), `name must have at most 128 characters (has 129) (got "${'n'.repeat(128)}"… (129 characters))`],
  ])('refuses a topology or component name with %s (400, escaped) and stores nothing', async (_what, name, message) => {
    const good = await tinySubmission('Named');
    const before = await storedIds();
    const topologyNamed = await fetch(`${nimbus.url}/api/v1/uploadTopology`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...good, definition: { ...good.definition, name } }),
    });
    expect(topologyNamed.status).toBe(400);
    const text = await topologyNamed.text();
    // Not even JSON's own escapes are needed to read the answer safely: nothing unprintable is in it.
    expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect((JSON.parse(text) as { problems: unknown[] }).problems).toEqual([{ code: expect.stringMatching(/^schema-/), message }]);

    const definition = structuredClone(good.definition);
    definition.components[0].name = name;
    definition.components[1].inputs[0].component = name;
    const componentNamed = await refusal(client.submit({ ...good, definition }));
    expect(componentNamed.problems).toEqual([{ code: expect.stringMatching(/^schema-/), component: name, message }]);
    expect(await storedIds()).toEqual(before);
  });

  it('answers 404 for a name with control characters in a path, escaped, and keeps serving', async () => {
    const requests = [
      ['GET', '/api/v1/topology/x%00y'],
      ['POST', '/api/v1/topology/x%1B%5B2J%07/kill/0'],
      ['POST', '/api/v1/topology/x%C2%9B31m/activate'],
    ];
    for (const [method, path] of requests) {
      const response = await fetch(`${nimbus.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status, path).toBe(404);
      const text = await response.text();
      expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      expect((JSON.parse(text) as { error: string }).error).toMatch(/^no topology named x\\u00(00y|1b\[2J\\u0007|9b31m) is running$/);
    }
    const { topologyId } = await client.submit(await tinySubmission('Rebalanced'));
    const bad = await refusal(client.rebalance(topologyId, { parallelism: { 'ghost\u001b[31m': 1 } }));
    expect(bad.problems[0].message).toMatch(/^no component named ghost\\u001b\[31m \(components: counter, echo\)$/);
    await client.kill(topologyId, 0);
  });

  it('refuses malformed bundles with a clear message', async () => {
    const good = await tinySubmission('Malformed');
    const before = await storedIds();
    const notJson = await fetch(`${nimbus.url}/api/v1/uploadTopology`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"definition": ' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);

    const unparseable = await refusal(client.submit({ ...good, bundle: { ...good.bundle, module: 'export default class {' } }));
    expect(unparseable.problems).toEqual([expect.objectContaining({ code: 'malformed-bundle', message: expect.stringMatching(/does not parse at line 1/) })]);

    const badBase64 = await refusal(client.submit({ ...good, bundle: { ...good.bundle, resources: [{ path: 'a.txt', data: '***' }] } }));
    expect(badBase64.problems[0].message).toMatch(/not valid base64/);

    const noBundle = await refusal(client.submit({ definition: good.definition, overrides: {} } as unknown as Submission));
    expect(noBundle.problems[0]).toMatchObject({ code: 'malformed-upload', message: expect.stringMatching(/bundle/) });
    expect(await storedIds()).toEqual(before);
  });

  it('refuses a bundle that would write outside its folder', async () => {
    const good = await tinySubmission('Escape');
    const data = Buffer.from('#!/bin/sh\n').toString('base64');
    const error = await refusal(client.submit({ ...good, bundle: { ...good.bundle, resources: [{ path: '../../../../tmp/evil.sh', data }] } }));
    expect(error.status).toBe(400);
    expect(error.problems).toEqual([{ code: 'unsafe-resource-path', message: 'resource "../../../../tmp/evil.sh" climbs out with ..' }]);
    expect(await redis.get('topo:name:Escape')).toBeNull();
  });

  it('refuses an oversized upload with 413 and keeps serving', async () => {
    const good = await tinySubmission('Huge');
    const data = Buffer.alloc(UPLOAD_LIMIT).toString('base64');
    const error = await refusal(client.submit({ ...good, bundle: { ...good.bundle, resources: [{ path: 'big.bin', data }] } }));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(new RegExp(`accepts at most ${UPLOAD_LIMIT} \\(nimbus.upload.max.bytes\\)`));
    expect((await client.topologySummary()).topologies.some((t) => t.name === 'Huge')).toBe(false);
  });

  it('refuses changes with a missing or wrong token and changes nothing; reads stay open', async () => {
    const wrong = new NimbusClient({ urls: [nimbus.url], token: 'guess' });
    const none = new NimbusClient({ urls: [nimbus.url] });
    const submitted = await refusal(wrong.submit(await tinySubmission('Intruder')));
    expect([submitted.status, submitted.message]).toEqual([401, 'the bearer token is wrong']);
    expect((await refusal(none.kill('Tiny', 0))).message).toMatch(/requires a bearer token/);
    expect((await refusal(wrong.deactivate('Tiny'))).status).toBe(401);
    expect(await redis.get('topo:name:Intruder')).toBeNull();
    expect((await none.topology('Tiny')).status).toBe('ACTIVE');
  });

  it('answers 404 for an unknown name, 409 for a taken one, and replaces with force', async () => {
    expect((await refusal(client.kill('NoSuchTopology', 0))).status).toBe(404);
    expect((await refusal(client.topology('NoSuchTopology'))).message).toBe('no topology named NoSuchTopology is running');
    const taken = await refusal(client.submit(await tinySubmission('Tiny')));
    expect(taken.status).toBe(409);
    expect(taken.message).toMatch(/already running .*--force/);
    const old = await redis.get('topo:name:Tiny');
    const replaced = await client.submit(await tinySubmission('Tiny', { force: true }));
    expect(replaced.topologyId).not.toBe(old);
    await waitFor(async () => !(await storedIds()).includes(old!), 'the replaced topology removed');
    expect(await redis.exists(`topo:topology:${old}:bundle`)).toBe(0);
  });

  it('deactivates, activates and rebalances, validating the rebalance', async () => {
    expect((await client.deactivate('Tiny')).topologyStatus).toBe('inactive');
    expect((await client.topology('Tiny')).status).toBe('INACTIVE');
    expect((await client.activate('Tiny')).topologyStatus).toBe('active');
    const bad = await refusal(client.rebalance('Tiny', { parallelism: { echo: 5, ghost: 1 } }));
    expect(bad.problems.map((p) => p.code).sort()).toEqual(['bad-parallelism', 'unknown-component']);
    // Above the workers limit, which the leader would hold against the topology afterwards.
    const tooMany = await refusal(client.rebalance('Tiny', { workers: 1001 }));
    expect(tooMany.problems).toEqual([expect.objectContaining({ code: 'bad-workers', message: 'workers must be a whole number from 1 to 1000 (topo.max.topology.workers), got 1001' })]);
    expect((await client.rebalance('Tiny', { waitSecs: 1, workers: 2, parallelism: { echo: 1 } })).topologyStatus).toBe('rebalancing');
    await waitFor(async () => (await client.topology('Tiny')).status === 'ACTIVE', 'the rebalance to finish');
    const after = await client.topology('Tiny');
    expect([after.requestedWorkers, after.executorsTotal]).toEqual([2, 3]);
  });

  it('kills after the wait, removing everything stored about the topology', async () => {
    const id = (await client.submit(await tinySubmission('Doomed'))).topologyId;
    expect((await client.kill('Doomed', 1)).topologyStatus).toBe('killed');
    expect((await client.topology(id)).status).toBe('KILLED');
    await waitFor(async () => (await redis.keys(`topo:*${id}*`)).length === 0, 'every key of the topology gone');
    expect(await redis.get('topo:name:Doomed')).toBeNull();
  });

  it('refuses to listen beyond loopback without a token', async () => {
    await expect(Nimbus.start({ redisUrl: redisServer.url, host: '0.0.0.0', port: 0, logger: () => {} })).rejects.toThrow(/refusing to listen on 0.0.0.0 without a token/);
  });

  it('reports an unreachable nimbus by its address', async () => {
    const port = await freePort();
    const nowhere = new NimbusClient({ urls: [`http://127.0.0.1:${port}`] });
    const error = await nowhere.topologySummary().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NimbusUnreachableError);
    expect((error as Error).message).toBe(`cannot reach nimbus at http://127.0.0.1:${port} (connection refused)`);
  });
});
