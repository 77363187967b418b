import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failingTopologiesFile, formatLogRecord, maxTracesPerInterval, parseLogLine, waitFor } from '@topo/runtime';
import { workerLogFile } from '@topo/supervisor';
import { ProcessCluster } from './process-cluster.js';

const HOST = '127.0.0.2';
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: [HOST] });

const SUPPRESSED = /\[thrower:\d+\] \(\S+\) (\d+) more errors in 1 s not logged or stored/;
const TRACE = /\[thrower:\d+\] \(\S+\) process\(\) threw: cannot parse input \d+$/;

/**
 * The log of the worker in `port`'s slot, where its supervisor lays it out
 * (`logs/<topologyId>/<port>/worker.log`), its JSON lines in their human form
 * (`time LEVEL [component:task] (worker) message`, as `topo logs` prints them).
 */
function workerLog(topologyId: string, port: number): string {
  const file = workerLogFile(path.join(cluster.dir, HOST, 'logs'), topologyId, port);
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = parseLogLine(line);
      return `${record === undefined ? line : formatLogRecord(record)}\n`;
    })
    .join('');
}

// Side by side: one worker each, in the supervisor's two slots.
describe.concurrent('errors on a cluster', () => {
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

    // Storm UI's component page: the kept errors, oldest first.
    const page = await cluster.client.component('Throwing', 'thrower');
    expect(page.componentErrors).toHaveLength(4);
    const thrower = worker.executors.find((e) => e.component === 'thrower')!;
    const nowSecs = Date.now() / 1000;
    for (const e of page.componentErrors) {
      expect(e).toMatchObject({ errorHost: HOST, errorPort: worker.port, errorWorker: worker.id, errorSource: 'process', errorWorkerLogLink: '' });
      expect(thrower.tasks).toContain(e.errorTask);
      expect(Number.isInteger(e.errorTime)).toBe(true);
      expect(Math.abs(e.errorTime - nowSecs)).toBeLessThan(120);
      expect(e.errorLapsedSecs).toBeGreaterThanOrEqual(0);
      expect(e.error).toMatch(/^Error: cannot parse input \d+\n\s+at /);
    }
    const times = page.componentErrors.map((e) => e.errorTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The topology page's rows: the bolt's last error, none for the spout.
    const stats = await cluster.client.topologyStats('Throwing', ':all-time');
    const row = stats.bolts.find((b) => b.boltId === 'thrower')!;
    expect(row.lastError).toMatch(/^thrower process\(\): cannot parse input \d+$/);
    expect(row).toMatchObject({ errorHost: HOST, errorPort: worker.port });
    expect(row.errorTime).toBeGreaterThanOrEqual(times[3]);
    expect(stats.spouts.find((s) => s.spoutId === 'numbers')).toMatchObject({ lastError: '', errorHost: '', errorPort: '', errorTime: null, errorLapsedSecs: null });

    expect((await cluster.topo('kill', 'Throwing', '--wait', '0')).code).toBe(0);
  });

  it("a spout failing in open() crash-loops its worker, and its error, with the worker's host:port, is the component's last error", async () => {
    const submitted = await cluster.topo('submit', failingTopologiesFile, '--topology', 'OpenFails', '--workers', '1');
    expect(submitted.code, submitted.stderr).toBe(0);
    const detail = await cluster.topologyWhere('OpenFails', (t) => t.lastErrors.some((e) => e.component === 'urlSpout') && (t.workers[0]?.restarts ?? 0) > 0, "the spout's open() error and a restarted worker");
    const [worker] = detail.workers;
    const error = detail.lastErrors.find((e) => e.component === 'urlSpout')!;
    expect(error).toMatchObject({ source: 'open', summary: 'ENOENT data/urls.txt', worker: worker.id, host: HOST, port: worker.port });
    expect(error.error).toMatch(/^Error: ENOENT: no such file or directory, open 'data\/urls.txt'\n\s+at /);
    const stats = await cluster.client.topologyStats('OpenFails', '600');
    expect(stats.spouts.find((s) => s.spoutId === 'urlSpout')).toMatchObject({ lastError: 'urlSpout open(): ENOENT data/urls.txt', errorHost: HOST, errorPort: worker.port });
    // What `topo list` shows for it: nimbus tells the crash loop from the slot's start failures, between two of them the status can read plain ACTIVE.
    const status = new RegExp(`^OpenFails +ACTIVE \\(worker ${HOST.replaceAll('.', '\\.')}:${worker.port} crash-looping: urlSpout open\\(\\): ENOENT data/urls\\.txt\\) `, 'm');
    await cluster.listShowsWorkerProblem('OpenFails', status, '`topo list` to show the crash loop and its reason');
    expect((await cluster.topo('kill', 'OpenFails', '--wait', '0')).code).toBe(0);
  });
});
