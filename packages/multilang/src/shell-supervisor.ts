import type { TopologyContext } from '@topo/topology-dsl';
import { stormContext } from './handshake-context.js';
import { PidDirectory } from './pid-directory.js';
import type { BoltOutputSink } from './bolt-output.js';
import type { ShellProtocolError } from './protocol-error.js';
import { RestartBackoff } from './restart-backoff.js';
import { ShellProcess } from './shell-process.js';
import type { ShellSettings } from './shell-settings.js';

/** What a ShellBolt or ShellSpout does with its subprocess; the supervisor keeps one running. */
export interface ShellOwner {
  /** A (new) subprocess finished its handshake. */
  onReady(process: ShellProcess): void;
  /** A message after the handshake; throw a ProtocolViolation to reject it. */
  onMessage(message: unknown, process: ShellProcess): void;
  /** A bolt's: where its current subprocess's acks, fails and plain emits go instead of `onMessage`. */
  readonly boltOutput?: BoltOutputSink;
  /** stdin drained after a refused write. */
  onDrain(process: ShellProcess): void;
  /** Called about once a second while a ready subprocess runs (a bolt's heartbeat); twice per timeout if that is shorter. */
  onTick(process: ShellProcess): void;
  /** Since when silence counts against the timeout, or undefined when the owner expects nothing. */
  silentSince(process: ShellProcess): number | undefined;
  /** The subprocess is gone; the error is what to report. A new one starts after a backoff. */
  onLost(error: ShellProtocolError): void;
}

/** Storm's ShellBolt heartbeat period; shorter when the timeout is under two of them, so that a healthy idle subprocess always answers in time. */
const TICK_MS = 1_000;

/**
 * Keeps one subprocess running for a shell component task: starts it with the handshake,
 * enforces the subprocess timeout, and when it fails hands the error to the owner and
 * starts a fresh one after a backoff. The pid directory lives as long as the task.
 */
export class ShellSupervisor {
  current: ShellProcess | undefined;
  /** Counts subprocesses started, so messages of a dead one can be told apart. */
  incarnation = 0;
  private readonly pidDir: PidDirectory;
  private readonly backoff: RestartBackoff;
  private readonly ticker: NodeJS.Timeout;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly owner: ShellOwner,
    private readonly settings: ShellSettings,
    private readonly context: TopologyContext,
  ) {
    this.pidDir = PidDirectory.create(context.componentId, context.taskId);
    this.backoff = new RestartBackoff(settings.restartBackoffMs, settings.restartBackoffMaxMs);
    this.ticker = setInterval(() => this.tick(), Math.min(TICK_MS, settings.timeoutMs / 2));
  }

  start(): void {
    if (this.stopped) return;
    this.restartTimer = undefined;
    this.pidDir.clear();
    this.incarnation++;
    const { context } = this;
    const process: ShellProcess = new ShellProcess(
      {
        component: context.componentId,
        task: context.taskId,
        settings: this.settings,
        pidDir: this.pidDir,
        log: (level, message) => context.log(level, message),
        onReady: () => this.owner.onReady(process),
        onMessage: (message) => this.owner.onMessage(message, process),
        boltOutput: this.owner.boltOutput,
        onDrain: () => this.owner.onDrain(process),
        onFailure: (error) => this.lost(process, error),
      },
      {
        pidDir: this.pidDir.path,
        conf: { ...context.config, 'topology.name': context.topologyName },
        context: stormContext(context),
      },
    );
    this.current = process;
  }

  /** Stops the subprocess (SIGTERM, SIGKILL after the grace period) and removes the pid directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    await this.current?.stop();
    this.pidDir.remove();
  }

  private tick(): void {
    const process = this.current;
    if (process === undefined || !process.usable) return;
    const now = performance.now();
    const timeout = this.settings.timeoutMs;
    const secs = timeout / 1000;
    if (!process.ready) {
      const { handshakeTimeoutMs, handshakeTimeoutKey } = this.settings;
      if (now - process.spawnedAt > handshakeTimeoutMs) process.fail(`did not answer the handshake within ${handshakeTimeoutMs / 1000} s (${handshakeTimeoutKey})`);
      return;
    }
    const since = this.owner.silentSince(process);
    if (since !== undefined && now - since > timeout) {
      process.fail(`sent nothing for ${secs} s (topology.subprocess.timeout.secs)`);
      return;
    }
    this.owner.onTick(process);
  }

  private lost(process: ShellProcess, error: ShellProtocolError): void {
    if (this.stopped || process !== this.current) return;
    this.current = undefined;
    this.owner.onLost(error);
    const uptime = process.readyAt === undefined ? 0 : performance.now() - process.readyAt;
    const delay = this.backoff.next(uptime);
    this.context.log('warn', `restarting its multi-lang subprocess in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.start(), delay);
  }
}
