import { describe, expect, it } from 'vitest';
import { ProcessCluster } from './process-cluster.js';
import { isRunning, scaledMs, waitFor } from '@topo/runtime';

const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });

describe('rebalance and kill on a cluster', () => {
  it('with no flags deals the topology anew: workers crowded onto one node while the other was away spread over both', async () => {
    const ids = await cluster.submitAckedIds('Spread', 100_000, 2, { 'test.delayMs': 0, 'topology.message.timeout.secs': 5 });
    const running = await cluster.topologyWhere('Spread', (t) => t.workers.length === 2 && t.workers.every((w) => isRunning(w.pid)), 'two workers running', 90_000);
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 90_000);

    // One node goes away with its worker: both workers end up on the other.
    const away = '127.0.0.3';
    cluster.supervisors.get(away)!.process.child.kill('SIGKILL');
    for (const w of running.workers.filter((w) => w.host === away)) process.kill(w.pid!, 'SIGKILL');
    const crowded = await cluster.topologyWhere('Spread', (t) => t.workers.length === 2 && t.workers.every((w) => w.host !== away && isRunning(w.pid)), 'both workers on the other node', 90_000);

    // It comes back; a healthy assignment stays as it is until a rebalance.
    await cluster.restartSupervisor(away);
    await waitFor(async () => (await cluster.client.supervisorSummary()).supervisors.length === 2, 'the node back');
    expect((await cluster.client.topology('Spread')).workers.map((w) => w.host)).toEqual(crowded.workers.map((w) => w.host));

    const out = await cluster.topo('rebalance', 'Spread');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^Topology Spread \(Spread-\d+\) is rebalancing; spouts resume after the message timeout$/m);
    const after = await cluster.topologyWhere(
      'Spread',
      (t) => t.status === 'ACTIVE' && t.workers.length === 2 && new Set(t.workers.map((w) => w.host)).size === 2 && t.workers.every((w) => isRunning(w.pid)),
      'one worker on each node',
      90_000,
    );
    await waitFor(() => ids.complete(), 'every id acked', 120_000);
    // Killed only once both workers have started, as their supervisors say.
    for (const w of after.workers) await cluster.supervisors.get(w.host)!.process.waitFor('stderr', new RegExp(`worker ${w.id} \\(pid \\d+\\) listening`), 60_000);
    await cluster.client.kill('Spread', 0);
    await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'Spread gone');
  }, 480_000);

  it('rebalances from one worker to two and back while tuples flow, losing no id', async () => {
    const ids = await cluster.submitAckedIds('Rebalanced', 150_000, 1, { 'test.delayMs': 0 });
    await cluster.topologyWhere('Rebalanced', (t) => t.workers.length === 1, 'one worker');
    await waitFor(() => ids.acked().size > 2000, 'ids flowing', 30_000);

    const out = await cluster.topo('rebalance', 'Rebalanced', '--workers', '2', '--wait', '1');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^Topology Rebalanced \(Rebalanced-\d+\) is rebalancing; spouts resume in 1s$/m);
    const two = await cluster.topologyWhere('Rebalanced', (t) => t.status === 'ACTIVE' && t.workers.length === 2, 'two workers');
    expect(new Set(two.workers.map((w) => w.host)).size).toBe(2);
    const atTwo = ids.acked().size;
    await waitFor(() => ids.acked().size > atTwo + 2000, 'ids flowing over two workers', 30_000);

    const back = await cluster.topo('rebalance', 'Rebalanced', '--workers', '1', '--wait', '1');
    expect(back.code, back.stderr).toBe(0);
    await cluster.topologyWhere('Rebalanced', (t) => t.status === 'ACTIVE' && t.workers.length === 1, 'one worker again');
    await waitFor(() => ids.complete(), 'every id acked', 90_000);
    await cluster.client.kill('Rebalanced', 0);
  });

  it('kill with a wait deactivates the spouts and drains every tree before stopping the workers', async () => {
    // A slow sink keeps hundreds of trees in flight at any moment. Draining them is what the
    // wait is for: it is on the test time scale, and so long a tree timeout that none of them
    // times out (unreplayable once the spouts are deactivated) while a busy machine drains them.
    const ids = await cluster.submitAckedIds('Drained', 1_000_000, 2, { 'test.delayMs': 2, 'topology.message.timeout.secs': 60 });
    const wait = Math.ceil(scaledMs(3_000) / 1000);
    await waitFor(() => ids.acked().size > 500, 'ids flowing', 30_000);
    const pending = await cluster.topologyWhere('Drained', (t) => (t.components.find((c) => c.component === 'spout')?.pending ?? 0) > 100, 'trees in flight');
    expect(pending.status).toBe('ACTIVE');
    const killed = await cluster.topo('kill', 'Drained', '--wait', String(wait));
    expect(killed.stdout).toMatch(new RegExp(`^Killed topology: Drained \\(Drained-\\d+; workers stop after ${wait}s\\)$`, 'm'));
    expect((await cluster.client.topology('Drained')).status).toBe('KILLED');
    await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'the topology gone', 30_000);
    // The spouts' close flushed their logs as the workers stopped: whatever was emitted was acked.
    await waitFor(() => {
      const acked = ids.acked();
      return ids.emitted().size > 0 && [...ids.emitted()].every((id) => acked.has(id));
    }, 'every emitted id acked', 10_000);
    expect(ids.acked().size).toBeLessThan(ids.total);
  });
});
