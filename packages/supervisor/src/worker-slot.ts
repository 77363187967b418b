import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { WorkerHeartbeat } from '@topo/nimbus';
import { workerExecArgv, type Assignment, type ExecutorSpec, type Logger, type RotationLimits, type WorkerProcessSpec } from '@topo/runtime';
import type { LogLevel, TopologyConfig } from '@topo/topology-dsl';
import { clusterWorkerEntry } from './cluster-worker-entry.js';
import type { ClusterWorkerLaunch } from './cluster-worker-launch.js';
import { processStartTime } from './process-identity.js';
import type { SlotRecords } from './slot-records.js';
import type { TopologyFolder } from './topology-folders.js';
import { rollOutFile, workerLogFile, workerOutFile } from './worker-log-files.js';

/** What a slot should run: one worker of one topology, as the assignment says. */
export interface SlotJob {
  topology: string;
  name: string;
  workerId: string;
  executors: ExecutorSpec[];
  assignment: Assignment;
  /** The address the worker listens on (the supervisor's advertised one). */
  host: string;
  folder: TopologyFolder;
  secret: Buffer;
  /** Submit-time config the worker layers over the module's own. */
  overrides: TopologyConfig;
  /**
   * `supervisor.worker.timeout.secs`: a worker silent this long is killed (and restarted),
   * and a worker without a supervisor this long stops itself.
   */
  workerTimeoutMs: number;
}

export interface SlotEnvironment {
  supervisorId: string;
  logDir: string;
  /** `topo.worker.log.max.bytes` and `topo.worker.log.max.files`: how each worker rolls its log. */
  logRotation: RotationLimits;
  logger: Logger;
  /** The lowest level workers log at: the supervisor's own. */
  logLevel: LogLevel;
  /** A worker that has not written a heartbeat this long after starting is killed. */
  startTimeoutMs: number;
  /** What the workers need to reach the cluster state themselves. */
  redisUrl: string;
  keyPrefix: string;
  heartbeatMs: number;
  monitorMs: number;
  records: SlotRecords;
  /** A worker exited on its own: the supervisor converges at once, since the reason is often a changed assignment. */
  onExit: () => void;
  /** Writes a heartbeat for a worker being started (pid 0), so nimbus counts a restart as a sign of life, as the worker's own heartbeats will be. */
  announce: (beat: WorkerHeartbeat) => void;
}

/** The worker process in a slot: started by this supervisor, or adopted from one that died. */
interface SlotProcess {
  pid: number;
  /** With the pid, names this process for good (see processStartTime). */
  started: string;
  /** Set when this supervisor forked it; an adopted process is watched by its pid. */
  child: ChildProcess | undefined;
  topology: string;
  workerId: string;
  identity: string;
  restarts: number;
  launchedAt: number;
  /** Set by its first heartbeat: it listens on its port. */
  listening: boolean;
  lastBeat: number;
  lastBeatClock: number;
}

const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 5000;
/** A worker that ran this long before dying restarts without back-off. */
const HEALTHY_RUN_MS = 10_000;
/** How long a worker gets to close its spouts and flush after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5000;

/**
 * One slot of a supervisor: the worker process in it (at its fixed port), restarted
 * with back-off when it dies or goes silent, and stopped when the slot is assigned
 * elsewhere. The worker follows its assignment and heartbeats on its own; the slot
 * watches those heartbeats. A record on disk says what runs in the slot, so that a
 * supervisor started after one that died adopts the worker rather than restarting it.
 * Each worker writes its own rolled log (see worker-log-files.ts for the layout).
 */
export class WorkerSlot {
  private job: SlotJob | undefined;
  private proc: SlotProcess | undefined;
  private restarts = 0;
  private backoffMs = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly port: number,
    private readonly env: SlotEnvironment,
  ) {
    const record = env.records.read(port);
    if (record === undefined) return;
    if (processStartTime(record.pid) !== record.started) {
      env.records.remove(port);
      return;
    }
    const now = performance.now();
    this.proc = { ...record, child: undefined, launchedAt: now, listening: false, lastBeat: 0, lastBeatClock: now };
    this.restarts = record.restarts;
    this.log('info', `found worker ${record.workerId} of ${record.topology} (pid ${record.pid}) still running on port ${port}`);
  }

  /** The topology this slot runs, if any: the one assigned, or the one its adopted worker runs until the slot is told. */
  get topology(): string | undefined {
    return this.job?.topology ?? this.proc?.topology;
  }

  get workerId(): string | undefined {
    return this.job?.workerId ?? this.proc?.workerId;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Runs `job`: the process already there carries on when it runs the same executors (adopting it if it was left by another supervisor), else a fresh one starts. */
  async run(job: SlotJob): Promise<void> {
    const wanted = identity(job);
    if (this.job !== undefined ? identity(this.job) === wanted : this.proc?.identity === wanted) {
      if (this.job === undefined) this.log('info', `adopted worker ${job.workerId} of ${job.name} (pid ${this.proc!.pid}) on port ${this.port}: its assignment is unchanged`);
      this.job = job;
      return;
    }
    await this.stop();
    this.job = job;
    this.restarts = 0;
    this.backoffMs = RESTART_MIN_MS;
    this.launch();
  }

  /** Stops the worker: SIGTERM (spouts closed, state flushed), then SIGKILL after a grace period. */
  async stop(): Promise<void> {
    this.job = undefined;
    clearTimeout(this.restartTimer);
    const proc = this.proc;
    this.proc = undefined;
    if (proc !== undefined) await terminate(proc);
    this.env.records.remove(this.port);
  }

  /** Notices an adopted worker's death, and kills a worker that never reported or went silent, so it restarts. */
  check(clock = performance.now()): void {
    const proc = this.proc;
    if (proc === undefined) return;
    if (proc.child === undefined && !isAlive(proc)) {
      this.onExit(proc, 'exited');
      return;
    }
    const job = this.job;
    if (job === undefined || !isAlive(proc)) return;
    if (!proc.listening && clock - proc.launchedAt > this.env.startTimeoutMs) {
      this.log('error', `worker ${job.workerId} (pid ${proc.pid}) did not start within ${Math.round(this.env.startTimeoutMs / 1000)} s; killing it`);
      kill(proc);
    } else if (proc.listening && clock - proc.lastBeatClock > job.workerTimeoutMs) {
      this.log('error', `worker ${job.workerId} (pid ${proc.pid}) silent for ${Math.round((clock - proc.lastBeatClock) / 1000)} s; killing it`);
      kill(proc);
    }
  }

  /**
   * The worker's heartbeat as read from Redis (undefined: none yet). After Redis was
   * unreadable (`afresh`), silence counts from now: the worker was not silent, the
   * supervisor was blind.
   */
  observe(beat: WorkerHeartbeat | undefined, afresh: boolean, clock = performance.now()): void {
    const proc = this.proc;
    if (proc === undefined) return;
    if (afresh) {
      if (!proc.listening) proc.launchedAt = clock;
      proc.lastBeatClock = clock;
    }
    if (beat === undefined || beat.pid !== proc.pid) return;
    if (!proc.listening) {
      proc.listening = true;
      this.log('info', `worker ${proc.workerId} (pid ${proc.pid}) listening on port ${beat.port}`);
    } else if (beat.time === proc.lastBeat) {
      return;
    }
    proc.lastBeat = beat.time;
    proc.lastBeatClock = clock;
  }

  private launch(): void {
    const job = this.job!;
    const spec: WorkerProcessSpec = {
      workerId: job.workerId,
      topologyFile: job.folder.moduleFile,
      exportName: job.folder.exportName,
      name: job.name,
      config: job.overrides,
      assignment: job.assignment,
      host: job.host,
      port: this.port,
      logLevel: this.env.logLevel,
      logFile: { path: workerLogFile(this.env.logDir, job.topology, this.port), ...this.env.logRotation },
    };
    const launch: ClusterWorkerLaunch = {
      type: 'launch',
      spec,
      secret: job.secret.toString('hex'),
      cluster: {
        redisUrl: this.env.redisUrl,
        keyPrefix: this.env.keyPrefix,
        topology: job.topology,
        executors: job.executors,
        supervisorId: this.env.supervisorId,
        supervisorPid: process.pid,
        restarts: this.restarts,
        heartbeatMs: this.env.heartbeatMs,
        monitorMs: this.env.monitorMs,
        aloneTimeoutMs: job.workerTimeoutMs,
      },
    };
    const outFile = workerOutFile(this.env.logDir, job.topology, this.port);
    mkdirSync(path.dirname(outFile), { recursive: true });
    rollOutFile(outFile, this.env.logRotation.maxBytes);
    const log = openSync(outFile, 'a');
    let child: ChildProcess;
    try {
      writeSync(log, `${new Date().toISOString()} supervisor ${this.env.supervisorId}: starting worker ${job.workerId} of ${job.name} (${job.topology}) on ${job.host}:${this.port}\n`);
      // Detached: its own session, so the supervisor's terminal and process group (Ctrl-C, a closed terminal) do not reach it.
      // Its output goes to a file, never to a pipe that would break when the supervisor dies; it writes its log itself.
      child = fork(clusterWorkerEntry, [], {
        cwd: job.folder.resourcesDir,
        execArgv: workerExecArgv(job.overrides),
        env: workerEnvironment(),
        stdio: ['ignore', log, log, 'ipc'],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    // A worker that never gets its launch exits at once; onExit restarts it.
    child.send(launch, () => {});
    const time = Date.now();
    this.env.announce({ topology: job.topology, worker: job.workerId, supervisor: this.env.supervisorId, port: this.port, pid: 0, startedAt: time, time, restarts: this.restarts, metrics: [] });
    const now = performance.now();
    const proc: SlotProcess = {
      pid: child.pid ?? 0,
      started: (child.pid !== undefined ? processStartTime(child.pid) : undefined) ?? '',
      child,
      topology: job.topology,
      workerId: job.workerId,
      identity: identity(job),
      restarts: this.restarts,
      launchedAt: now,
      listening: false,
      lastBeat: 0,
      lastBeatClock: now,
    };
    this.proc = proc;
    if (proc.started !== '') {
      const { pid, started, topology, workerId, restarts } = proc;
      this.env.records.write(this.port, { topology, workerId, identity: proc.identity, pid, started, restarts });
    }
    child.on('error', (error) => {
      this.log('error', `worker ${job.workerId}: ${error.message}`);
      // A process that could not be started has no exit to wait for.
      if (child.pid === undefined) this.onExit(proc, error.message);
    });
    child.on('exit', (code, signal) => this.onExit(proc, signal ?? `code ${code}`));
  }

  private onExit(proc: SlotProcess, how: string): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    this.env.records.remove(this.port);
    const job = this.job;
    if (job === undefined) return;
    this.restarts++;
    if (performance.now() - proc.launchedAt > HEALTHY_RUN_MS) this.backoffMs = RESTART_MIN_MS;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(RESTART_MAX_MS, this.backoffMs * 2);
    this.log('error', `worker ${job.workerId} of ${job.name} (pid ${proc.pid}) ${how === 'exited' ? 'exited' : `exited with ${how}`}; restarting it in ${delay} ms (log: ${workerLogFile(this.env.logDir, job.topology, this.port)}, output: ${workerOutFile(this.env.logDir, job.topology, this.port)})`);
    // stop() clears this timer; a job that replaced this one with other executors went through stop() too.
    this.restartTimer = setTimeout(() => {
      if (this.job !== undefined && this.proc === undefined) this.launch();
    }, delay);
    this.env.onExit();
  }

  private log(level: 'info' | 'error', message: string): void {
    this.env.logger[level](message);
  }
}

/** Variables of `topo supervisor` and `topo nimbus` that may hold credentials: the Redis URL (password and all) and the cluster token. */
const DAEMON_ONLY_VARIABLES = ['TOPO_REDIS', 'TOPO_TOKEN'];

/**
 * The supervisor's environment less what only the daemon should hold: a worker gets the
 * Redis URL in its launch message, and whatever is in its environment stays readable in
 * /proc/<pid>/environ and reaches every multi-lang subprocess.
 */
function workerEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of DAEMON_ONLY_VARIABLES) delete env[name];
  return env;
}

/** Same topology, same worker, same executors: the running process can carry on. */
function identity(job: SlotJob): string {
  return `${job.topology}|${job.workerId}|${JSON.stringify(job.executors)}`;
}

function isAlive(proc: SlotProcess): boolean {
  if (proc.child !== undefined) return proc.child.exitCode === null && proc.child.signalCode === null;
  return processStartTime(proc.pid) === proc.started;
}

function kill(proc: SlotProcess): void {
  // Never pid 0 (a process that could not be started): that would signal the supervisor's own process group.
  if (proc.pid <= 0) return;
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
async function terminate(proc: SlotProcess): Promise<void> {
  if (proc.pid <= 0 || !isAlive(proc)) return;
  try {
    process.kill(proc.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = performance.now() + STOP_GRACE_MS;
  let killed = false;
  while (isAlive(proc)) {
    if (!killed && performance.now() > deadline) {
      kill(proc);
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
