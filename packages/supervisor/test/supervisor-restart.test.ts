import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TopologyDetail } from '@topo/nimbus';
import { ackedIdsTopologyFile, AckLog, isRunning, waitFor } from '@topo/runtime';
import { SupervisorProcess } from './support/supervisor-process.js';
import { TestCluster } from './support/test-cluster.js';
import { workerLogText } from './support/worker-logs.js';

/**
 * Workers outlive a supervisor that dies, as in Storm. Nimbus here waits 30 s before it
 * gives up on a silent supervisor, so what the tests see is the node on its own: the
 * workers carrying on, a restarted supervisor adopting them, or the workers giving up.
 * Topologies that are stopped before their last id run at FLOWING ids a second: ids flow
 * through the whole test without the spouts taking every core meanwhile.
 */
const NIMBUS = { 'nimbus.supervisor.timeout.secs': 30 };
const FLOWING = 5000;

let cluster: TestCluster | undefined;
/** The supervisor process running now, stopped (with its workers) after each test. */
let current: SupervisorProcess | undefined;
afterEach(async () => {
  await current?.stop();
  await cluster?.stop();
  current = undefined;
  cluster = undefined;
});

interface Running {
  c: TestCluster;
  s: SupervisorProcess;
  topologyId: string;
  /** The topology with its two workers running. */
  before: TopologyDetail;
}

/** A nimbus in this process and a supervisor of two slots in a process of its own, running AckedIds in two workers, ids flowing. */
async function runningOnSupervisorProcess(ids: AckLog, config: Record<string, string | number> = {}): Promise<Running> {
  const c = (cluster = await TestCluster.start(NIMBUS));
  const s = (current = await SupervisorProcess.start(await c.supervisorOptions('127.0.0.2', 2)));
  const { topologyId } = await c.submit(ackedIdsTopologyFile, { workers: 2, config: { ...ids.config, ...config } });
  const before = await runningWorkers(c, topologyId, 'two workers running');
  await waitFor(() => ids.acked().size > 2000, 'ids flowing', 60_000);
  return { c, s, topologyId, before };
}

/** Another supervisor process with the options of `s` (changed by `changes`), as after a crash. */
async function startAgain(s: SupervisorProcess, changes: Partial<SupervisorProcess['options']> = {}): Promise<SupervisorProcess> {
  return (current = await SupervisorProcess.start({ ...s.options, ...changes }));
}

async function runningWorkers(c: TestCluster, topology: string, what: string, check: (t: TopologyDetail) => boolean = () => true): Promise<TopologyDetail> {
  let detail: TopologyDetail | undefined;
  await waitFor(
    async () => {
      detail = await c.client.topology(topology);
      return detail.workers.length === 2 && detail.workers.every((w) => isRunning(w.pid)) && check(detail);
    },
    what,
    40_000,
  );
  return detail!;
}

function workerLog(s: SupervisorProcess, topology: string, port: number): string {
  return workerLogText(s.options.dir!, topology, port);
}

describe('a supervisor that dies', () => {
  it('leaves its workers processing; restarted, it adopts them: same pids, output never paused over a second', async () => {
    const ids = new AckLog(400_000, { timed: true, idsPerSec: FLOWING });
    const { c, s: first, topologyId, before } = await runningOnSupervisorProcess(ids);

    const killedAt = Date.now();
    await first.kill();
    const s = await startAgain(first);
    await s.waitFor(/adopted worker [^]*adopted worker /);
    const adoptedAt = Date.now();
    await waitFor(() => (ids.ackTimes().at(-1) ?? 0) > adoptedAt + 2000, 'output two seconds past the adoption', 30_000);

    // Pauses measured on the output itself: the spout writes acked ids every 50 ms while any are acked.
    const times = ids.ackTimes().filter((t) => t >= killedAt - 1000);
    const longestPause = Math.max(...times.slice(1).map((t, i) => t - times[i]));
    expect(longestPause).toBeLessThanOrEqual(1000);
    const after = await runningWorkers(c, topologyId, 'both workers still reporting');
    expect(after.workers.map((w) => [w.id, w.pid, w.restarts])).toEqual(before.workers.map((w) => [w.id, w.pid, 0]));
    for (const w of after.workers) {
      const log = workerLog(s, topologyId, w.port);
      expect(log).toMatch(/WARN \(\S+\) supervisor sup-127\.0\.0\.2 \(pid \d+\) is gone; carrying on/);
      expect(log).toContain(`supervisor sup-127.0.0.2 (pid ${s.child.pid}) took over`);
      expect(log).not.toMatch(/EPIPE|ERR_IPC|Unhandled|\bat .*\.js:\d+/);
    }
    // The topology secret and the Redis URL reach workers over IPC only: not in what /proc keeps of their environment,
    // not even when the supervisor has the URL in its own (TOPO_REDIS).
    const secret = (await c.nimbus.state.secret(topologyId))!.toString('hex');
    for (const w of after.workers) {
      const environ = readFileSync(`/proc/${w.pid}/environ`, 'latin1');
      expect(environ).not.toContain(secret);
      expect(environ).not.toContain(c.redis.url);
    }
  });

  it('restarted, adopts the worker still alive and restarts only the one that died meanwhile', async () => {
    const ids = new AckLog(60_000);
    const { c, s: first, topologyId, before } = await runningOnSupervisorProcess(ids);

    await first.kill();
    const [dead, alive] = before.workers;
    process.kill(dead.pid!, 'SIGKILL');
    const s = await startAgain(first);
    const adopted = await s.waitFor(/adopted worker (\S+) /);
    expect(adopted[1]).toBe(alive.id);
    await runningWorkers(c, topologyId, 'the dead worker started again', (t) => t.workers.find((w) => w.id === dead.id)?.pid !== dead.pid);
    await waitFor(() => ids.complete(), 'every id acked', 90_000);
    const after = await c.client.topology(topologyId);
    expect(after.workers.find((w) => w.id === alive.id)?.pid).toBe(alive.pid);
    expect(s.stderr.match(/adopted worker/g)).toHaveLength(1);
  });

  it('restarted with fewer slots, stops the worker it finds on a port that is no longer a slot', async () => {
    const { s: first, topologyId, before } = await runningOnSupervisorProcess(new AckLog(400_000, { idsPerSec: FLOWING }));
    await first.kill();
    const stray = before.workers.find((w) => w.port === first.options.basePort! + 1)!;
    const s = await startAgain(first, { slots: 1 });
    await s.waitFor(new RegExp(`stopping worker pid ${stray.pid} of ${topologyId} on port ${stray.port}, which is not a slot of this supervisor`));
    await waitFor(() => !isRunning(stray.pid), 'the stray worker gone');
    expect(workerLog(s, topologyId, stray.port)).toMatch(/INFO \(\S+\) stopped\n/);
  });

  it('leaves workers that stop themselves, cleanly, once alone past supervisor.worker.timeout.secs', async () => {
    const { s, topologyId, before } = await runningOnSupervisorProcess(new AckLog(400_000, { idsPerSec: FLOWING }), { 'supervisor.worker.timeout.secs': 2 });
    await s.kill();
    await waitFor(() => before.workers.every((w) => !isRunning(w.pid)), 'the workers gone', 30_000);
    for (const w of before.workers) {
      const log = workerLog(s, topologyId, w.port);
      expect(log).toMatch(/INFO \(\S+\) stopping: left alone: no supervisor for 2 s \(supervisor\.worker\.timeout\.secs\)\n/);
      // stop() ran to its end: spouts closed (their acks written), executors stopped.
      expect(log).toMatch(/INFO \(\S+\) stopped\n/);
    }
  });
});
