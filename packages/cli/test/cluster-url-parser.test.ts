import { describe, expect, it } from 'vitest';
import { type TopologySummary } from '@topo/nimbus';
import { isRunning, waitFor } from '@topo/runtime';
import { ProcessCluster } from './process-cluster.js';

const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });

function spoutAcked(components: { component: string; acked: number }[]): number {
  return components.find((c) => c.component === 'urlSpout')?.acked ?? 0;
}

/** A component's executed count, 0 until the heartbeat of a worker running it has reported it. */
function executed(components: { component: string; executed: number }[], component: string): number {
  return components.find((c) => c.component === component)?.executed ?? 0;
}

describe('the url-parser example on a cluster', () => {
  it('is submitted, spread over two supervisors, and its counts grow', async () => {
    // A few trees in flight per spout task, not the example's 1,000: URLs keep flowing all through the file's tests
    // at a fraction of a core, instead of both workers flat out while the tests wait for heartbeats.
    const submitted = await cluster.topo('submit', 'examples/url-parser/topology.ts', '--resource', 'examples/url-parser/data', '--workers', '2', '--config', 'topology.max.spout.pending=5');
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/^submitted UrlParser as UrlParser-\d+ \(active, [\d.]+ KiB uploaded\)$/m);

    const detail = await cluster.topologyWhere('UrlParser', (t) => spoutAcked(t.components) > 0, 'the first acked URLs');
    expect(new Set(detail.workers.map((w) => w.host))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
    const tasksByHost = (host: string) => detail.workers.filter((w) => w.host === host).flatMap((w) => w.executors.flatMap((e) => e.tasks));
    expect(tasksByHost('127.0.0.2').length).toBeGreaterThan(0);
    expect(tasksByHost('127.0.0.3').length).toBeGreaterThan(0);
    expect([...tasksByHost('127.0.0.2'), ...tasksByHost('127.0.0.3')].sort((a, b) => a - b)).toEqual(Array.from({ length: detail.tasksTotal }, (_, i) => i + 1));

    const first = spoutAcked(detail.components);
    await cluster.topologyWhere('UrlParser', (t) => spoutAcked(t.components) > first, 'the acked count to grow');
    // The counts move independently: invalid URLs are rarer, and each count is reported by the heartbeat of the worker running it.
    const counted = await cluster.topologyWhere('UrlParser', (t) => executed(t.components, 'hostCount') > 0 && executed(t.components, 'invalidCount') > 0, 'hosts and invalid URLs counted');
    expect(counted.components.find((c) => c.component === 'hostCount')?.executed).toBeGreaterThan(0);
    expect(counted.components.find((c) => c.component === 'invalidCount')?.executed).toBeGreaterThan(0);
  });

  it('is listed by `topo list`, in a table and as JSON', async () => {
    const table = await cluster.topo('list');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Topology_name +Status +Num_tasks +Num_workers +Uptime_secs +Topology_Id$/m);
    expect(table.stdout).toMatch(/^UrlParser +ACTIVE +11 +2 +\d+ +UrlParser-\d+$/m);
    const json = await cluster.topo('list', '--json');
    const topologies = JSON.parse(json.stdout) as TopologySummary[];
    expect(topologies).toEqual([expect.objectContaining({ name: 'UrlParser', status: 'ACTIVE', workersTotal: 2, tasksTotal: 11 })]);
  });

  it('is deactivated and activated again', async () => {
    const off = await cluster.topo('deactivate', 'UrlParser');
    expect(off.stdout).toMatch(/^Deactivated topology: UrlParser \(UrlParser-\d+\)$/m);
    // Spouts stop: the pending count drains to zero and the acked count stops moving.
    const idle = await cluster.topologyWhere('UrlParser', (t) => t.status === 'INACTIVE' && t.components.find((c) => c.component === 'urlSpout')?.pending === 0, 'the spouts idle');
    const on = await cluster.topo('activate', 'UrlParser');
    expect(on.stdout).toMatch(/^Activated topology: UrlParser/m);
    await cluster.topologyWhere('UrlParser', (t) => spoutAcked(t.components) > spoutAcked(idle.components), 'acks again after activation');
  });

  it('is killed, and its workers stop', async () => {
    const pids = (await cluster.client.topology('UrlParser')).workers.map((w) => w.pid!);
    const killed = await cluster.topo('kill', 'UrlParser', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toMatch(/^Killed topology: UrlParser \(UrlParser-\d+; workers stop now\)$/m);
    await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'the topology gone');
    await waitFor(() => pids.every((pid) => !isRunning(pid)), 'its workers stopped');
    expect((await cluster.topo('list')).stdout.trim()).toBe('No topologies running.');
  });
});
