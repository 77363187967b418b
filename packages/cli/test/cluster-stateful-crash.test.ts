import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDetail } from '@topo/nimbus';
import { isRunning, scaledMs, waitFor } from '@topo/runtime';
import { fixture } from './cli-process.js';
import { committedState, total } from './committed-counts.js';
import { TRUE_COUNTS } from './fixtures/stateful-word-count.js';
import { ProcessCluster } from './process-cluster.js';

/** Its own cluster (one nimbus, supervisors on 127.0.0.2 and 127.0.0.3): each case SIGKILLs a supervisor. */
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });
const INPUT_WORDS = Object.values(TRUE_COUNTS).reduce((a, b) => a + b, 0);
const NAME = 'StatefulWordCount';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(cluster.redis.url);
});
afterAll(() => redis?.disconnect());

/** Each case starts with both supervisors up and no topology left from the one before. */
afterEach(async () => {
  for (const [host, daemon] of cluster.supervisors) if (daemon.process.child.exitCode !== null || daemon.process.child.signalCode !== null) await cluster.restartSupervisor(host);
  for (const t of (await cluster.client.topologySummary()).topologies) await cluster.client.kill(t.id, 0);
  await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'the cluster empty');
});

/**
 * Submits the stateful word count (two workers, state under `keyPrefix` in the cluster's
 * Redis), waits for a worker on each supervisor and a fifth of the input committed, and
 * returns the topology as it was then.
 */
async function startWordCount(keyPrefix: string): Promise<TopologyDetail> {
  const submitted = await cluster.topo('submit', fixture('stateful-word-count.ts'), '--topology', NAME, '--workers', '2', '--config', `topology.state.provider.config=${JSON.stringify({ url: cluster.redis.url, keyPrefix })}`);
  expect(submitted.code, submitted.stderr).toBe(0);
  const running = await cluster.topologyWhere(NAME, (t) => t.workers.length === 2 && new Set(t.workers.map((w) => w.host)).size === 2 && t.workers.every((w) => isRunning(w.pid)), 'a worker on each supervisor', 60_000);
  let committed = 0;
  await waitFor(async () => (committed = total(await committedState(redis, 'count', keyPrefix))) >= INPUT_WORDS / 5, 'a fifth of the words committed', 60_000, 20);
  expect(committed).toBeLessThan(INPUT_WORDS);
  return running;
}

const component = (t: TopologyDetail, name: string) => t.components.find((c) => c.component === name);

/**
 * Waits for the work to run on the supervisor not on `host`, then for every word of the
 * input committed with no tree pending (a cluster's topology does not end: its spout's
 * `done` is a local run's), then for two more checkpoints, so that anything still on its
 * way would be committed too, and checks the counts.
 */
async function expectExactCountsAfterMoveFrom(host: string, keyPrefix: string): Promise<void> {
  await cluster.topologyWhere(NAME, (t) => t.workers.length === 2 && t.workers.every((w) => w.host !== host && isRunning(w.pid)), 'both workers on the other supervisor', 60_000);
  let committed = 0;
  let detail: TopologyDetail | undefined;
  try {
    await waitFor(
      async () => {
        detail = await cluster.client.topology(NAME).catch(() => undefined);
        committed = total(await committedState(redis, 'count', keyPrefix));
        return detail !== undefined && component(detail, 'sentences')?.pending === 0 && committed >= INPUT_WORDS;
      },
      'every word committed and no tree pending',
      120_000,
      100,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${committed} of ${INPUT_WORDS} words committed`);
  }
  // Acks reach the spout only with a commit: each checkpoint is a PREPARE and a COMMIT tree of the checkpoint spout.
  const checkpoints = component(detail!, '$checkpointspout')!.acked;
  await cluster.topologyWhere(NAME, (t) => component(t, '$checkpointspout')!.acked >= checkpoints + 4, 'two more checkpoints');
  expect(Object.fromEntries(await committedState(redis, 'count', keyPrefix))).toEqual(TRUE_COUNTS);
}

describe('a stateful word count on a cluster, a supervisor SIGKILLed mid-run (rewindable spout, Redis state)', () => {
  it('its worker carries on alone, stops when nimbus moves the work, and the committed counts are exactly the input\'s', async () => {
    const before = await startWordCount('orphaned:');
    const host = before.workers[0].host;
    const orphan = before.workers[0].pid!;
    cluster.supervisors.get(host)!.process.child.kill('SIGKILL');
    await expectExactCountsAfterMoveFrom(host, 'orphaned:');
    // The orphan stopped itself once its assignment no longer held it.
    await waitFor(() => !isRunning(orphan), 'the orphaned worker gone');
  }, scaledMs(300_000));

  it('with its worker (the node lost): the work moves, and the committed counts are exactly the input\'s', async () => {
    const before = await startWordCount('node-lost:');
    const host = before.workers[0].host;
    cluster.supervisors.get(host)!.process.child.kill('SIGKILL');
    for (const w of before.workers.filter((w) => w.host === host)) process.kill(w.pid!, 'SIGKILL');
    await expectExactCountsAfterMoveFrom(host, 'node-lost:');
  }, scaledMs(300_000));
});
