import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDetail, TopologyWorker } from '@topo/nimbus';
import { parseLogLine, scaledMs, waitFor } from '@topo/runtime';
import { fixture } from './cli-process.js';
import { ProcessCluster, stopProcess } from './process-cluster.js';

const TOKEN = 'logs-test-token';
const cluster = ProcessCluster.perFile({ token: TOKEN, nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });

let detail: TopologyDetail;

beforeAll(async () => {
  const submitted = await cluster.topo('submit', fixture('chatty.ts'), '--workers', '2');
  expect(submitted.code, submitted.stderr).toBe(0);
  detail = await cluster.topologyWhere('Chatty', (t) => t.workers.length === 2 && t.workers.every((w) => w.pid !== undefined && w.workerLogLink !== undefined), 'both workers running, with log links');
  // Each worker runs a chatter task, so both have lines to show.
  for (const w of detail.workers) expect(w.executors.map((e) => e.component)).toContain('chatter');
  // Running is not yet talking: wait for each worker's first INFO line, which the tests below read.
  await waitFor(() => detail.workers.every((w) => existsSync(logFile(w)) && readFileSync(logFile(w), 'utf8').includes('heard ')), 'a heard line in each worker log');
}, scaledMs(120_000));

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const heardLine = (w: TopologyWorker) => new RegExp(`^\\S+ INFO \\[chatter:\\d+\\] \\(${escaped(w.id)}\\) heard (\\d+)$`, 'm');
const lineTimes = (stdout: string) => stdout.split('\n').filter((l) => l !== '').map((l) => Date.parse(l.split(' ')[0]));

/** The worker's log file on its supervisor's disk, as the test cluster lays supervisors out. */
function logFile(w: TopologyWorker): string {
  return path.join(cluster.dir, w.host, 'logs', detail.id, String(w.port), 'worker.log');
}

describe('worker logs on a cluster', () => {
  it('`topo logs` prints the lines of every worker, on both supervisors, merged by time; --grep and --worker narrow them', async () => {
    const all = await cluster.topo('logs', 'Chatty', '--grep', 'heard');
    expect(all.code, all.stderr).toBe(0);
    for (const w of detail.workers) expect(all.stdout).toMatch(heardLine(w));
    expect(all.stdout.trim().split('\n').every((l) => / heard \d+$/.test(l))).toBe(true);
    const times = lineTimes(all.stdout);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);

    const [one, other] = detail.workers;
    const only = await cluster.topo('logs', 'Chatty', '--worker', `${one.host}:${one.port}`, '--component', 'chatter');
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toMatch(heardLine(one));
    expect(only.stdout).not.toContain(`(${other.id})`);
  });

  it('`topo logs -f` follows both workers live, across two supervisors', async () => {
    const follow = cluster.topoProcess('logs', 'Chatty', '-f', '--grep', 'heard');
    try {
      const firstSeen = new Map<string, number>();
      for (const w of detail.workers) firstSeen.set(w.id, Number((await follow.waitFor('stdout', heardLine(w)))[1]));
      // Lines written after it started arrive as well, from each worker.
      for (const w of detail.workers) {
        const later = new RegExp(`\\(${escaped(w.id)}\\) heard (\\d+)$`, 'gm');
        await waitFor(() => [...follow.stdout.matchAll(later)].some((m) => Number(m[1]) >= firstSeen.get(w.id)! + 100), `later lines of ${w.id}`);
      }
    } finally {
      await stopProcess(follow);
    }
    // SIGTERM ends the following cleanly (not the SIGKILL stopProcess falls back to).
    expect((await follow.exited).code).toBe(0);
    expect(follow.stderr).toBe('');
  });

  it('`topo set-log-level` turns DEBUG on for a component, and it goes back by itself after the timeout', async () => {
    // Waits read the files on the supervisors' disks (cheap); what a user sees is checked with `topo logs` at the end.
    const written = () => detail.workers.flatMap((w) => readFileSync(logFile(w), 'utf8').split('\n').flatMap((l) => parseLogLine(l) ?? []));
    expect(written().filter((r) => r.level === 'debug')).toEqual([]);

    // On the test time scale: the entry must still be there when read back below, and DEBUG lines come from both workers
    // before it runs out, which a busy machine's slow CLI start and worker turns made a race at a fixed 3 s.
    const timeoutSecs = Math.ceil(scaledMs(3_000) / 1000);
    const set = await cluster.topo('set-log-level', 'Chatty', '--component', 'chatter', 'debug', '--timeout', String(timeoutSecs));
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^Log level of component chatter of Chatty set to DEBUG until \S+$/m);
    const entry = (await cluster.client.logConfig('Chatty')).namedLoggerLevels.chatter;
    expect(entry).toMatchObject({ target_level: 'DEBUG', reset_level: 'INFO', timeout: timeoutSecs });
    expect(Math.abs(entry.timeout_epoch - (Date.now() + timeoutSecs * 1000))).toBeLessThan(scaledMs(2000));

    // Both workers run chatter tasks: both apply it.
    await waitFor(() => {
      const debug = written().filter((r) => r.level === 'debug');
      return detail.workers.every((w) => debug.some((r) => r.worker === w.id && /^detail of tuple \d+$/.test(r.message)));
    }, 'DEBUG lines from both workers');

    // Once past the timeout (and the workers' next look at it, every 0.5 s here), the lines stop.
    await waitFor(async () => Object.keys((await cluster.client.logConfig('Chatty')).namedLoggerLevels).length === 0, 'the level expired');
    const settled = entry.timeout_epoch + scaledMs(2000);
    await waitFor(() => detail.workers.every((w) => written().some((r) => r.worker === w.id && r.level === 'info' && r.time > settled + 1000)), 'INFO lines from both workers well after the timeout');
    const debug = await cluster.topo('logs', 'Chatty', '--since', '10m', '--grep', 'DEBUG');
    expect(debug.code, debug.stderr).toBe(0);
    for (const w of detail.workers) expect(debug.stdout).toMatch(new RegExp(`^\\S+ DEBUG \\[chatter:\\d+\\] \\(${escaped(w.id)}\\) detail of tuple \\d+$`, 'm'));
    expect(Math.max(...lineTimes(debug.stdout))).toBeLessThan(settled);
  });

  it('logconfig refuses unknown levels and callers without the token; null removes an entry at once', async () => {
    const url = `${cluster.nimbusUrls[0]}/api/v1/topology/Chatty/logconfig`;
    const post = (body: unknown, token: string | null = TOKEN) =>
      fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) } });
    const loud = await post({ namedLoggerLevels: { ROOT: { target_level: 'LOUD', timeout: 5 } } });
    expect(loud.status).toBe(400);
    expect(((await loud.json()) as { error: string }).error).toMatch(/^logger ROOT: target_level must be one of ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF/);
    expect((await post({ namedLoggerLevels: { ROOT: { target_level: 'WARN' } } }, null)).status).toBe(401);

    const set = await post({ namedLoggerLevels: { ROOT: { target_level: 'WARN' } } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { namedLoggerLevels: unknown }).namedLoggerLevels).toEqual({ ROOT: { target_level: 'WARN', reset_level: 'INFO', timeout: 0, timeout_epoch: 0 } });
    const removed = await cluster.topo('set-log-level', 'Chatty', '--remove');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^Log level of the workers of Chatty back to as started$/m);
    expect(await cluster.client.logConfig('Chatty')).toEqual({ namedLoggerLevels: {} });
  });

  it('the logviewer reads byte ranges and searches with the token, bound to loopback, and serves nothing outside its folder', async () => {
    const worker = detail.workers[0];
    const link = new URL(worker.workerLogLink!);
    expect(link.hostname).toBe('127.0.0.1');
    expect(link.pathname).toBe('/api/v1/log');
    expect(link.searchParams.get('file')).toBe(`${detail.id}/${worker.port}/worker.log`);
    const get = (pathAndQuery: string, token: string | null = TOKEN) => fetch(`${link.origin}${pathAndQuery}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    const file = encodeURIComponent(`${detail.id}/${worker.port}/worker.log`);

    expect((await get(`/api/v1/log?file=${file}`, null)).status).toBe(401);
    expect((await get(`/api/v1/log?file=${file}`, 'guess')).status).toBe(401);

    const head = await get(`/api/v1/log?file=${file}&start=0&length=100`);
    expect(head.status).toBe(200);
    expect(head.headers.get('x-log-start')).toBe('0');
    expect(Buffer.from(await head.arrayBuffer())).toEqual(readFileSync(logFile(worker)).subarray(0, 100));
    const tail = await get(`/api/v1/log?file=${file}`);
    const size = Number(tail.headers.get('x-log-size'));
    const body = Buffer.from(await tail.arrayBuffer());
    expect(body.length).toBe(Math.min(size, 51_200));
    expect(Number(tail.headers.get('x-log-start'))).toBe(size - body.length);
    expect((await get(`/api/v1/log?file=${file}&start=${size + 1_000_000}`)).status).toBe(400);

    const found = (await (await get(`/api/v1/search?file=${file}&search-string=heard&num-matches=3`)).json()) as { matches: { byteOffset: number; beforeString: string; afterString: string }[] };
    expect(found.matches).toHaveLength(3);
    const content = readFileSync(logFile(worker));
    for (const m of found.matches) {
      expect(content.subarray(m.byteOffset, m.byteOffset + 5).toString()).toBe('heard');
      expect(Buffer.byteLength(m.beforeString)).toBeLessThanOrEqual(128);
      expect(Buffer.byteLength(m.afterString)).toBeLessThanOrEqual(128);
    }
    expect((await get(`/api/v1/search?file=${file}&search-string=${'x'.repeat(1025)}`)).status).toBe(400);

    const listed = (await (await get(`/api/v1/listLogs?topoId=${encodeURIComponent(detail.id)}`)).json()) as string[];
    expect(listed).toContain(`${detail.id}/${worker.port}/worker.log`);

    // A link planted in the folder that leads out of it, and every way of naming a file elsewhere, are refused.
    symlinkSync('/etc/passwd', path.join(path.dirname(logFile(worker)), 'worker.log.7'));
    const outside = [
      '../../../../../../etc/passwd',
      '/etc/passwd',
      `${detail.id}/${worker.port}/../../../../../../etc/passwd`,
      `${detail.id}/..%2F..%2F..%2Fetc/passwd`,
      `${detail.id}/${worker.port}/worker.log.7`,
      `${detail.id}/${worker.port}/../../../topologies/${detail.id}/topology.mjs`,
      `..\\..\\etc\\passwd`,
    ];
    for (const name of outside) {
      const answer = await get(`/api/v1/log?file=${encodeURIComponent(name)}`);
      expect([400, 404], name).toContain(answer.status);
      expect(await answer.text(), name).not.toMatch(/root:/);
    }
  });
});
