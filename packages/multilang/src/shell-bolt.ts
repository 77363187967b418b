import { Bolt, DEFAULT_STREAM, TopoError, type BoltEmitOptions, type ComponentDefinition, type ComponentSpec, type TopologyConfig, type TopologyContext, type Tuple, type ValidationProblem } from '@topo/topology-dsl';
import type { BoltOutputSink } from './bolt-output.js';
import { InFlightInputs } from './in-flight-inputs.js';
import type { ShellProtocolError } from './protocol-error.js';
import { ProtocolViolation } from './protocol-violation.js';
import type { FrameRun } from './serializer.js';
import type { ShellProcess } from './shell-process.js';
import { asCommand, emptyEmit, handleSharedCommand, parseEmit, tupleId, type Command } from './shell-messages.js';
import { readShellSettings, shellSettingsProblems, type ShellSettings } from './shell-settings.js';
import { shellSpec, type ShellBoltSpecOptions, type ShellStreamDeclaration, type ShellStreamFields } from './shell-spec.js';
import { ShellSupervisor, type ShellOwner } from './shell-supervisor.js';

const HEARTBEAT_STREAM = '__heartbeat';
/** Heartbeat ids remembered to name a heartbeat acked by mistake; a component that never syncs cannot grow it past this. */
const MAX_REMEMBERED_HEARTBEATS = 64;

/**
 * A bolt whose tasks each run a subprocess speaking Storm's multi-lang protocol:
 *
 *     splitter = ShellBolt.spec({ command: 'python3', args: ['split.py'], outputs: ['word'], input: this.lines });
 *
 * Inputs are written to the subprocess as they come (at most `topology.shellbolt.max.pending`
 * wait while its stdin is full); its emits, acks and fails come back asynchronously. If it
 * dies or breaks the protocol, its in-flight inputs are failed (their spouts replay them),
 * the error is reported, and a new subprocess takes the queued inputs after a backoff.
 */
export class ShellBolt extends Bolt implements ShellOwner, BoltOutputSink {
  static override spec<const O extends ShellStreamDeclaration = [], const S extends Record<string, ShellStreamDeclaration> = {}>(
    options: ShellBoltSpecOptions<O, S>,
  ): ComponentSpec<ShellStreamFields<O, S>> {
    return shellSpec('bolt', ShellBolt, options);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return shellSettingsProblems(component.name, config);
  }

  private settings!: ShellSettings;
  private supervisor!: ShellSupervisor;
  /** Inputs accepted and not yet written, oldest first, in the first `queued` slots; written all at once. The array keeps its size between batches rather than regrowing for each. */
  private readonly queue: (Tuple | undefined)[] = [];
  private queued = 0;
  private tupleRun!: FrameRun;
  private readonly inFlight = new InFlightInputs();
  private readonly heartbeats = new Set<string>();
  /** Reused for every emit: the engine reads it during the call and keeps nothing. */
  private readonly emitOptions: BoltEmitOptions = { stream: DEFAULT_STREAM, anchors: undefined };
  private readonly parsedEmit = emptyEmit();
  private writeScheduled = false;
  /** Resolves the promise `process()` returned when the queue was full. */
  private room: (() => void) | undefined;
  /** Its subprocesses' acks, fails and plain emits come straight here, read without message objects. */
  readonly boltOutput: BoltOutputSink = this;

  prepare(context: TopologyContext): void {
    this.settings = readShellSettings(context.componentId, context.config);
    this.tupleRun = this.settings.serializer.createFrameRun();
    this.supervisor = new ShellSupervisor(this, this.settings, context);
    this.supervisor.start();
  }

  async cleanup(): Promise<void> {
    await this.supervisor?.stop();
    this.releaseRoom();
  }

  process(tuple: Tuple): void | Promise<void> {
    this.queue[this.queued++] = tuple;
    if (this.queued < this.settings.maxPending) {
      if (!this.writeScheduled) {
        this.writeScheduled = true;
        queueMicrotask(this.writeLater);
      }
      return;
    }
    this.writeQueued();
    if (this.queued < this.settings.maxPending) return;
    return new Promise((resolve) => (this.room = resolve));
  }

  private readonly writeLater = (): void => {
    this.writeScheduled = false;
    this.writeQueued();
  };

  /** Writes every queued input, if the subprocess is ready and its stdin takes more. */
  private writeQueued(): void {
    const process = this.supervisor.current;
    if (process === undefined || !process.ready || !process.usable || process.writer.full) return;
    const { serializer } = this.settings;
    const run = this.tupleRun;
    const queue = this.queue;
    const queued = this.queued;
    for (let i = 0; i < queued; i++) {
      const tuple = queue[i]!;
      queue[i] = undefined;
      const id = this.inFlight.add(tuple);
      try {
        run.addTuple(id, tuple.sourceComponent, tuple.sourceStream, tuple.sourceTask, tuple.values);
      } catch (error) {
        // The subprocess is not at fault: this tuple alone cannot be sent.
        this.inFlight.takeNumbered(id);
        const component = this.context.componentId;
        this.reportError(new TopoError(`${component}: cannot send a tuple from ${tuple.sourceComponent} to its subprocess as ${serializer.name}: ${(error as Error).message}`, { component }));
        this.fail(tuple);
      }
    }
    this.queued = 0;
    const frame = run.take();
    if (frame !== undefined) process.writer.write(frame);
    process.writer.flush();
    this.releaseRoom();
  }

  private releaseRoom(): void {
    const room = this.room;
    if (room === undefined) return;
    this.room = undefined;
    room();
  }

  onReady(): void {
    this.writeQueued();
  }

  onDrain(): void {
    this.writeQueued();
  }

  onTick(process: ShellProcess): void {
    const id = this.inFlight.nextId();
    if (this.heartbeats.size < MAX_REMEMBERED_HEARTBEATS) this.heartbeats.add(id);
    process.send(this.settings.serializer.encodeTuple(id, null, HEARTBEAT_STREAM, -1, []));
  }

  silentSince(process: ShellProcess): number {
    return process.lastHeard;
  }

  onLost(error: ShellProtocolError): void {
    const lost = this.inFlight.takeAll();
    this.heartbeats.clear();
    for (const tuple of lost) this.fail(tuple);
    this.reportError(error);
  }

  onMessage(message: unknown, process: ShellProcess): void {
    const m = asCommand(message);
    switch (m.command) {
      case 'emit':
        this.emitFor(m, process);
        return;
      case 'ack':
        this.ack(this.finish(m));
        return;
      case 'fail':
        this.fail(this.finish(m));
        return;
      case 'sync':
        // Answers a heartbeat; hearing anything at all is what keeps the subprocess alive.
        for (const id of this.heartbeats) {
          this.heartbeats.delete(id);
          break;
        }
        return;
      default:
        if (handleSharedCommand(m, process.pid, this.context, (error) => this.reportError(error))) return;
        throw new ProtocolViolation(`sent unknown command ${JSON.stringify(m.command)}`);
    }
  }

  onFinish(failed: boolean, id: number): void {
    const tuple = this.inFlight.takeNumbered(id);
    if (tuple === undefined) throw this.notInFlight(failed ? 'fail' : 'ack', String(id));
    if (failed) this.fail(tuple);
    else this.ack(tuple);
  }

  onEmit(anchorIds: readonly number[], anchorCount: number, stream: string, tuple: unknown[], needTaskIds: boolean): void {
    let anchors: Tuple | Tuple[];
    if (anchorCount === 1) anchors = this.requireAnchor(this.inFlight.getNumbered(anchorIds[0]), anchorIds[0]);
    else {
      anchors = [];
      for (let i = 0; i < anchorCount; i++) anchors.push(this.requireAnchor(this.inFlight.getNumbered(anchorIds[i]), anchorIds[i]));
    }
    this.emitAnchored(anchors, stream, tuple, undefined, needTaskIds, this.supervisor.current!);
  }

  /** The in-flight input an ack or fail names, removed from flight. */
  private finish(m: Command): Tuple {
    const id = tupleId(m);
    const tuple = this.inFlight.take(id);
    if (tuple === undefined) throw this.notInFlight(m.command, id);
    return tuple;
  }

  private notInFlight(command: string, id: string): ProtocolViolation {
    const what = this.heartbeats.has(id) ? 'a heartbeat, which must be answered with sync, not' : 'a tuple that is not in flight (never sent, or already acked or failed), so it cannot be';
    return new ProtocolViolation(`sent ${command} for id ${JSON.stringify(id)}: ${what} ${command}ed`);
  }

  private emitFor(m: Command, process: ShellProcess): void {
    const emit = parseEmit(m, this.parsedEmit);
    const ids = emit.anchors;
    // One anchor (the usual case) is passed as itself, saving an array per emit.
    const anchors = ids.length === 1 ? this.requireAnchor(this.inFlight.get(ids[0]), ids[0]) : ids.map((id) => this.requireAnchor(this.inFlight.get(id), id));
    this.emitAnchored(anchors, emit.stream, emit.tuple, emit.task, emit.needTaskIds, process);
  }

  private emitAnchored(anchors: Tuple | Tuple[], stream: string, tuple: unknown[], task: number | undefined, needTaskIds: boolean, process: ShellProcess): void {
    const options = this.emitOptions;
    options.stream = stream;
    options.anchors = anchors;
    let targets: readonly number[];
    try {
      targets = task === undefined ? this.emit(tuple, options) : this.emitDirect(task, tuple, options);
    } catch (error) {
      throw new ProtocolViolation(`sent an emit the engine rejects: ${(error as Error).message}`);
    } finally {
      options.anchors = undefined;
    }
    if (task === undefined && needTaskIds) process.send(this.settings.serializer.encode(targets));
  }

  /** The in-flight input an emit anchors to, which must be there. */
  private requireAnchor(anchor: Tuple | undefined, id: string | number): Tuple {
    if (anchor === undefined) throw new ProtocolViolation(`anchored an emit to tuple id ${JSON.stringify(String(id))}, which is not in flight (never sent, or already acked or failed)`);
    return anchor;
  }
}
