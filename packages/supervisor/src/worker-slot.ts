import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { WorkerHeartbeat } from '@topo/nimbus';
import {
  stopWorkerProcess,
  workerExecArgv,
  workerProcessEntry,
  type Assignment,
  type ComponentMetricsSnapshot,
  type ExecutorSpec,
  type Logger,
  type PeerAddress,
  type WorkerCommand,
  type WorkerLaunch,
  type WorkerProcessSpec,
  type WorkerReport,
} from '@topo/runtime';
import type { LogLevel, TopologyConfig } from '@topo/topology-dsl';
import type { TopologyFolder } from './topology-folders.js';

/** What a slot should run: one worker of one topology, as the assignment says. */
export interface SlotJob {
  topology: string;
  name: string;
  workerId: string;
  executors: ExecutorSpec[];
  assignment: Assignment;
  peers: PeerAddress[];
  active: boolean;
  /** The address the worker listens on (the supervisor's advertised one). */
  host: string;
  folder: TopologyFolder;
  secret: Buffer;
  /** Submit-time config the worker layers over the module's own. */
  overrides: TopologyConfig;
  /** The worker is killed (and restarted) when silent this long (`supervisor.worker.timeout.secs`). */
  workerTimeoutMs: number;
}

export interface SlotEnvironment {
  supervisorId: string;
  logDir: string;
  logger: Logger;
  /** The lowest level workers log at: the supervisor's own. */
  logLevel: LogLevel;
  /** A worker that has not reported its port this long after starting is killed. */
  startTimeoutMs: number;
}

const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 5000;
/** A worker that ran this long before dying restarts without back-off. */
const HEALTHY_RUN_MS = 10_000;

/**
 * One slot of a supervisor: the worker process in it (at its fixed port), restarted
 * with back-off when it dies or goes silent, told about assignment and activation
 * changes that keep its executors, and stopped when the slot is assigned elsewhere.
 * Its stdout and stderr go to one log file per worker.
 */
export class WorkerSlot {
  private job: SlotJob | undefined;
  private child: ChildProcess | undefined;
  private listening = false;
  private startedAt = 0;
  private launchedAt = 0;
  private lastReport = 0;
  private lastReportClock = 0;
  private metrics: ComponentMetricsSnapshot[] = [];
  private restarts = 0;
  private backoffMs = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private sentAssignment = '';
  private sentActive: boolean | undefined;

  constructor(
    readonly port: number,
    private readonly env: SlotEnvironment,
  ) {}

  /** The topology this slot runs, if any. */
  get topology(): string | undefined {
    return this.job?.topology;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Runs `job`: in the current process when it keeps the same executors, else in a fresh one. */
  async run(job: SlotJob): Promise<void> {
    if (this.job !== undefined && identity(this.job) === identity(job)) {
      this.job = job;
      this.sync();
      return;
    }
    if (this.job !== undefined) await this.stop();
    this.job = job;
    this.restarts = 0;
    this.backoffMs = RESTART_MIN_MS;
    this.launch();
  }

  /** Stops the worker: the stop command (spouts closed, state flushed), then SIGKILL after a grace period. */
  async stop(): Promise<void> {
    this.job = undefined;
    clearTimeout(this.restartTimer);
    if (this.child !== undefined) await stopWorkerProcess(this.child);
  }

  /** Kills a worker that never reported its port, or went silent, so it restarts. */
  check(clock = performance.now()): void {
    const child = this.child;
    const job = this.job;
    if (child === undefined || job === undefined || child.exitCode !== null) return;
    if (!this.listening && clock - this.launchedAt > this.env.startTimeoutMs) {
      this.log('error', `worker ${job.workerId} (pid ${child.pid}) did not start listening within ${Math.round(this.env.startTimeoutMs / 1000)} s; killing it`);
      child.kill('SIGKILL');
    } else if (this.listening && clock - this.lastReportClock > job.workerTimeoutMs) {
      this.log('error', `worker ${job.workerId} (pid ${child.pid}) silent for ${Math.round((clock - this.lastReportClock) / 1000)} s; killing it`);
      child.kill('SIGKILL');
    }
  }

  /** What nimbus should know of this slot's worker; `time` only moves while the worker reports. */
  heartbeat(): WorkerHeartbeat | undefined {
    const job = this.job;
    if (job === undefined || this.startedAt === 0) return undefined;
    return {
      topology: job.topology,
      worker: job.workerId,
      supervisor: this.env.supervisorId,
      port: this.port,
      pid: this.child?.pid ?? 0,
      startedAt: this.startedAt,
      time: this.lastReport,
      restarts: this.restarts,
      metrics: this.metrics,
    };
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
    };
    const logFile = path.join(this.env.logDir, job.topology, `worker-${this.port}.log`);
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      writeSync(log, `${new Date().toISOString()} supervisor ${this.env.supervisorId}: starting worker ${job.workerId} of ${job.name} (${job.topology}) on ${job.host}:${this.port}\n`);
      child = fork(workerProcessEntry, [], {
        cwd: job.folder.resourcesDir,
        execArgv: workerExecArgv(job.overrides),
        stdio: ['ignore', log, log, 'ipc'],
      });
      // A worker that never gets its launch exits at once; onExit restarts it.
      child.send({ type: 'launch', spec, secret: job.secret.toString('hex') } satisfies WorkerLaunch, () => {});
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.listening = false;
    this.metrics = [];
    this.startedAt = Date.now();
    this.lastReport = this.startedAt;
    this.launchedAt = performance.now();
    this.lastReportClock = this.launchedAt;
    this.sentAssignment = assignmentKey(job);
    this.sentActive = false;
    child.on('message', (report: WorkerReport) => this.onReport(child, report));
    child.on('error', (error) => this.log('error', `worker ${job.workerId}: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onReport(child: ChildProcess, report: WorkerReport): void {
    if (this.child !== child) return;
    this.lastReport = Date.now();
    this.lastReportClock = performance.now();
    if (report.type === 'listening') {
      this.listening = true;
      this.log('info', `worker ${report.workerId} (pid ${child.pid}) listening on ${this.job?.host}:${report.port}`);
      this.send({ type: 'peers', peers: this.job!.peers });
      this.sync();
    } else {
      this.metrics = report.metrics;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.listening = false;
    const job = this.job;
    if (job === undefined) return;
    this.restarts++;
    if (performance.now() - this.launchedAt > HEALTHY_RUN_MS) this.backoffMs = RESTART_MIN_MS;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(RESTART_MAX_MS, this.backoffMs * 2);
    this.log('error', `worker ${job.workerId} of ${job.name} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; restarting it in ${delay} ms (log: ${path.join(this.env.logDir, job.topology, `worker-${this.port}.log`)})`);
    // stop() clears this timer; a job that replaced this one with other executors went through stop() too.
    this.restartTimer = setTimeout(() => {
      if (this.job !== undefined && this.child === undefined) this.launch();
    }, delay);
  }

  /** Tells a listening worker what changed without restarting it: placement of other workers, activation. */
  private sync(): void {
    const job = this.job;
    if (job === undefined || !this.listening) return;
    const key = assignmentKey(job);
    if (key !== this.sentAssignment) {
      this.send({ type: 'assignment', assignment: job.assignment, peers: job.peers });
      this.sentAssignment = key;
    }
    if (job.active !== this.sentActive) {
      this.send({ type: job.active ? 'activate' : 'deactivate' });
      this.sentActive = job.active;
    }
  }

  private send(command: WorkerCommand): void {
    if (this.child?.connected === true) this.child.send(command, () => {});
  }

  private log(level: 'info' | 'error', message: string): void {
    this.env.logger({ level, message });
  }
}

/** Same topology, same worker, same executors: the running process can carry on. */
function identity(job: SlotJob): string {
  return `${job.topology}|${job.workerId}|${JSON.stringify(job.executors)}`;
}

function assignmentKey(job: SlotJob): string {
  return JSON.stringify([job.assignment, job.peers]);
}
