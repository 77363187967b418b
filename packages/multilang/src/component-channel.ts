import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { TopoError, type LogLevel, type TopologyConfig } from '@topo/topology-dsl';
import { FrameWriter, streamSink, type FrameSink } from './frame-writer.js';
import type { StormContext } from './handshake-context.js';
import { jsonSerializer } from './json-codec.js';
import { msgpackSerializer } from './msgpack-codec.js';
import { isSerializerName, unknownSerializer, type FrameRun, type MessageDecoder, type Serializer, type SerializerName } from './serializer.js';

export interface ChannelOptions {
  /** Wire format; by default it is read off the first byte of the handshake (`{` is JSON, a msgpack map is msgpack). */
  serializer?: SerializerName;
  input?: Readable;
  output?: Writable;
  maxMessageBytes?: number;
}

/** What the engine sends first. */
export interface Handshake {
  pidDir: string;
  conf: TopologyConfig;
  context: StormContext;
}

const LEVEL_NUMBERS: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * The component's end of the protocol, over stdin and stdout: the handshake (pid file,
 * pid reply), decoding what the engine sends, batching what the component sends into
 * one write per turn of the event loop, and task-id replies matched to the emits that
 * asked for them, in order.
 */
export class ComponentChannel {
  serializer: Serializer | undefined;
  private decoder: MessageDecoder | undefined;
  private readonly input: Readable;
  private readonly output: Writable;
  private readonly write: FrameSink;
  private readonly writer: FrameWriter;
  /** Where emits, acks and fails are appended; attached to the writer once the wire format is known. */
  private run: FrameRun | undefined;
  private readonly taskIdWaiters: ((taskIds: readonly number[]) => void)[] = [];
  /** Messages that arrived before `listen()` (while the component was still opening). */
  private backlog: unknown[] | undefined = [];
  private onMessage: (message: unknown) => void = (message) => this.backlog!.push(message);
  private handshakeWaiter: ((setup: Handshake) => void) | undefined;

  constructor(private readonly options: ChannelOptions = {}) {
    if (options.serializer !== undefined && !isSerializerName(options.serializer)) throw unknownSerializer(options.serializer);
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    // Taken before user code can touch process.stdout.write (see redirectConsole).
    const output = this.output;
    const write = output.write.bind(output) as (data: string | Buffer) => boolean;
    this.write = streamSink({ write, get writableLength() { return output.writableLength; } });
    this.writer = new FrameWriter((data) => this.send(data));
  }

  /** Reads the handshake, creates the pid file and answers with the pid. */
  handshake(): Promise<Handshake> {
    const setup = new Promise<Handshake>((resolve) => (this.handshakeWaiter = resolve));
    this.input.on('data', (chunk: Buffer) => this.receive(chunk));
    return setup.then((setup) => {
      if (typeof setup !== 'object' || setup === null || typeof setup.pidDir !== 'string' || typeof setup.context !== 'object') {
        throw new TopoError(`multi-lang handshake without pidDir and context: ${JSON.stringify(setup).slice(0, 200)}`);
      }
      closeSync(openSync(path.join(setup.pidDir, String(process.pid)), 'w'));
      this.sendMessage({ pid: process.pid });
      return setup;
    });
  }

  /** Where messages after the handshake go. */
  listen(onMessage: (message: unknown) => void): void {
    this.onMessage = onMessage;
    const backlog = this.backlog!;
    this.backlog = undefined;
    for (const message of backlog) onMessage(message);
  }

  /** Called once when the engine closes stdin. */
  onEnd(callback: () => void): void {
    this.input.once('end', callback);
  }

  sendMessage(message: unknown): void {
    this.writer.write(this.serializer!.encode(message));
  }

  sendEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): void {
    this.run!.addEmit(anchors, stream, values, needTaskIds, task);
    this.writer.appended();
  }

  sendFinish(command: 'ack' | 'fail', id: string): void {
    this.run!.addFinish(command, id);
    this.writer.appended();
  }

  log(level: LogLevel, message: string): void {
    this.sendMessage({ command: 'log', msg: message, level: LEVEL_NUMBERS[level] });
  }

  /** A promise for the task ids of the emit just sent with `need_task_ids: true`. */
  awaitTaskIds(): Promise<readonly number[]> {
    return new Promise((resolve) => this.taskIdWaiters.push(resolve));
  }

  /** A task-id list arrived; false if no emit was waiting for one. */
  resolveTaskIds(taskIds: readonly number[]): boolean {
    const waiter = this.taskIdWaiters.shift();
    waiter?.(taskIds);
    return waiter !== undefined;
  }

  private receive(chunk: Buffer): void {
    if (this.decoder === undefined) {
      this.serializer = this.options.serializer === 'msgpack' || (this.options.serializer === undefined && looksLikeMsgpack(chunk)) ? msgpackSerializer : jsonSerializer;
      this.decoder = this.serializer.createDecoder((message) => this.dispatch(message), this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
      this.run = this.serializer.createFrameRun();
      this.writer.attach(this.run);
    }
    this.decoder.push(chunk);
  }

  private dispatch(message: unknown): void {
    const waiter = this.handshakeWaiter;
    if (waiter !== undefined) {
      this.handshakeWaiter = undefined;
      waiter(message as Handshake);
      return;
    }
    this.onMessage(message);
  }

  /** Writes a batch; if the pipe is full, stops reading until it drains, so nothing piles up here. */
  private send(data: string | Buffer): boolean {
    const ok = this.write(data);
    if (!ok) {
      this.input.pause();
      this.output.once('drain', () => {
        this.writer.full = false;
        this.input.resume();
      });
    }
    return ok;
  }
}

/** The handshake is a map: `{` (or whitespace) in JSON, a fixmap or map16/map32 byte in msgpack. */
function looksLikeMsgpack(chunk: Buffer): boolean {
  const b = chunk[0];
  return (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
}
