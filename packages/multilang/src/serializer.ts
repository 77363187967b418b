import { TopoError } from '@topo/topology-dsl';
import type { BoltOutputSink } from './bolt-output.js';

export type SerializerName = 'json' | 'msgpack';
export const SERIALIZER_NAMES: readonly SerializerName[] = ['json', 'msgpack'];

/** Turns a byte stream into protocol messages, holding at most one unfinished message. */
export interface MessageDecoder {
  /** Feeds bytes; calls the decoder's handler once per complete message; throws `ProtocolViolation`. */
  push(chunk: Buffer): void;
  /** What it holds of a message not yet complete (e.g. `57 bytes ...`), for saying a message was cut off; undefined between messages. */
  unfinished(): string | undefined;
}

/**
 * A wire format of the multi-lang protocol. A frame is what goes on the pipe for one
 * message: a string for JSON, bytes for msgpack.
 */
export interface Serializer {
  readonly name: SerializerName;
  /** With `boltOutput`, a bolt's hot commands go there instead of to `onMessage` (see BoltOutputSink). */
  createDecoder(onMessage: (message: unknown) => void, maxMessageBytes: number, boltOutput?: BoltOutputSink): MessageDecoder;
  encode(message: unknown): string | Buffer;
  /** A tuple for a bolt, built without an intermediate object where the format allows (the hot path). */
  encodeTuple(id: string, comp: string | null, stream: string, task: number, values: readonly unknown[]): string | Buffer;
  /** A fresh FrameRun: for writing many hot messages as one frame. */
  createFrameRun(): FrameRun;
  /** A bolt's emit, `{command: 'emit', anchors, stream, tuple, need_task_ids[, task]}` (the component's hot path). */
  encodeEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): string | Buffer;
  /** `{command: 'ack' | 'fail', id}`. */
  encodeFinish(command: 'ack' | 'fail', id: string): string | Buffer;
}

/**
 * The hot messages (tuples to a bolt; a bolt's emits, acks and fails), encoded back to back
 * as one frame, with no frame object per message. Each run holds its own buffer, so runs
 * of different writers never mix. Each `add*` writes what the matching `encode*` would,
 * and throws, appending nothing, if a value cannot be encoded.
 */
export interface FrameRun {
  /** A number id (a non-negative safe integer) is written as its decimal string: the engine's ids, without a string per tuple. */
  addTuple(id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): void;
  addEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): void;
  addFinish(command: 'ack' | 'fail', id: string): void;
  /** Everything appended since the last take, as one frame; undefined if nothing was. */
  take(): string | Buffer | undefined;
}

export function isSerializerName(value: unknown): value is SerializerName {
  return value === 'json' || value === 'msgpack';
}

export function unknownSerializer(value: unknown): TopoError {
  return new TopoError(`unknown multi-lang serializer ${JSON.stringify(value)}; use ${SERIALIZER_NAMES.join(' or ')}`, { serializer: value });
}
