import { TopoError, type AnchorsLike, type Bolt, type BoltCollector, type BoltHooks, type Tuple } from '@topo/topology-dsl';
import type { ComponentChannel } from './component-channel.js';
import { errorText, startComponent, type RunOptions } from './component-startup.js';
import { DeclaredStreams } from './declared-streams.js';
import { ProtocolTuple } from './protocol-tuple.js';
import { taskIdsRequest } from './task-ids.js';

type BoltClass = (new () => Bolt & BoltHooks) & { autoAck?: boolean };

const NO_TASKS: readonly number[] = Object.freeze([]);

/**
 * Runs a bolt class as a multi-lang subprocess: the same class that runs in the engine's
 * process, here answering Storm's protocol on stdin/stdout, under Topo's ShellBolt or
 * Apache Storm's. Call it from the script the ShellBolt's command runs:
 *
 *     runBolt(UrlBolt);
 *
 * Inputs are processed one at a time, in order (a promise from `process()` is awaited
 * first); a BasicBolt anchors and acks as it does in-process. Emits do not wait for
 * task ids; wrap one in `taskIdsOf()` to get them.
 */
export async function runBolt(boltClass: BoltClass, options: RunOptions = {}): Promise<void> {
  const bolt = new boltClass();
  const { channel, setup, context } = await startComponent(options, () => bolt.cleanup?.());
  const streams = new DeclaredStreams(context.componentId, setup.context['stream->outputfields']);
  const runner = new BoltRunner(bolt, boltClass.autoAck === true, channel, setup.context['source->stream->fields'] ?? {}, streams);
  bolt.bindRuntime(runner, context);
  await bolt.prepare?.(context);
  channel.listen((message) => runner.receive(message));
}

/** Feeds inputs to the bolt one at a time and turns its calls into protocol commands. */
class BoltRunner implements BoltCollector {
  private readonly queue: ProtocolTuple[] = [];
  private head = 0;
  private busy = false;
  /** The input whose `process()` runs now (synchronously or awaited): a BasicBolt's implicit anchor. */
  private current: ProtocolTuple | undefined;

  constructor(
    private readonly bolt: Bolt,
    private readonly autoAck: boolean,
    private readonly channel: ComponentChannel,
    private readonly sourceFields: Record<string, Record<string, string[]>>,
    private readonly streams: DeclaredStreams,
  ) {}

  receive(message: unknown): void {
    if (Array.isArray(message)) {
      this.channel.resolveTaskIds(message as number[]);
      return;
    }
    const m = message as { id: string; comp: string | null; stream: string; task: number; tuple: unknown[] };
    if (m.stream === '__heartbeat' && m.task === -1) {
      this.channel.sendMessage({ command: 'sync' });
      return;
    }
    const fields = ProtocolTuple.fieldsFor(m.stream, this.sourceFields[m.comp ?? '']?.[m.stream]);
    this.queue.push(new ProtocolTuple(m.id, m.comp ?? '', m.stream, m.task, m.tuple, fields));
    this.pump();
  }

  private pump(): void {
    while (!this.busy && this.head < this.queue.length) {
      const tuple = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      this.execute(tuple);
    }
  }

  private execute(tuple: ProtocolTuple): void {
    this.current = tuple;
    let result: void | Promise<void>;
    try {
      result = this.bolt.process(tuple);
    } catch (error) {
      this.current = undefined;
      this.failOnError(tuple, error);
      return;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') {
      this.current = undefined;
      if (this.autoAck && !tuple.finished) this.ack(tuple);
      return;
    }
    this.busy = true;
    result.then(
      () => {
        this.settle();
        if (this.autoAck && !tuple.finished) this.ack(tuple);
        this.pump();
      },
      (error: unknown) => {
        this.settle();
        this.failOnError(tuple, error);
        this.pump();
      },
    );
  }

  private settle(): void {
    this.busy = false;
    this.current = undefined;
  }

  private failOnError(tuple: ProtocolTuple, error: unknown): void {
    this.reportError(error);
    if (!tuple.finished) this.fail(tuple);
  }

  emit(stream: string, values: unknown[], anchors: AnchorsLike | undefined, directTask: number | undefined): readonly number[] {
    this.streams.check(stream, values);
    if (anchors === undefined && this.autoAck) anchors = this.current;
    const list = anchors === undefined ? [] : anchors instanceof ProtocolTuple ? [anchors] : (anchors as readonly ProtocolTuple[]);
    // The engine would end the subprocess for anchoring to a finished input; in-process this throws, so here too.
    const finished = list.find((a) => a.finished);
    if (finished !== undefined) throw new TopoError(`anchored a new tuple to an input from ${finished.sourceComponent} that was already acked or failed`, { stream });
    const ids = list.map((a) => a.id);
    const request = taskIdsRequest();
    const needTaskIds = request !== undefined && directTask === undefined;
    this.channel.sendEmit(ids, stream, values, needTaskIds, directTask);
    if (request !== undefined) request(needTaskIds ? this.channel.awaitTaskIds() : Promise.resolve([directTask!]));
    return NO_TASKS;
  }

  ack(tuple: Tuple): void {
    this.finish(tuple as ProtocolTuple, 'ack');
  }

  fail(tuple: Tuple): void {
    this.finish(tuple as ProtocolTuple, 'fail');
  }

  private finish(tuple: ProtocolTuple, command: 'ack' | 'fail'): void {
    if (tuple.finished) {
      if (command === 'ack') this.reportError(`${command} of a tuple from ${tuple.sourceComponent} that was already acked or failed`);
      return;
    }
    tuple.finished = true;
    this.channel.sendFinish(command, tuple.id);
  }

  reportError(error: unknown): void {
    this.channel.sendMessage({ command: 'error', msg: errorText(error) });
  }
}

