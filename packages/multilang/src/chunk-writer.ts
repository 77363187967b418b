import type { FrameRun } from './serializer.js';

/** Bytes of each chunk messages are written into; a message larger than this gets a chunk of its own. */
const CHUNK_BYTES = 64 * 1024;
/** Room every message needs at its start for its fixed header or text and first keys. */
export const START_ROOM = 64;
/** Room before each fixed-size piece (a key, a header, a number, a flag). */
export const PIECE_ROOM = 32;
/** Sources whose tuple middles are kept: a bolt mostly hears from a few. */
const MIDDLES = 16;

/** The bytes of a tuple between its id and its values, for tuples from one source task and stream. */
interface TupleMiddle {
  comp: string | null;
  stream: string;
  task: number;
  bytes: Buffer;
}

/**
 * Writes the hot messages back to back into shared chunks and hands out what was written
 * as views: the base of the serializers' writers. Views stay valid, as a full chunk is
 * left to them and a fresh one started. A subclass writes each message with a `try*`
 * method that returns its end offset, or -1 when the rest of the chunk is too small; the
 * message is then written again at the start of a fresh chunk.
 *
 * As a FrameRun, `add*` leaves the messages in place and `take` returns them as one view;
 * `tuple`, `emit` and `finish` are an add and a take, each message's own bytes.
 */
export abstract class ChunkWriter implements FrameRun {
  protected chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  protected pos = 0;
  /** Where the bytes written and not yet taken begin, and those of them in earlier chunks. */
  private untaken = 0;
  private readonly untakenPieces: Buffer[] = [];
  private readonly middles: TupleMiddle[] = [];
  private lastMiddle: TupleMiddle | undefined;
  private nextEvicted = 0;

  /** `{id, comp, stream, task, tuple}`: a tuple for a bolt, engine to component. */
  tuple(id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): Buffer {
    this.addTuple(id, comp, stream, task, values);
    return this.take()!;
  }

  /** `{command: 'emit', anchors, stream, tuple, need_task_ids[, task]}`: a bolt's emit, component to engine. */
  emit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): Buffer {
    this.addEmit(anchors, stream, values, needTaskIds, task);
    return this.take()!;
  }

  /** `{command, id}`: an ack or fail, component to engine. */
  finish(command: 'ack' | 'fail', id: string): Buffer {
    this.addFinish(command, id);
    return this.take()!;
  }

  addTuple(id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): void {
    let end = this.tryTuple(this.pos, id, comp, stream, task, values);
    for (let attempt = 0; end < 0; attempt++) end = this.tryTuple(this.fresh(attempt), id, comp, stream, task, values);
    this.pos = end;
  }

  addEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): void {
    let end = this.tryEmit(this.pos, anchors, stream, values, needTaskIds, task);
    for (let attempt = 0; end < 0; attempt++) end = this.tryEmit(this.fresh(attempt), anchors, stream, values, needTaskIds, task);
    this.pos = end;
  }

  addFinish(command: 'ack' | 'fail', id: string): void {
    let end = this.tryFinish(this.pos, command, id);
    for (let attempt = 0; end < 0; attempt++) end = this.tryFinish(this.fresh(attempt), command, id);
    this.pos = end;
  }

  /** Each `try*` writes its message at `at` and returns the end offset, or -1 when the chunk is too small. */
  protected abstract tryTuple(at: number, id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): number;
  protected abstract tryEmit(at: number, anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): number;
  protected abstract tryFinish(at: number, command: 'ack' | 'fail', id: string): number;

  /** A tuple's bytes between its id and its values, which depend only on where it came from; see `tupleMiddle`. */
  protected abstract encodeTupleMiddle(comp: string | null, stream: string, task: number): Buffer;

  /**
   * The bytes of a tuple from `comp`'s `task` on `stream` between its id and its values,
   * encoded once per source and then copied whole: on this hardware one copy of the
   * block costs what writing a handful of its bytes one at a time does.
   */
  private tupleMiddle(comp: string | null, stream: string, task: number): Buffer {
    const last = this.lastMiddle;
    if (last !== undefined && last.task === task && last.stream === stream && last.comp === comp) return last.bytes;
    const middles = this.middles;
    for (let i = 0; i < middles.length; i++) {
      const m = middles[i];
      if (m.task === task && m.stream === stream && m.comp === comp) {
        this.lastMiddle = m;
        return m.bytes;
      }
    }
    const added: TupleMiddle = { comp, stream, task, bytes: this.encodeTupleMiddle(comp, stream, task) };
    if (middles.length < MIDDLES) middles.push(added);
    else {
      middles[this.nextEvicted] = added;
      this.nextEvicted = (this.nextEvicted + 1) % MIDDLES;
    }
    this.lastMiddle = added;
    return added.bytes;
  }

  /** Copies the tuple middle for this source to `at` and returns its end, or -1 when it leaves the chunk too little room (or `at` is already -1). */
  protected putTupleMiddle(at: number, comp: string | null, stream: string, task: number): number {
    const middle = this.tupleMiddle(comp, stream, task);
    if (at < 0 || at + middle.length > this.chunk.length - PIECE_ROOM) return -1;
    this.chunk.set(middle, at);
    return at + middle.length;
  }

  /** Everything written since the last take, as one buffer; undefined if nothing was. */
  take(): Buffer | undefined {
    const pieces = this.untakenPieces;
    const last = this.pos > this.untaken ? this.chunk.subarray(this.untaken, this.pos) : undefined;
    this.untaken = this.pos;
    if (pieces.length === 0) return last;
    if (last !== undefined) pieces.push(last);
    const all = Buffer.concat(pieces);
    pieces.length = 0;
    return all;
  }

  /** The rest of the chunk was too small: a fresh one, four times bigger each time the message still does not fit. */
  private fresh(attempt: number): number {
    if (this.pos > this.untaken) this.untakenPieces.push(this.chunk.subarray(this.untaken, this.pos));
    this.chunk = Buffer.allocUnsafe(attempt === 0 ? CHUNK_BYTES : this.chunk.length * 4);
    this.pos = this.untaken = 0;
    return 0;
  }
}

/** Copies `bytes` into `buf` at `at` (a loop: faster than `set` for the few bytes of a key); returns the end. */
export function copy(buf: Buffer, at: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) buf[at + i] = bytes[i];
  return at + bytes.length;
}
