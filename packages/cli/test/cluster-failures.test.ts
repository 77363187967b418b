import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type NimbusRegistration, type NimbusSummary, type SupervisorHeartbeat } from '@topo/nimbus';
import { isRunning, waitFor } from '@topo/runtime';
import { ProcessCluster } from './process-cluster.js';

/**
 * One cluster of real processes (Redis, two nimbuses, supervisors on 127.0.0.2 and
 * 127.0.0.3) through every failure the issue names. Each case runs its own topology
 * over a durable id source and requires every id to end up acked. The ids come at a pace
 * (PACED): enough of them to flow through the whole failure and its repair, without
 * spouts flat out taking the cores from the daemons and workers being restarted.
 */
const cluster = ProcessCluster.perFile({ nimbuses: 2, supervisors: ['127.0.0.2', '127.0.0.3'] });
const PACED = { 'test.idsPerSec': 4000 };

/** Each case starts with both supervisors up and no topology left from the one before. */
afterEach(async () => {
  for (const [host, daemon] of cluster.supervisors) if (daemon.process.child.exitCode !== null || daemon.process.child.signalCode !== null) await cluster.restartSupervisor(host);
  for (const t of (await cluster.client.topologySummary()).topologies) await cluster.client.kill(t.id, 0);
  await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'the cluster empty');
});

describe('a cluster under failure loses no spout message id', () => {
  it('restarts a SIGKILLed worker', async () => {
    const ids = await cluster.submitAckedIds('WorkerKill', 20_000, 2, PACED);
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 30_000);
    const victim = (await cluster.client.topology('WorkerKill')).workers[0];
    process.kill(victim.pid!, 'SIGKILL');
    const after = await cluster.topologyWhere('WorkerKill', (t) => t.workers.some((w) => w.id === victim.id && w.restarts === 1 && isRunning(w.pid)), 'the worker restarted in its slot');
    expect(after.workers.find((w) => w.id === victim.id)?.pid).not.toBe(victim.pid);
    await waitFor(() => ids.complete(), 'every id acked', 60_000);
  });

  it('moves the work of a SIGKILLed supervisor and its workers to the other supervisor', async () => {
    const ids = await cluster.submitAckedIds('SupervisorKill', 20_000, 2, PACED);
    const before = await cluster.topologyWhere('SupervisorKill', (t) => t.workers.length === 2 && t.workers.every((w) => isRunning(w.pid)), 'two workers running');
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 30_000);
    const victim = before.workers[0];
    const host = victim.host;
    cluster.supervisors.get(host)!.process.child.kill('SIGKILL');
    for (const w of before.workers.filter((w) => w.host === host)) process.kill(w.pid!, 'SIGKILL');
    const moved = await cluster.topologyWhere('SupervisorKill', (t) => t.workers.length === 2 && t.workers.every((w) => w.host !== host && isRunning(w.pid)), 'both workers on the other supervisor');
    expect(moved.workers.flatMap((w) => w.executors).length).toBe(before.workers.flatMap((w) => w.executors).length);
    await waitFor(() => ids.complete(), 'every id acked', 60_000);
  });

  it('keeps processing when the leader nimbus is SIGKILLed; a standby takes over and `topo list` still answers', async () => {
    const ids = await cluster.submitAckedIds('NimbusKill', 20_000, 2, PACED);
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 30_000);
    let leader: NimbusSummary | undefined;
    await waitFor(async () => (leader = (await cluster.client.nimbusSummary()).nimbuses.find((n) => n.leader)) !== undefined, 'a leader');
    const index = cluster.nimbusUrls.indexOf(leader!.url);
    cluster.nimbuses[index].process.child.kill('SIGKILL');
    const acked = ids.acked().size;
    await waitFor(() => ids.acked().size > acked, 'processing going on without the leader', 30_000);
    await waitFor(async () => {
      const summary = await cluster.client.clusterSummary().catch(() => undefined);
      return summary?.leader !== undefined && summary.leader !== null && summary.leader !== leader!.id;
    }, 'a standby to lead');
    const list = await cluster.topo('list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^NimbusKill +ACTIVE /m);
    await waitFor(() => ids.complete(), 'every id acked', 60_000);
    // The new leader acts: a kill completes.
    await cluster.client.kill('NimbusKill', 0);
    await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'the kill done by the new leader');
    await cluster.restartNimbus(index);
  });

  it('reconnects every daemon after Redis restarts', async () => {
    const ids = await cluster.submitAckedIds('RedisRestart', 20_000, 2, PACED);
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 30_000);
    await cluster.redis.restart();
    const restartedAt = Date.now();
    const afterwards = new Redis(cluster.redis.url);
    try {
      // Supervisors write heartbeats again.
      await waitFor(async () => {
        const fresh = Object.values(await afterwards.hgetall('topo:supervisors')).map((json) => JSON.parse(json) as SupervisorHeartbeat);
        return fresh.filter((b) => b.time > restartedAt).length === 2;
      }, 'both supervisors heartbeating after the restart');
      // Both nimbuses (leader and standby) register again.
      await waitFor(async () => {
        const registered = Object.values(await afterwards.hgetall('topo:nimbuses')).map((json) => JSON.parse(json) as NimbusRegistration);
        return registered.filter((n) => n.time > restartedAt).length === 2;
      }, 'both nimbuses registering after the restart');
      // Nimbus leads and schedules again, and supervisors pick the new assignment up.
      const second = await cluster.submitAckedIds('AfterRestart', 2000, 1);
      await waitFor(() => second.complete(), 'a topology submitted after the restart running', 30_000);
      await waitFor(() => ids.complete(), 'every id of the first topology acked', 60_000);
    } finally {
      afterwards.disconnect();
    }
  });
});
