import { spawn, type ChildProcess } from 'node:child_process';
import type { LogLevel } from '@topo/topology-dsl';
import { FrameWriter, streamSink } from './frame-writer.js';
import type { PidDirectory } from './pid-directory.js';
import { signalPid } from './pid-directory.js';
import { ShellProtocolError } from './protocol-error.js';
import { excerpt, ProtocolViolation } from './protocol-violation.js';
import type { BoltOutputSink } from './bolt-output.js';
import type { MessageDecoder } from './serializer.js';
import type { ShellSettings } from './shell-settings.js';
import { StderrLines } from './stderr-lines.js';

export interface ShellProcessOptions {
  component: string;
  task: number;
  settings: ShellSettings;
  pidDir: PidDirectory;
  /** The component's log (the worker's logger, with component and task). */
  log(level: LogLevel, message: string): void;
  /** The handshake's pid reply arrived. */
  onReady(): void;
  /** Each message after the pid reply; throw a ProtocolViolation to reject it. */
  onMessage(message: unknown): void;
  /** A bolt's: where its acks, fails and plain emits go instead of `onMessage` (the same rules apply). */
  boltOutput?: BoltOutputSink;
  /** stdin drained after a write it refused. */
  onDrain(): void;
  /** Once, after the subprocess died or broke the protocol and is gone. Not called after `stop()`. */
  onFailure(error: ShellProtocolError): void;
}

/** How long to wait for the rest of stdout after the subprocess exited: its last acks still count. */
const STDOUT_AFTER_EXIT_MS = 500;
/**
 * How long a broken stdin waits for the process's exit before it is the reason given. A
 * pipe mostly breaks because the process died, and its exit (with a message cut off, or
 * its status) says more than EPIPE; on a busy machine the exit can come after the EPIPE.
 */
const EXIT_AFTER_BROKEN_STDIN_MS = 2000;
/** How long to wait for a killed subprocess to exit before reporting it anyway. */
const KILL_WAIT_MS = 2_000;
const POLL_MS = 20;

type State = 'running' | 'failing' | 'stopping';

/**
 * One multi-lang subprocess: spawned in its own process group, handed the handshake,
 * its stdout decoded into messages, its stderr logged line by line. Whatever ends it
 * (exit, broken pipe, a protocol violation the owner finds, a timeout) ends up as one
 * `onFailure` with the pid, exit status and the last lines of stderr.
 */
export class ShellProcess implements BoltOutputSink {
  readonly writer: FrameWriter;
  readonly spawnedAt = performance.now();
  /** When output last arrived (any output counts as life); starts at the spawn. */
  lastHeard = this.spawnedAt;
  /** When the handshake completed, or undefined before. */
  readyAt: number | undefined;
  reportedPid: number | undefined;

  private readonly child: ChildProcess;
  private readonly decoder: MessageDecoder;
  private readonly stderr: StderrLines;
  private state: State = 'running';
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stdoutEnded = false;
  private stderrEnded = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: ShellProcessOptions,
    handshake: unknown,
  ) {
    const { settings } = options;
    this.decoder = settings.serializer.createDecoder((message) => this.receive(message), settings.maxMessageBytes, options.boltOutput === undefined ? undefined : this);
    this.stderr = new StderrLines((line) => options.log('info', `${this.label()} stderr: ${line}`));
    this.child = spawn(settings.command, settings.args, {
      cwd: settings.cwd,
      env: { ...process.env, ...settings.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so stopping it reaches whatever it started too.
      detached: true,
    });
    const child = this.child;
    this.writer = new FrameWriter(streamSink(child.stdin!));
    child.on('error', (error) => this.fail(`could not be started (${settings.command}: ${error.message})`));
    child.on('exit', (code, signal) => this.exited(code, signal));
    child.stdin!.once('error', (error) => this.stdinBroke(error));
    child.stdin!.on('drain', () => {
      this.writer.full = false;
      if (this.state === 'running') options.onDrain();
    });
    child.stdout!.on('data', (chunk: Buffer) => this.decode(chunk));
    child.stdout!.on('end', () => (this.stdoutEnded = true));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => this.stderr.push(text));
    child.stderr!.on('end', () => {
      this.stderrEnded = true;
      this.stderr.end();
    });
    this.writer.write(settings.serializer.encode(handshake));
  }

  /** The pid it reported, else the one spawned. */
  get pid(): number | undefined {
    return this.reportedPid ?? this.child.pid;
  }

  get ready(): boolean {
    return this.readyAt !== undefined;
  }

  /** True while it takes messages: started, not failed, not stopping. */
  get usable(): boolean {
    return this.state === 'running';
  }

  send(frame: string | Buffer): void {
    if (this.state === 'running') this.writer.write(frame);
  }

  /** Stops reading its stdout (a spout between turns); what it writes waits in the pipe. */
  pause(): void {
    this.child.stdout!.pause();
  }

  resume(): void {
    this.child.stdout!.resume();
  }

  /** Ends it for breaking the protocol or going silent; `onFailure` follows once it is gone. */
  fail(reason: string): void {
    if (this.state !== 'running') return;
    this.state = 'failing';
    this.writer.discard();
    this.signalAll('SIGKILL');
    void this.report(reason);
  }

  /** SIGTERM to the subprocess, its process group and every pid in the pid directory; SIGKILL after the grace period. */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    this.state = 'stopping';
    this.writer.discard();
    // EOF on stdin lets a well-behaved component finish on its own.
    this.child.stdin!.end();
    this.signalAll('SIGTERM');
    const gone = () => this.childGone() && !this.options.pidDir.anyAlive();
    if (!(await until(gone, this.options.settings.stopGraceMs))) {
      this.signalAll('SIGKILL');
      await until(gone, KILL_WAIT_MS);
    }
  }

  private signalAll(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid !== undefined && this.exitStatus === undefined) {
      signalPid(-pid, signal);
      signalPid(pid, signal);
    } else if (pid !== undefined) {
      // The leader is gone, but helpers it started may still hold its group.
      signalPid(-pid, signal);
    }
    this.options.pidDir.signalAll(signal);
  }

  /** Exited (its exit status is known), or never started. */
  private childGone(): boolean {
    return this.exitStatus !== undefined || this.child.pid === undefined;
  }

  private decode(chunk: Buffer): void {
    if (this.state !== 'running') return;
    // Output of any kind counts as life; once per chunk rather than per message, as it is the same moment.
    this.lastHeard = performance.now();
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.fail(error instanceof ProtocolViolation ? error.message : `could not be handled: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private receive(message: unknown): void {
    if (this.state !== 'running') return;
    if (this.readyAt !== undefined) {
      this.options.onMessage(message);
      return;
    }
    const pid = (message as { pid?: unknown } | null)?.pid;
    if (typeof message !== 'object' || message === null || !Number.isInteger(pid) || (pid as number) <= 0) {
      throw new ProtocolViolation(`answered the handshake with ${excerpt(message)} instead of {"pid": <its pid>}`);
    }
    this.reportedPid = pid as number;
    this.readyAt = performance.now();
    this.options.onReady();
  }

  onFinish(failed: boolean, id: number): void {
    if (this.state !== 'running') return;
    if (this.readyAt === undefined) this.receive({ command: failed ? 'fail' : 'ack', id: String(id) });
    else this.options.boltOutput!.onFinish(failed, id);
  }

  onEmit(anchors: readonly number[], anchorCount: number, stream: string, tuple: unknown[], needTaskIds: boolean): void {
    if (this.state !== 'running') return;
    if (this.readyAt === undefined) this.receive({ command: 'emit', anchors: anchors.slice(0, anchorCount).map(String), stream, tuple, need_task_ids: needTaskIds });
    else this.options.boltOutput!.onEmit(anchors, anchorCount, stream, tuple, needTaskIds);
  }

  private stdinBroke(error: Error): void {
    // Later writes to the broken pipe fail too: swallow them, the first error is the one that counts.
    this.child.stdin!.on('error', () => {});
    void until(() => this.exitStatus !== undefined, EXIT_AFTER_BROKEN_STDIN_MS).then((exited) => {
      if (!exited) this.fail(`stopped reading its stdin (${error.message})`);
    });
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitStatus = { code, signal };
    if (this.state !== 'running') return;
    // Messages it wrote just before exiting are still in the pipe: read them before declaring it dead.
    void until(() => this.stdoutEnded, STDOUT_AFTER_EXIT_MS).then(() => {
      const exited = this.readyAt === undefined ? 'exited before answering the handshake' : 'exited';
      const cutOff = this.decoder.unfinished();
      this.fail(cutOff === undefined ? exited : `${exited} with a message cut off (${cutOff})`);
    });
  }

  private async report(reason: string): Promise<void> {
    await until(() => this.childGone(), KILL_WAIT_MS);
    await until(() => this.stderrEnded, STDOUT_AFTER_EXIT_MS);
    const { component, task } = this.options;
    this.options.onFailure(
      new ShellProtocolError({
        component,
        task,
        pid: this.pid,
        exitCode: this.exitStatus?.code ?? null,
        signal: this.exitStatus?.signal ?? null,
        reason,
        stderrTail: this.stderr.lastLines(),
      }),
    );
  }

  private label(): string {
    return `pid ${this.pid ?? '?'}`;
  }
}

/** Polls `condition` until it holds or `ms` pass; true if it held. */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}
