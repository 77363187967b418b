import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalWorkerPool } from '@topo/runtime';
import { waitFor } from './support/wait-for.js';

const fixture = fileURLToPath(new URL('./fixtures/ack-log-topology.ts', import.meta.url));

function ackedIds(logFile: string): Set<number> {
  if (!existsSync(logFile)) return new Set();
  return new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map(Number));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalWorkerPool: a topology over several worker processes', () => {
  let pool: LocalWorkerPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it('spreads executors over the workers and acks every message id across processes', async () => {
    const ackLog = path.join(mkdtempSync(path.join(tmpdir(), 'topo-pool-')), 'acked.log');
    const total = 20_000;
    pool = await LocalWorkerPool.start({ topologyFile: fixture, workers: 2, config: { 'test.ackLog': ackLog, 'test.total': total }, logger: () => {} });
    const components = pool.assignment.workers.map((w) => new Set(w.executors.map((e) => e.component)));
    expect(components.every((c) => c.has('__acker'))).toBe(true);
    expect(pool.assignment.workers.flatMap((w) => w.executors).length).toBe(2 + 1 + 2 + 2);
    pool.activate();
    await waitFor(() => ackedIds(ackLog).size === total, 'every id acked', 60_000);
    // Tuples crossed between the processes (heartbeats report it every half second).
    await waitFor(() => pool!.heartbeats().reduce((n, h) => n + h.transport.tuplesSent, 0) > 0, 'tuples sent between workers');
  });

  it('restarts a SIGKILLed worker and loses no message id', async () => {
    const ackLog = path.join(mkdtempSync(path.join(tmpdir(), 'topo-pool-')), 'acked.log');
    const total = 60_000;
    pool = await LocalWorkerPool.start({ topologyFile: fixture, workers: 2, config: { 'test.ackLog': ackLog, 'test.total': total }, logger: () => {} });
    pool.activate();
    await waitFor(() => ackedIds(ackLog).size > total / 10, 'a tenth of the ids acked', 60_000);
    const victim = pool.assignment.workers.find((w) => !w.executors.some((e) => e.component === 'spout'))!.id;
    const pid = pool.pids().get(victim)!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => pool!.restarts === 1 && pool!.pids().get(victim) !== pid && pool!.pids().get(victim) !== undefined, 'the worker restarted', 30_000);
    await waitFor(() => ackedIds(ackLog).size === total, 'every id acked after the restart', 90_000);
    // The restarted worker takes part again: its bolts process tuples.
    await waitFor(
      () => pool!.heartbeats().some((h) => h.workerId === victim && h.metrics.some((m) => m.kind === 'bolt' && m.executed > 0)),
      'the restarted worker processing tuples',
      30_000,
    );
  });

  it('survives the SIGKILL of the worker running the spout: the durable source resumes', async () => {
    const ackLog = path.join(mkdtempSync(path.join(tmpdir(), 'topo-pool-')), 'acked.log');
    const total = 40_000;
    pool = await LocalWorkerPool.start({ topologyFile: fixture, workers: 2, config: { 'test.ackLog': ackLog, 'test.total': total }, logger: () => {} });
    pool.activate();
    await waitFor(() => ackedIds(ackLog).size > total / 10, 'a tenth of the ids acked', 60_000);
    const victim = pool.assignment.workers.find((w) => w.executors.some((e) => e.component === 'spout'))!.id;
    process.kill(pool.pids().get(victim)!, 'SIGKILL');
    await waitFor(() => ackedIds(ackLog).size === total, 'every id acked after the spout worker restarted', 90_000);
  });

  it('workers exit when the process that started them dies', async () => {
    const script = `
      import { LocalWorkerPool } from '@topo/runtime';
      const pool = await LocalWorkerPool.start({ topologyFile: ${JSON.stringify(fixture)}, workers: 2,
        config: { 'test.ackLog': ${JSON.stringify(path.join(tmpdir(), `topo-orphans-${process.pid}.log`))}, 'test.total': 10 }, logger: () => {} });
      console.log(JSON.stringify([...pool.pids().values()]));
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: path.dirname(fixture), stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as number[]);
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    expect(pids.every(alive)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(() => pids.every((pid) => !alive(pid)), 'every worker gone', 20_000);
  });
});

describe('LocalWorkerPool: backpressure', () => {
  it('runs a cycle across workers with tiny queues to completion, without deadlock', async () => {
    const cycle = fileURLToPath(new URL('./fixtures/cycle-topology.ts', import.meta.url));
    const ackLog = path.join(mkdtempSync(path.join(tmpdir(), 'topo-cycle-')), 'acked.log');
    const total = 5_000;
    const pool = await LocalWorkerPool.start({ topologyFile: cycle, workers: 2, config: { 'test.ackLog': ackLog, 'test.total': total }, logger: () => {} });
    try {
      pool.activate();
      await waitFor(() => ackedIds(ackLog).size === total, 'every id acked after its laps of the cycle', 90_000);
      // Each id passes `loop` six times (hops 0..5), more when a tree was replayed.
      await waitFor(() => (pool.metrics().find((m) => m.component === 'loop')?.executed ?? 0) >= total * 6, 'six laps per id reported');
    } finally {
      await pool.stop();
    }
  });
});
