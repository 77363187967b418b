import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning, LocalWorkerPool, silentLogger, temporaryDir } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import { runTopology, waitFor } from './support/harness.js';
import { items, scriptedTopology } from './support/scripted-topology.js';

/** Pids the Python bolts recorded (their own and their helpers'), and the pid directories they were given. */
const recorded = (dir: string) => readdirSync(dir).filter((f) => /^\d+$/.test(f)).map(Number);
const pidDirs = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('dir-')).map((f) => readFileSync(path.join(dir, f), 'utf8'));

describe('stopping a topology', () => {
  it('ends every subprocess and every pid in their pid directories, with SIGKILL for those that ignore SIGTERM, and removes the directories', async () => {
    const pids = temporaryDir('topo-pids-');
    const { topology, ledger } = scriptedTopology(items('echo', 0, 10), { p: 2, args: ['--spawn-helper', '--ignore-term', '--record-pids', pids] });
    const run = await runTopology(topology, { 'topo.shell.stop.grace.ms': 300 });
    await waitFor(() => ledger.complete() && recorded(pids).length === 4 && pidDirs(pids).length === 2, 'two bolts and their helpers running');
    expect(recorded(pids).every(isRunning)).toBe(true);
    expect(pidDirs(pids).every((dir) => existsSync(dir))).toBe(true);

    const started = performance.now();
    await run.stop();
    // The bolts ignore SIGTERM and the end of stdin, so the grace period passed and SIGKILL ended them.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(recorded(pids).filter(isRunning)).toEqual([]);
    expect(pidDirs(pids).filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('with `topo run --workers 2` (a LocalWorkerPool) leaves no subprocess or helper behind', async () => {
    const pids = temporaryDir('topo-pids-');
    process.env.TOPO_TEST_PIDS = pids;
    const topologyFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'pool-topology.ts');
    const pool = await LocalWorkerPool.start({ topologyFile, workers: 2, logger: silentLogger() });
    try {
      pool.activate();
      await waitFor(() => recorded(pids).length === 4, 'two bolts and their helpers running', 30_000);
      expect(recorded(pids).every(isRunning)).toBe(true);
    } finally {
      await pool.stop();
      delete process.env.TOPO_TEST_PIDS;
    }
    expect(recorded(pids).filter(isRunning)).toEqual([]);
  });
});
