import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackedIdsTopologyFile, AckLog, waitFor } from '@topo/runtime';
import { CliProcess } from './cli-process.js';
import { stopProcess } from './process-cluster.js';
import { expectAckedIdsStats, expectStormConventions, getJson, post } from './storm-api-checks.js';

const TOTAL = 3000;
const ids = new AckLog(TOTAL);
let run: CliProcess;
let base: string;

// One run for the file: the AckedIds topology over two worker processes, so stats come through the workers' heartbeats.
beforeAll(async () => {
  const config = Object.entries(ids.config).flatMap(([k, v]) => ['--config', `${k}=${v}`]);
  run = new CliProcess(['run', ackedIdsTopologyFile, '--name', 'ids', '--workers', '2', '--ui-port', '0', '--progress-secs', '60', ...config]);
  base = (await run.waitFor('stderr', /serving the REST API and \/metrics on (http:\/\/127\.0\.0\.1:\d+)/))[1];
});
afterAll(() => stopProcess(run));

describe('topo run --ui-port', () => {
  it("serves Storm UI's topology, component and visualization fields, counting what the topology did", async () => {
    await waitFor(() => ids.complete(), 'every id acked', 60_000, 100);
    await expectAckedIdsStats(base, 'ids', TOTAL);
    const { body } = await getJson(base, '/api/v1/topology/summary');
    expect(body.topologies).toEqual([expect.objectContaining({ id: 'ids', encodedId: 'ids', name: 'ids', status: 'ACTIVE', workersTotal: 2 })]);
  });

  it("keeps Storm's headers, JSONP and error bodies", async () => {
    await expectStormConventions(base);
  });

  it('serves /metrics in the Prometheus text format with the counts of the run', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    // Counters end in _total; nothing is in milliseconds.
    for (const [, name] of text.matchAll(/^# TYPE (\S+) counter$/gm)) expect(name).toMatch(/_total$/);
    expect(text).not.toMatch(/^topo_\S*_(ms|millis|milliseconds)[{ ]/m);
    const acked = [...text.matchAll(/^topo_spout_acked_total\{([^}]*)\} (\d+)$/gm)];
    expect(acked.length).toBe(1);
    expect(acked[0][1]).toMatch(/topology="ids",component="spout",task="\d+",worker="127\.0\.0\.1:\d+",stream="default"/);
    expect(Number(acked[0][2])).toBe(TOTAL);
    expect(text).toMatch(/^topo_bolt_executed_total\{topology="ids",component="sink",.*source_component="relay",source_stream="default"\} \d+$/m);
  });

  it('topo stats prints the component table from the run, again and again with --watch until Ctrl-C', async () => {
    const watch = new CliProcess(['stats', 'ids', '--nimbus', base, '--window', 'all-time', '--watch', '--interval', '0.2']);
    await watch.waitFor('stdout', /(^ids +ACTIVE +window All time[^\n]*\n[\s\S]*){2}/m);
    watch.child.kill('SIGINT');
    const { code, stdout, stderr } = await watch.exited;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(new RegExp(`^ids +ACTIVE +window All time +acked ${TOTAL.toLocaleString('en-US')} +failed \\d+ +complete latency \\d+\\.\\d{3} ms$`, 'm'));
    expect(stdout).toMatch(/^component +type +executors +emitted +transferred +executed +acked +failed +capacity +execute ms +process ms +complete ms$/m);
    expect(stdout).toMatch(/^relay +bolt +2 +[\d,]+ +[\d,]+ +[\d,]+ +[\d,]+ +\d+ +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3}$/m);
  });

  it('deactivates and activates the run, and a kill stops it', async () => {
    expect(await post(base, '/api/v1/topology/ids/deactivate')).toMatchObject({ topologyOperation: 'deactivate', topologyId: 'ids', status: 'success' });
    expect((await getJson(base, '/api/v1/topology/summary')).body.topologies[0].status).toBe('INACTIVE');
    await post(base, '/api/v1/topology/ids/activate');
    expect((await getJson(base, '/api/v1/topology/summary')).body.topologies[0].status).toBe('ACTIVE');
    expect(await post(base, '/api/v1/topology/ids/kill/0')).toMatchObject({ topologyOperation: 'kill', status: 'success' });
    const { code, stderr, stdout } = await run.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/stopping \(killed through the API\)/);
    expect(stdout).toMatch(new RegExp(`^summary: emitted \\d+ acked ${TOTAL} `, 'm'));
  });
});
