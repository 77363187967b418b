import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ClusterKeys, type ClusterAssignment } from '@topo/nimbus';
import { ackedIdsTopologyFile, AckLog, isRunning, waitFor } from '@topo/runtime';
import type { Supervisor } from '@topo/supervisor';
import { TestCluster } from './support/test-cluster.js';
import { workerLogText } from './support/worker-logs.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function assigned(c: TestCluster, id: string, check: (a: ClusterAssignment) => boolean, what: string): Promise<ClusterAssignment> {
  let found: ClusterAssignment | undefined;
  await waitFor(async () => {
    found = await c.assignment(id);
    return found !== undefined && check(found);
  }, what);
  return found!;
}

/** A cluster whose one supervisor, of one slot, runs the AckedIds topology in one worker. */
async function oneWorkerRunning(): Promise<{ c: TestCluster; supervisor: Supervisor; topologyId: string; pid: number | undefined }> {
  const c = (cluster = await TestCluster.start());
  const supervisor = await c.addSupervisor('127.0.0.2', 1);
  // Stopped soon after its first ack: paced, so that it does not take every core meanwhile.
  const ids = new AckLog(1_000_000, { idsPerSec: 5000 });
  const { topologyId } = await c.submit(ackedIdsTopologyFile, { workers: 1, config: ids.config });
  await waitFor(() => ids.acked().size > 0, 'the topology running', 40_000);
  return { c, supervisor, topologyId, pid: [...supervisor.workerPids().values()][0] };
}

describe('supervisors running a topology', () => {
  it('spread its workers over two supervisors, unpack its bundle, log per worker at the supervisor\'s level, and ack every id', async () => {
    cluster = await TestCluster.start();
    const [a, b] = [await cluster.addSupervisor('127.0.0.2', 2), await cluster.addSupervisor('127.0.0.3', 2, { logLevel: 'error' })];
    const ids = new AckLog(5000);
    const { topologyId } = await cluster.submit(ackedIdsTopologyFile, { workers: 2, config: ids.config });
    const assignment = await assigned(cluster, topologyId, (x) => x.workers.length === 2, 'two workers assigned');
    expect(new Set(assignment.workers.map((w) => w.host))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
    await waitFor(() => ids.complete(), 'every id acked', 40_000);
    for (const supervisor of [a, b]) {
      const worker = assignment.workers.find((w) => w.supervisor === supervisor.id)!;
      expect(existsSync(path.join(supervisor.dir, 'topologies', topologyId, 'topology.mjs'))).toBe(true);
      const log = workerLogText(supervisor.dir, topologyId, worker.port);
      expect(log).toContain(`starting worker ${worker.id} of AckedIds`);
      // The worker logs at its supervisor's level: b's at error, so its INFO lines are left out.
      if (supervisor === a) expect(log).toMatch(new RegExp(`INFO \\(${worker.id}\\) pid \\d+ listening on`));
      else expect(log).not.toMatch(/ INFO /);
    }
    // Both workers report to nimbus through their supervisors, counters included.
    await waitFor(async () => {
      const detail = await cluster!.client.topology(topologyId);
      return detail.workers.every((w) => isRunning(w.pid)) && detail.components.some((c) => c.component === 'spout' && c.acked > 0);
    }, 'worker heartbeats with counters');
  });

  it('restart a SIGKILLed worker, and every id is still acked', async () => {
    cluster = await TestCluster.start();
    const supervisor = await cluster.addSupervisor('127.0.0.2', 2);
    const ids = new AckLog(30_000);
    const { topologyId } = await cluster.submit(ackedIdsTopologyFile, { workers: 2, config: ids.config });
    await waitFor(() => ids.acked().size > 2000, 'some ids acked', 40_000);
    const [port, pid] = [...supervisor.workerPids()].find(([, p]) => p !== undefined)!;
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => isRunning(supervisor.workerPids().get(port)) && supervisor.workerPids().get(port) !== pid, 'the worker restarted');
    await waitFor(() => ids.complete(), 'every id acked after the restart', 60_000);
    await waitFor(async () => (await cluster!.client.topology(topologyId)).workers.some((w) => w.restarts === 1), 'the restart reported');
    expect(cluster.logs.some((l) => l.level === 'error' && /exited with SIGKILL; restarting it/.test(l.message))).toBe(true);
  });

  it('keep a healthy worker running while the work of a departed supervisor moves next to it', async () => {
    cluster = await TestCluster.start();
    const stays = await cluster.addSupervisor('127.0.0.2', 2);
    const leaves = await cluster.addSupervisor('127.0.0.3', 2);
    const ids = new AckLog(40_000);
    const { topologyId } = await cluster.submit(ackedIdsTopologyFile, { workers: 2, config: ids.config });
    const before = await assigned(cluster, topologyId, (x) => x.workers.length === 2, 'two workers');
    await waitFor(() => ids.acked().size > 2000, 'some ids acked', 40_000);
    const kept = before.workers.find((w) => w.supervisor === stays.id)!;
    const keptPid = stays.workerPids().get(kept.port);
    expect(isRunning(keptPid)).toBe(true);

    await leaves.stop();
    const after = await assigned(cluster, topologyId, (x) => x.workers.length === 2 && x.workers.every((w) => w.supervisor === stays.id), 'both workers on the remaining supervisor');
    expect(after.workers).toContainEqual(kept);
    await waitFor(() => ids.complete(), 'every id acked after the move', 60_000);
    // The kept worker was told where the moved tasks went; it never restarted.
    expect(stays.workerPids().get(kept.port)).toBe(keptPid);
  });

  it('see the executors of a silent worker moved to another slot by nimbus (nimbus.task.timeout.secs)', async () => {
    // The timeout under test, as short as the second-scale settings had it before they put it on the test time scale:
    // the worker it catches is stopped on purpose, not merely slow.
    cluster = await TestCluster.start({ 'nimbus.task.timeout.secs': 3 });
    const supervisor = await cluster.addSupervisor('127.0.0.2', 2);
    const ids = new AckLog(40_000);
    const { topologyId } = await cluster.submit(ackedIdsTopologyFile, { workers: 1, config: ids.config });
    const before = await assigned(cluster, topologyId, (x) => x.workers.length === 1, 'one worker');
    await waitFor(() => ids.acked().size > 2000, 'some ids acked', 40_000);
    // Stopped, not dead: only the missing heartbeats tell.
    const frozen = supervisor.workerPids().get(before.workers[0].port)!;
    process.kill(frozen, 'SIGSTOP');
    const after = await assigned(cluster, topologyId, (x) => x.workers.length === 1 && x.workers[0].port !== before.workers[0].port, 'the executors moved to the other slot');
    expect(after.workers[0].executors).toEqual(before.workers[0].executors);
    expect(cluster.logs.some((l) => l.message.includes(`worker ${before.workers[0].id} of AckedIds silent for`))).toBe(true);
    await waitFor(() => !isRunning(frozen), 'the silent worker stopped');
    await waitFor(() => ids.complete(), 'every id acked after the move', 60_000);
  });

  it('stop the workers of a killed topology and delete its files', async () => {
    const { c, supervisor, topologyId, pid } = await oneWorkerRunning();
    await c.client.kill(topologyId, 0);
    await waitFor(() => !isRunning(pid) && supervisor.workerPids().get(supervisor.ports[0]) === undefined, 'the worker stopped');
    await waitFor(() => !existsSync(path.join(supervisor.dir, 'topologies', topologyId)), 'the topology folder removed');
    // A kill is no error: not the topology record going while a pass prepares its worker, nor the worker stopping.
    expect(c.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([]);
  });

  it('take a topology whose record is gone while its assignment is still read as killed, not as an error', async () => {
    // What a convergence pass sees when a kill completes between its read of the assignments and its read of the
    // topology record (both go in one transaction, but a pass reads them one after the other): held here, so the
    // supervisor meets it on every pass rather than by chance.
    const { c, supervisor, topologyId, pid } = await oneWorkerRunning();
    await c.nimbus.stop();
    const redis = new Redis(c.redis.url);
    const keys = new ClusterKeys();
    await redis.del(keys.topology(topologyId), keys.secret(topologyId), keys.bundle(topologyId));
    redis.disconnect();
    await waitFor(() => !isRunning(pid) && supervisor.workerPids().get(supervisor.ports[0]) === undefined, 'the worker stopped');
    expect(c.logs).toContainEqual(expect.objectContaining({ level: 'info', message: `stopping the worker of ${topologyId} on port ${supervisor.ports[0]}: no longer assigned here` }));
    expect(c.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([]);
  });
});
