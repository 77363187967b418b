import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TopologyConfig } from '@topo/topology-dsl';
import { AckLog, ackedIdsTopologyFile, isRunning, LocalWorkerPool, silentLogger } from '@topo/runtime';
import { waitFor } from '@topo/runtime';

/** The AckedIds topology with more trees in flight than its own 500, so these runs take seconds. */
function poolConfig(ids: AckLog): TopologyConfig {
  return { ...ids.config, 'topology.max.spout.pending': 2000 };
}


describe('LocalWorkerPool: a topology over several worker processes', () => {
  let pool: LocalWorkerPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it('spreads executors over the workers and acks every message id across processes', async () => {
    const ids = new AckLog(20_000);
    pool = await LocalWorkerPool.start({ topologyFile: ackedIdsTopologyFile, workers: 2, config: poolConfig(ids), logger: silentLogger() });
    const components = pool.assignment.workers.map((w) => new Set(w.executors.map((e) => e.component)));
    expect(components.every((c) => c.has('__acker'))).toBe(true);
    expect(pool.assignment.workers.flatMap((w) => w.executors).length).toBe(2 + 1 + 2 + 2);
    pool.activate();
    await waitFor(() => ids.complete(), 'every id acked', 60_000);
    // Tuples crossed between the processes (heartbeats report it every half second).
    await waitFor(() => pool!.heartbeats().reduce((n, h) => n + h.transport.tuplesSent, 0) > 0, 'tuples sent between workers');
  });

  it('restarts a SIGKILLed worker and loses no message id', async () => {
    const ids = new AckLog(60_000);
    pool = await LocalWorkerPool.start({ topologyFile: ackedIdsTopologyFile, workers: 2, config: poolConfig(ids), logger: silentLogger() });
    pool.activate();
    await waitFor(() => ids.acked().size > ids.total / 10, 'a tenth of the ids acked', 60_000);
    const victim = pool.assignment.workers.find((w) => !w.executors.some((e) => e.component === 'spout'))!.id;
    const pid = pool.pids().get(victim)!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => pool!.restarts === 1 && pool!.pids().get(victim) !== pid && pool!.pids().get(victim) !== undefined, 'the worker restarted', 30_000);
    await waitFor(() => ids.complete(), 'every id acked after the restart', 90_000);
    // The restarted worker takes part again: its bolts process tuples.
    await waitFor(
      () => pool!.heartbeats().some((h) => h.workerId === victim && h.metrics.some((m) => m.kind === 'bolt' && m.executed > 0)),
      'the restarted worker processing tuples',
      30_000,
    );
  });

  it('survives the SIGKILL of the worker running the spout: the durable source resumes', async () => {
    const ids = new AckLog(40_000);
    pool = await LocalWorkerPool.start({ topologyFile: ackedIdsTopologyFile, workers: 2, config: poolConfig(ids), logger: silentLogger() });
    pool.activate();
    await waitFor(() => ids.acked().size > ids.total / 10, 'a tenth of the ids acked', 60_000);
    const victim = pool.assignment.workers.find((w) => w.executors.some((e) => e.component === 'spout'))!.id;
    process.kill(pool.pids().get(victim)!, 'SIGKILL');
    await waitFor(() => ids.complete(), 'every id acked after the spout worker restarted', 90_000);
  });

  it('workers stop cleanly, with no EPIPE, when the process that started them is SIGKILLed under load', async () => {
    // Workers write to the parent's stderr, a pipe this test holds open, so their last words are read even after the parent is gone.
    const ids = new AckLog(40_000);
    const script = `
      import { LocalWorkerPool, terminalLogger } from '@topo/runtime';
      const pool = await LocalWorkerPool.start({ topologyFile: ${JSON.stringify(ackedIdsTopologyFile)}, workers: 2,
        config: ${JSON.stringify(poolConfig(ids))}, logger: terminalLogger('info'), logLevel: 'info' });
      pool.activate();
      console.log(JSON.stringify([...pool.pids().values()]));
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    parent.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The pipe ends once the parent and every worker holding it have exited.
    const stderrEnded = new Promise((resolve) => parent.stderr.on('end', resolve));
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as number[]);
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early with ${code}: ${stderr}`)));
    });
    try {
      expect(pids.every(isRunning)).toBe(true);
      // Under load: heartbeats are due while the workers are busy, which is when a send into the broken channel used to kill them.
      await waitFor(() => ids.acked().size > 2000, 'ids flowing', 40_000);
    } finally {
      parent.kill('SIGKILL');
    }
    await waitFor(() => pids.every((pid) => !isRunning(pid)), 'every worker gone', 20_000);
    await stderrEnded;
    expect(stderr).not.toMatch(/EPIPE|ERR_IPC_CHANNEL_CLOSED|Unhandled/);
    for (const id of ['worker-001', 'worker-002']) {
      expect(stderr).toMatch(new RegExp(`INFO \\(${id}\\) stopping: the parent process is gone$`, 'm'));
      // stop() ran to its end: spouts closed (acks flushed), executors stopped.
      expect(stderr).toMatch(new RegExp(`INFO \\(${id}\\) stopped$`, 'm'));
    }
  });
});

describe('LocalWorkerPool: backpressure', () => {
  it('runs a cycle across workers with tiny queues to completion, without deadlock', async () => {
    const cycle = fileURLToPath(new URL('./fixtures/cycle-topology.ts', import.meta.url));
    // The cycle topology records its acked ids as AckedIds does.
    const ids = new AckLog(5_000);
    const pool = await LocalWorkerPool.start({ topologyFile: cycle, workers: 2, config: ids.config, logger: silentLogger() });
    try {
      pool.activate();
      await waitFor(() => ids.complete(), 'every id acked after its laps of the cycle', 90_000);
      // Each id passes `loop` six times (hops 0..5), more when a tree was replayed.
      await waitFor(() => (pool.metrics().find((m) => m.component === 'loop')?.executed ?? 0) >= ids.total * 6, 'six laps per id reported');
    } finally {
      await pool.stop();
    }
  });
});
