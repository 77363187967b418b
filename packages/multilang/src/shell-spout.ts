import { Spout, type ComponentDefinition, type ComponentSpec, type TopologyConfig, type TopologyContext, type ValidationProblem } from '@topo/topology-dsl';
import type { ShellProtocolError } from './protocol-error.js';
import { ProtocolViolation } from './protocol-violation.js';
import { ShellMessageId } from './shell-message-id.js';
import type { ShellProcess } from './shell-process.js';
import { asCommand, emptyEmit, handleSharedCommand, parseEmit, type Command } from './shell-messages.js';
import { readShellSettings, shellSettingsProblems, type ShellSettings } from './shell-settings.js';
import { shellSpec, type ShellSpoutSpecOptions, type ShellStreamDeclaration, type ShellStreamFields } from './shell-spec.js';
import { ShellSupervisor, type ShellOwner } from './shell-supervisor.js';

type TurnCommand = 'next' | 'ack' | 'fail' | 'activate' | 'deactivate';

/** One command to the subprocess and the wait for its `sync`. */
interface Turn {
  command: TurnCommand;
  id: unknown;
  done?: () => void;
}

/**
 * A spout whose tasks each run a subprocess speaking Storm's multi-lang protocol. As in
 * Storm, the conversation is synchronous: the engine sends one command (`next`, `ack`,
 * `fail`, `activate`, `deactivate`) and reads emits and logs until `sync`; the subprocess
 * timeout applies only while it waits. Output written before the first command is read
 * with the first command's turn. A restarted subprocess hears acks and fails only for
 * the tuples it emitted itself.
 */
export class ShellSpout extends Spout implements ShellOwner {
  static override spec<const O extends ShellStreamDeclaration = [], const S extends Record<string, ShellStreamDeclaration> = {}>(
    options: ShellSpoutSpecOptions<O, S>,
  ): ComponentSpec<ShellStreamFields<O, S>> {
    return shellSpec('spout', ShellSpout, options);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return shellSettingsProblems(component.name, config);
  }

  private settings!: ShellSettings;
  private readonly parsedEmit = emptyEmit();
  private supervisor!: ShellSupervisor;
  private turns: Turn[] = [];
  private turn: Turn | undefined;
  private turnStarted = 0;
  /** Messages that arrived between turns; they belong to the next one. */
  private held: unknown[] = [];
  private active = false;

  open(context: TopologyContext): void {
    this.settings = readShellSettings(context.componentId, context.config);
    this.supervisor = new ShellSupervisor(this, this.settings, context);
    this.supervisor.start();
  }

  async close(): Promise<void> {
    await this.supervisor?.stop();
    const interrupted = this.turn;
    this.turn = undefined;
    this.settleAll(interrupted === undefined ? this.turns.splice(0) : [interrupted, ...this.turns.splice(0)]);
  }

  nextTuple(): Promise<void> {
    return new Promise((resolve) => this.enqueue({ command: 'next', id: '', done: resolve }));
  }

  ack(msgId: unknown): void {
    this.forward('ack', msgId);
  }

  fail(msgId: unknown): void {
    this.forward('fail', msgId);
  }

  activate(): void {
    this.active = true;
    this.enqueue({ command: 'activate', id: '' });
  }

  deactivate(): void {
    this.active = false;
    this.enqueue({ command: 'deactivate', id: '' });
  }

  private forward(command: 'ack' | 'fail', msgId: unknown): void {
    if (msgId instanceof ShellMessageId && msgId.incarnation === this.supervisor.incarnation) this.enqueue({ command, id: msgId.id });
  }

  private enqueue(turn: Turn): void {
    this.turns.push(turn);
    this.startTurn();
  }

  private startTurn(): void {
    const process = this.supervisor?.current;
    if (this.turn !== undefined || process === undefined || !process.ready || !process.usable) return;
    const turn = this.turns.shift();
    if (turn === undefined) return;
    this.turn = turn;
    this.turnStarted = performance.now();
    process.send(this.settings.serializer.encode({ command: turn.command, id: turn.id }));
    try {
      while (this.held.length > 0 && this.turn === turn) this.handle(asCommand(this.held.shift()), process);
    } catch (error) {
      // Outside the decoder's own handling (this turn may have started from the executor), so fail it here.
      process.fail(error instanceof ProtocolViolation ? error.message : `could not be handled: ${String(error)}`);
      return;
    }
    if (this.held.length === 0) process.resume();
  }

  private endTurn(): void {
    const turn = this.turn;
    this.turn = undefined;
    turn?.done?.();
    this.startTurn();
  }

  onReady(process: ShellProcess): void {
    // A replacement starts as the engine sees the spout: active if it was.
    if (this.supervisor.incarnation > 1 && this.active) this.turns.unshift({ command: 'activate', id: '' });
    this.startTurn();
    if (this.turn === undefined) process.resume();
  }

  onMessage(message: unknown, process: ShellProcess): void {
    if (this.turn === undefined) {
      this.held.push(message);
      process.pause();
      return;
    }
    this.handle(asCommand(message), process);
  }

  private handle(m: Command, process: ShellProcess): void {
    switch (m.command) {
      case 'emit':
        this.emitFor(m, process);
        return;
      case 'sync':
        this.endTurn();
        return;
      default:
        if (handleSharedCommand(m, process.pid, this.context, (error) => this.reportError(error))) return;
        throw new ProtocolViolation(`sent unknown command ${JSON.stringify(m.command)}`);
    }
  }

  private emitFor(m: Command, process: ShellProcess): void {
    const emit = parseEmit(m, this.parsedEmit);
    const msgId = emit.id === undefined || emit.id === null ? undefined : new ShellMessageId(this.supervisor.incarnation, emit.id);
    let targets: readonly number[];
    try {
      const options = { stream: emit.stream, msgId };
      targets = emit.task === undefined ? this.emit(emit.tuple, options) : this.emitDirect(emit.task, emit.tuple, options);
    } catch (error) {
      throw new ProtocolViolation(`sent an emit the engine rejects: ${(error as Error).message}`);
    }
    if (emit.task === undefined && emit.needTaskIds) process.send(this.settings.serializer.encode(targets));
  }

  onDrain(): void {}

  onTick(): void {}

  silentSince(process: ShellProcess): number | undefined {
    return this.turn === undefined ? undefined : Math.max(this.turnStarted, process.lastHeard);
  }

  onLost(error: ShellProtocolError): void {
    const interrupted = this.turn;
    this.turn = undefined;
    this.held = [];
    // Acks, fails and (de)activations were for the old subprocess; waiting `next` calls go to the new one.
    const [keep, drop] = partition(this.turns, (t) => t.command === 'next');
    this.turns = keep;
    this.reportError(error);
    this.settleAll(interrupted === undefined ? drop : [interrupted, ...drop]);
  }

  private settleAll(turns: Turn[]): void {
    for (const turn of turns) turn.done?.();
  }
}

function partition<T>(items: T[], keep: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (keep(item) ? yes : no).push(item);
  return [yes, no];
}
