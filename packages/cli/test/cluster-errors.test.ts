import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorHeadline, failingTopologiesFile, maxTracesPerInterval, waitFor } from '@topo/runtime';
import { ProcessCluster } from './process-cluster.js';

const HOST = '127.0.0.2';
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: [HOST] });

const SUPPRESSED = /\[thrower:\d+\] \(\S+\) (\d+) more errors in 1 s not logged or stored/;
const TRACE = /\[thrower:\d+\] \(\S+\) process\(\) threw: cannot parse input \d+$/;

/** The log file of the worker in `port`'s slot, as its supervisor writes it. */
function workerLog(topologyId: string, port: number): string {
  const file = path.join(cluster.dir, HOST, 'logs', topologyId, `worker-${port}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

describe('errors on a cluster', () => {
  it('a bolt throwing on every input: its worker logs at most 5 traces per interval, and Redis keeps its last errors with time, task, worker and host:port', async () => {
    const submitted = await cluster.topo('submit', failingTopologiesFile, '--topology', 'Throwing', '--workers', '1', '--config', 'topology.error.throttle.interval.secs=1', '--config', 'topo.errors.kept.per.component=4');
    expect(submitted.code, submitted.stderr).toBe(0);
    const detail = await cluster.topologyWhere('Throwing', (t) => t.workers[0]?.pid !== undefined, 'the worker running');
    const [worker] = detail.workers;
    // About five intervals of errors in the worker's log.
    await waitFor(() => workerLog(detail.id, worker.port).split('\n').filter((l) => SUPPRESSED.test(l)).length >= 5, 'five intervals of a throwing bolt in the worker log', 60_000);

    const lines = workerLog(detail.id, worker.port).split('\n');
    expect(maxTracesPerInterval(lines, TRACE, SUPPRESSED)).toBeLessThanOrEqual(5);
    const held = lines.flatMap((l) => SUPPRESSED.exec(l)?.[1] ?? []).map(Number);
    expect(held.reduce((a, b) => a + b, 0)).toBeGreaterThan(lines.filter((l) => TRACE.test(l)).length * 50);

    const { components } = await cluster.client.topologyErrors('Throwing');
    const kept = components.find((c) => c.component === 'thrower')!.errors;
    expect(kept).toHaveLength(4);
    const thrower = detail.workers[0].executors.find((e) => e.component === 'thrower')!;
    for (const record of kept) {
      expect(record).toMatchObject({ component: 'thrower', source: 'process', worker: worker.id, host: HOST, port: worker.port });
      expect(thrower.tasks).toContain(record.task);
      expect(Math.abs(record.time - Date.now())).toBeLessThan(120_000);
      expect(record.error).toMatch(/^Error: cannot parse input \d+\n\s+at /);
    }
    expect(kept.map((r) => r.time)).toEqual(kept.map((r) => r.time).sort((a, b) => a - b));
    const { lastErrors } = await cluster.client.topology('Throwing');
    expect(lastErrors.map((e) => e.component)).toEqual(['thrower']);
    expect(lastErrors[0].time).toBeGreaterThanOrEqual(kept[3].time);

    expect((await cluster.topo('kill', 'Throwing', '--wait', '0')).code).toBe(0);
  });

  it("a spout failing in open() crash-loops its worker, and its error, with the worker's host:port, is the component's last error", async () => {
    const submitted = await cluster.topo('submit', failingTopologiesFile, '--topology', 'OpenFails', '--workers', '1');
    expect(submitted.code, submitted.stderr).toBe(0);
    const detail = await cluster.topologyWhere('OpenFails', (t) => t.lastErrors.some((e) => e.component === 'urlSpout') && (t.workers[0]?.restarts ?? 0) > 0, "the spout's open() error and a restarted worker");
    const [worker] = detail.workers;
    const error = detail.lastErrors.find((e) => e.component === 'urlSpout')!;
    expect(error).toMatchObject({ source: 'open', summary: 'ENOENT data/urls.txt', worker: worker.id, host: HOST, port: worker.port });
    expect(`worker ${error.host}:${error.port} crash-looping: ${errorHeadline(error)}`).toBe(`worker ${HOST}:${worker.port} crash-looping: urlSpout open(): ENOENT data/urls.txt`);
    expect(error.error).toMatch(/^Error: ENOENT: no such file or directory, open 'data\/urls.txt'\n\s+at /);
    expect((await cluster.topo('kill', 'OpenFails', '--wait', '0')).code).toBe(0);
  });
});
