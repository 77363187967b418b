import { TopoError } from '@topo/topology-dsl';
import type { Spout, SpoutCollector, SpoutHooks } from '@topo/topology-dsl';
import type { ComponentChannel } from './component-channel.js';
import { errorText, startComponent, type RunOptions } from './component-startup.js';
import { DeclaredStreams } from './declared-streams.js';
import { taskIdsRequest } from './task-ids.js';

type SpoutClass = new () => Spout & SpoutHooks;

const NO_TASKS: readonly number[] = Object.freeze([]);

/**
 * Runs a spout class as a multi-lang subprocess, the counterpart of `runBolt`. Each
 * command from the engine (`next`, `ack`, `fail`, `activate`, `deactivate`) calls the
 * matching method (a promise from `nextTuple()` is awaited) and is answered with `sync`.
 */
export async function runSpout(spoutClass: SpoutClass, options: RunOptions = {}): Promise<void> {
  const spout = new spoutClass();
  const { channel, setup, context } = await startComponent(options, () => spout.close?.());
  const runner = new SpoutRunner(spout, channel, new DeclaredStreams(context.componentId, setup.context['stream->outputfields']));
  spout.bindRuntime(runner, context);
  await spout.open?.(context);
  channel.listen((message) => runner.receive(message));
}

interface SpoutCommand {
  command: string;
  id: unknown;
}

/** Runs the engine's commands one after another and turns the spout's emits into protocol commands. */
class SpoutRunner implements SpoutCollector {
  private readonly commands: SpoutCommand[] = [];
  private running = false;

  constructor(
    private readonly spout: Spout & SpoutHooks,
    private readonly channel: ComponentChannel,
    private readonly streams: DeclaredStreams,
  ) {}

  receive(message: unknown): void {
    if (Array.isArray(message)) {
      this.channel.resolveTaskIds(message as number[]);
      return;
    }
    this.commands.push(message as SpoutCommand);
    if (!this.running) void this.runCommands();
  }

  private async runCommands(): Promise<void> {
    this.running = true;
    for (let next = this.commands.shift(); next !== undefined; next = this.commands.shift()) {
      try {
        await this.execute(next);
      } catch (error) {
        this.reportError(error);
      }
      this.channel.sendMessage({ command: 'sync' });
    }
    this.running = false;
  }

  private execute({ command, id }: SpoutCommand): void | Promise<void> {
    switch (command) {
      case 'next':
        return this.spout.nextTuple();
      case 'ack':
        return this.spout.ack?.(id);
      case 'fail':
        return this.spout.fail?.(id);
      case 'activate':
        return this.spout.activate?.();
      case 'deactivate':
        return this.spout.deactivate?.();
      default:
        this.reportError(`unknown command ${JSON.stringify(command)} from the engine`);
    }
  }

  emit(stream: string, values: unknown[], msgId: unknown, directTask: number | undefined): readonly number[] {
    this.streams.check(stream, values);
    const request = taskIdsRequest();
    const needTaskIds = request !== undefined && directTask === undefined;
    const message: Record<string, unknown> = { command: 'emit', stream, tuple: values, need_task_ids: needTaskIds };
    if (msgId !== undefined && msgId !== null) message.id = msgId;
    if (directTask !== undefined) message.task = directTask;
    this.channel.sendMessage(message);
    if (request !== undefined) request(needTaskIds ? this.channel.awaitTaskIds() : Promise.resolve([directTask!]));
    return NO_TASKS;
  }

  reportError(error: unknown): void {
    this.channel.sendMessage({ command: 'error', msg: errorText(error) });
  }

  /** Storm's multi-lang protocol has no message for it, so a shell spout cannot end a run by itself. */
  done(): void {
    throw new TopoError('Spout.done() is not part of the multi-lang protocol: a spout run with runSpout cannot say it is done; run it in-process to end a finite run');
  }
}
