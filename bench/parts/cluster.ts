import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Nimbus, NimbusClient, scheduleCluster, type ClusterWorker, type SupervisorSlots } from '@topo/nimbus';
import { freePortRange, scaledMs, startTestRedis, type ExecutorSpec, captureLogger, silentLogger } from '@topo/runtime';
import { Supervisor } from '@topo/supervisor';
import { TopoError } from '@topo/topology-dsl';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const EXECUTORS = 10_000;
const SUPERVISORS = 1_000;
const SLOTS = 4;

/** Milliseconds `fn` takes, after one untimed call so the JIT has seen the code. */
function timed<T>(fn: () => T): { ms: number; result: T } {
  fn();
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

/** The even scheduler placing 10,000 executors over 1,000 supervisors of 4 slots: from scratch, with nothing changed, and after a tenth of the supervisors died. */
function schedulerAtScale(): Figures {
  const executors: ExecutorSpec[] = Array.from({ length: EXECUTORS }, (_, i) => ({ component: `c${i % 20}`, tasks: [i + 1] }));
  const supervisors: SupervisorSlots[] = Array.from({ length: SUPERVISORS }, (_, i) => ({
    id: `s${i}`,
    host: `10.${(i >> 8) & 255}.${i & 255}.1`,
    ports: Array.from({ length: SLOTS }, (_, p) => 6700 + p),
  }));
  const demand = (current: ClusterWorker[]) => new Map([['big', { executors, workers: SUPERVISORS * SLOTS, current, failed: new Set<string>() }]]);
  const fresh = timed(() => scheduleCluster(demand([]), supervisors));
  const placed = fresh.result.get('big')!;
  if (placed.length !== SUPERVISORS * SLOTS) throw new TopoError(`expected ${SUPERVISORS * SLOTS} workers, got ${placed.length}`);
  const unchanged = timed(() => scheduleCluster(demand(placed), supervisors));
  const survivors = supervisors.filter((_, i) => i % 10 !== 0);
  const failover = timed(() => scheduleCluster(demand(placed), survivors));
  return { freshScheduleMs: fresh.ms, unchangedScheduleMs: unchanged.ms, supervisorLossScheduleMs: failover.ms, workersPlaced: placed.length };
}

/**
 * `topo submit` of the url-parser example (a real CLI process: compile, bundle, upload)
 * to a nimbus and a supervisor already running, until nimbus reports the first acked
 * tree. Workers report every 0.5 s, so the figure is an upper bound by up to that much.
 */
async function submitToFirstAck(options: MeasureOptions): Promise<Figures> {
  // The test suite's quick run shares the machine with other tests: its deadline is on their time scale.
  const limitMs = options.quick ? scaledMs(30_000) : 30_000;
  // Durable, as a production cluster's Redis would be: every state write waits for its fsync.
  const redis = await startTestRedis({ durable: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'topo-bench-cluster-'));
  let listeningAt = 0;
  const nimbus = await Nimbus.start({ redisUrl: redis.url, port: 0, logger: silentLogger() });
  const supervisor = new Supervisor({
    redisUrl: redis.url,
    slots: 2,
    basePort: await freePortRange('127.0.0.1', 2),
    dir,
    // Heartbeats often enough that polling nimbus sees the first ack soon after the worker reports it.
    config: { 'supervisor.heartbeat.frequency.secs': 0.05 },
    logger: captureLogger((r) => {
      if (listeningAt === 0 && / listening on /.test(r.message)) listeningAt = performance.now();
    }),
  }).start();
  const client = new NimbusClient({ urls: [nimbus.url] });
  try {
    while ((await client.supervisorSummary()).supervisors.length === 0) await new Promise((r) => setTimeout(r, 10));
    const start = performance.now();
    const cli = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/topo.js'), 'submit', 'examples/url-parser/topology.ts', '--resource', 'examples/url-parser/data', '--workers', '1', '--nimbus', nimbus.url],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const submitted = new Promise<number>((resolve, reject) => cli.on('exit', (code) => (code === 0 ? resolve(performance.now()) : reject(new TopoError(`topo submit exited with ${code}`)))));
    let firstAck = 0;
    while (firstAck === 0) {
      if (performance.now() - start > limitMs) throw new TopoError(`no acked tuple within ${limitMs / 1000} s of topo submit`);
      const detail = await client.topology('UrlParser').catch(() => undefined);
      if ((detail?.components.find((c) => c.component === 'urlSpout')?.acked ?? 0) > 0) firstAck = performance.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    // The supervisor logs the worker listening when a heartbeat of the worker's shows its port, which can come after the first ack.
    while (listeningAt === 0) {
      if (performance.now() - start > limitMs) throw new TopoError(`the supervisor never logged its worker listening within ${limitMs / 1000} s of topo submit`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const submitDone = await submitted;
    return { submitCommandMs: submitDone - start, submitToWorkerListeningMs: listeningAt - start, submitToFirstAckMs: firstAck - start };
  } finally {
    await supervisor.stop();
    await nimbus.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const cluster: BenchPart = {
  name: 'cluster',
  description: 'Cluster mode: the scheduler at scale (target: under 1 s), and `topo submit` of url-parser to its first acked tuple (target: under 3 s).',
  variants: [
    {
      id: 'cluster/scheduler-10k-executors',
      description: `${EXECUTORS.toLocaleString('en-US')} executors over ${SUPERVISORS.toLocaleString('en-US')} simulated supervisors of ${SLOTS} slots (one worker per slot): from scratch, unchanged (every worker kept), and after a tenth of the supervisors died`,
      measure: async () => schedulerAtScale(),
    },
    {
      id: 'cluster/submit-to-first-ack',
      description: '`topo submit` of url-parser (a CLI process: compile, bundle, upload) to a running nimbus and supervisor on this machine, until nimbus reports the first acked tree (workers report every 0.5 s, so an upper bound)',
      measure: submitToFirstAck,
    },
  ],
};
