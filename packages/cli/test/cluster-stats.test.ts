import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '@topo/runtime';
import { fixture } from './cli-process.js';
import { ProcessCluster } from './process-cluster.js';
import { PrometheusServer } from './prometheus-server.js';
import { expectAckedIdsStats, expectStormConventions, getJson } from './storm-api-checks.js';

const TOKEN = 'stats-test-token';
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'], token: TOKEN });
let prometheus: PrometheusServer | undefined;
afterAll(() => prometheus?.stop());

describe('stats on a cluster', () => {
  it("nimbus serves Storm UI's fields from the workers' heartbeats, counting what the topology did", async () => {
    const ids = await cluster.submitAckedIds('ids', 2000, 2);
    await waitFor(() => ids.complete(), 'every id acked', 60_000, 100);
    const { id } = await cluster.client.topology('ids');
    await expectAckedIdsStats(cluster.nimbusUrls[0], id, 2000);
    await expectStormConventions(cluster.nimbusUrls[0]);
    const { body } = await getJson(cluster.nimbusUrls[0], `/api/v1/topology/${id}`);
    expect(new Set(body.workers.map((w: { host: string }) => w.host))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
    const table = await cluster.topo('stats', 'ids', '--window', 'all-time');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ids +ACTIVE +window All time +acked 2,000 /m);
    expect(table.stdout).toMatch(/^spout +spout +1 +[\d,]+ +[\d,]+ +2,000 +\d+ +\d+\.\d{3}$/m);
    expect(table.stdout).toMatch(/^sink +bolt +2 +[\d,]+ +0 +[\d,]+ +[\d,]+ +0 +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3}$/m);
    const killed = await cluster.topo('kill', 'ids', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
  });

  it("a real Prometheus scraping nimbus's /metrics sees tuples acked at a rate above zero", async () => {
    // Paced by its sink (5 ms a tuple), so it acks steadily without taking a core from the other tests.
    await cluster.submitAckedIds('paced', 1_000_000, 1, { 'test.delayMs': 5 });
    prometheus = await PrometheusServer.start(new URL(cluster.nimbusUrls[0]).host);
    let rate = 0;
    await waitFor(
      async () => {
        const result = await prometheus!.query('sum(rate(topo_spout_acked_total{topology="paced"}[10s]))');
        rate = Number(result[0]?.value[1] ?? 0);
        return rate > 0;
      },
      'Prometheus to see acked tuples',
      60_000,
      500,
    );
    expect(rate).toBeGreaterThan(0);
    const up = await prometheus.query('up{job="topo"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
    const killed = await cluster.topo('kill', 'paced', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
  });

  it('topo list shows a worker whose spout cannot open as crash-looping, with the reason', async () => {
    const submitted = await cluster.topo('submit', fixture('missing-file.ts'), '--workers', '1');
    expect(submitted.code, submitted.stderr).toBe(0);
    // Between a start failure and the next the slot has a process starting, and the status reads plain ACTIVE for a moment.
    const status = /^MissingFile +ACTIVE \(worker 127\.0\.0\.[23]:\d+ crash-looping: urlSpout open\(\): ENOENT data\/urls\.txt\) /m;
    await cluster.listShowsWorkerProblem('MissingFile', status, '`topo list` to show the crash loop and its reason');
    const killed = await cluster.topo('kill', 'MissingFile', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
  });
});
