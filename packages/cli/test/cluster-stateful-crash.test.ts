import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, scaledMs, topologyFinished, waitFor } from '@topo/runtime';
import { compile } from '@topo/topology-dsl';
import { fixture } from './cli-process.js';
import { committedState, total } from './committed-counts.js';
import StatefulWordCount, { TRUE_COUNTS } from './fixtures/stateful-word-count.js';
import { ProcessCluster } from './process-cluster.js';

/** Its own cluster (one nimbus, supervisors on 127.0.0.2 and 127.0.0.3): the case SIGKILLs one of them. */
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });
const INPUT_WORDS = Object.values(TRUE_COUNTS).reduce((a, b) => a + b, 0);
const KEY_PREFIX = 'wc:';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(cluster.redis.url);
});
afterAll(() => redis?.disconnect());

describe('a stateful word count on a cluster, a supervisor SIGKILLed mid-run with its workers', () => {
  it('moves the work to the other supervisor, and the committed counts are exactly the input\'s', async () => {
    const submitted = await cluster.topo(
      'submit',
      fixture('stateful-word-count.ts'),
      '--topology',
      'StatefulWordCount',
      '--workers',
      '2',
      '--config',
      `topology.state.provider.config=${JSON.stringify({ url: cluster.redis.url, keyPrefix: KEY_PREFIX })}`,
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const before = await cluster.topologyWhere('StatefulWordCount', (t) => t.workers.length === 2 && new Set(t.workers.map((w) => w.host)).size === 2 && t.workers.every((w) => isRunning(w.pid)), 'a worker on each supervisor', 60_000);
    let committedAtKill = 0;
    await waitFor(async () => (committedAtKill = total(await committedState(redis, 'count', KEY_PREFIX))) >= INPUT_WORDS / 5, 'a fifth of the words committed', 60_000, 20);
    // The node is lost: its supervisor and its worker die at once (a supervisor alone leaves its workers running).
    const host = before.workers[0].host;
    cluster.supervisors.get(host)!.process.child.kill('SIGKILL');
    for (const w of before.workers.filter((w) => w.host === host)) process.kill(w.pid!, 'SIGKILL');
    expect(committedAtKill).toBeLessThan(INPUT_WORDS);
    await cluster.topologyWhere('StatefulWordCount', (t) => t.workers.length === 2 && t.workers.every((w) => w.host !== host && isRunning(w.pid)), 'both workers on the other supervisor', 60_000);
    // Finished as `topo run` judges it: the spout done, nothing pending (acks come only with a commit).
    const definition = compile(StatefulWordCount);
    await cluster.topologyWhere('StatefulWordCount', (t) => topologyFinished(definition, t.components), 'the spout done and no tree pending', 120_000);
    expect(Object.fromEntries(await committedState(redis, 'count', KEY_PREFIX))).toEqual(TRUE_COUNTS);
  }, scaledMs(300_000));
});
