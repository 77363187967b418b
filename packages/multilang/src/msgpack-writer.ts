import type { Packr } from 'msgpackr';
import { ChunkWriter, copy, PIECE_ROOM, START_ROOM } from './chunk-writer.js';
import { digitCount, writeDigits } from './decimal-digits.js';

/** Longest string encoded by the ASCII loop; longer ones go through Buffer.write, which wins past this. */
const SHORT_STRING = 64;

const KEY_ID = Buffer.from([0xa2, ...Buffer.from('id')]);
const KEY_COMP = Buffer.from([0xa4, ...Buffer.from('comp')]);
const KEY_STREAM = Buffer.from([0xa6, ...Buffer.from('stream')]);
const KEY_TASK = Buffer.from([0xa4, ...Buffer.from('task')]);
const KEY_TUPLE = Buffer.from([0xa5, ...Buffer.from('tuple')]);
const KEY_COMMAND = Buffer.from([0xa7, ...Buffer.from('command')]);
const KEY_ANCHORS = Buffer.from([0xa7, ...Buffer.from('anchors')]);
const KEY_NEED_TASK_IDS = Buffer.from([0xad, ...Buffer.from('need_task_ids')]);
const EMIT = Buffer.from([0xa4, ...Buffer.from('emit')]);
const ACK = Buffer.from([0xa3, ...Buffer.from('ack')]);
const FAIL = Buffer.from([0xa4, ...Buffer.from('fail')]);

/**
 * Encodes the protocol's hot messages (tuples to a bolt, a bolt's emits, acks and fails)
 * as msgpack straight into shared chunks: no message object, and strings, 32-bit
 * integers, booleans and nil written in place. Other values (floats, arrays, maps, bigints, binary, undefined) are
 * packed by msgpackr, so the bytes are the ones msgpackr writes for the whole message.
 */
export class MsgpackWriter extends ChunkWriter {
  constructor(private readonly packr: Packr) {
    super();
  }

  protected tryTuple(at: number, id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): number {
    const buf = this.chunk;
    if (at + START_ROOM > buf.length) return -1;
    buf[at++] = 0x85;
    at = copy(buf, at, KEY_ID);
    if (typeof id === 'number') {
      // A safe integer has at most 16 digits: always a fixstr.
      buf[at] = 0xa0 | digitCount(id);
      at = writeDigits(buf, at + 1, id);
    } else at = this.string(at, id);
    at = this.putTupleMiddle(at, comp, stream, task);
    return at < 0 ? -1 : this.values(at, values);
  }

  protected encodeTupleMiddle(comp: string | null, stream: string, task: number): Buffer {
    // Each packed piece is copied at once: msgpackr reuses the buffer it packs into.
    const packed = (value: unknown) => Buffer.from(this.packr.pack(value));
    return Buffer.concat([KEY_COMP, packed(comp), KEY_STREAM, packed(stream), KEY_TASK, packed(task), KEY_TUPLE]);
  }

  protected tryEmit(at: number, anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): number {
    const buf = this.chunk;
    const fixed = buf.length - PIECE_ROOM;
    if (at + START_ROOM > buf.length) return -1;
    buf[at++] = task === undefined ? 0x85 : 0x86;
    at = copy(buf, copy(buf, at, KEY_COMMAND), EMIT);
    at = this.arrayHeader(copy(buf, at, KEY_ANCHORS), anchors.length);
    for (let i = 0; i < anchors.length; i++) {
      if (at > fixed) return -1;
      at = this.string(at, anchors[i]);
      if (at < 0) return -1;
    }
    if (at > fixed) return -1;
    at = this.string(copy(buf, at, KEY_STREAM), stream);
    if (at < 0 || at > fixed) return -1;
    at = this.values(copy(buf, at, KEY_TUPLE), values);
    if (at < 0 || at > fixed) return -1;
    at = copy(buf, at, KEY_NEED_TASK_IDS);
    buf[at++] = needTaskIds ? 0xc3 : 0xc2;
    if (task !== undefined) at = this.number(copy(buf, at, KEY_TASK), task);
    return at;
  }

  protected tryFinish(at: number, command: 'ack' | 'fail', id: string): number {
    const buf = this.chunk;
    if (at + START_ROOM > buf.length) return -1;
    buf[at++] = 0x82;
    at = copy(buf, copy(buf, at, KEY_COMMAND), command === 'ack' ? ACK : FAIL);
    return this.string(copy(buf, at, KEY_ID), id);
  }

  /** An array of values after its header; the chunk has room for the header. */
  private values(at: number, values: readonly unknown[]): number {
    const fixed = this.chunk.length - PIECE_ROOM;
    at = this.arrayHeader(at, values.length);
    for (let i = 0; i < values.length; i++) {
      if (at > fixed) return -1;
      at = this.value(at, values[i]);
      if (at < 0) return -1;
    }
    return at;
  }

  private arrayHeader(at: number, n: number): number {
    const buf = this.chunk;
    if (n < 16) {
      buf[at] = 0x90 | n;
      return at + 1;
    }
    if (n < 0x10000) {
      buf[at] = 0xdc;
      buf.writeUInt16BE(n, at + 1);
      return at + 3;
    }
    buf[at] = 0xdd;
    buf.writeUInt32BE(n, at + 1);
    return at + 5;
  }

  private value(at: number, value: unknown): number {
    switch (typeof value) {
      case 'string':
        return this.string(at, value);
      case 'number':
        return this.number(at, value);
      case 'boolean':
        this.chunk[at] = value ? 0xc3 : 0xc2;
        return at + 1;
      default:
        if (value === null) {
          this.chunk[at] = 0xc0;
          return at + 1;
        }
        return this.packed(at, value);
    }
  }

  private string(at: number, s: string): number {
    const buf = this.chunk;
    const n = s.length;
    if (n < SHORT_STRING && at + 2 + n <= buf.length) {
      // ASCII, the usual case, in one pass; the header is one byte below 32 and two below 256.
      const header = n < 32 ? 1 : 2;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + header + i] = c;
      }
      if (i === n) {
        if (header === 1) buf[at] = 0xa0 | n;
        else {
          buf[at] = 0xd9;
          buf[at + 1] = n;
        }
        return at + header + n;
      }
    }
    const bytes = Buffer.byteLength(s);
    const header = bytes < 32 ? 1 : bytes < 256 ? 2 : bytes < 65536 ? 3 : 5;
    if (at + header + bytes > buf.length) return -1;
    if (header === 1) buf[at] = 0xa0 | bytes;
    else if (header === 2) {
      buf[at] = 0xd9;
      buf[at + 1] = bytes;
    } else if (header === 3) {
      buf[at] = 0xda;
      buf.writeUInt16BE(bytes, at + 1);
    } else {
      buf[at] = 0xdb;
      buf.writeUInt32BE(bytes, at + 1);
    }
    buf.write(s, at + header, bytes, 'utf8');
    return at + header + bytes;
  }

  /** Integers that fit 32 bits in their smallest form, other numbers as msgpackr packs them. */
  private number(at: number, v: number): number {
    const buf = this.chunk;
    if (Number.isInteger(v) && !Object.is(v, -0)) {
      if (v >= 0) {
        if (v < 0x80) {
          buf[at] = v;
          return at + 1;
        }
        if (v < 0x100) {
          buf[at] = 0xcc;
          buf[at + 1] = v;
          return at + 2;
        }
        if (v < 0x10000) {
          buf[at] = 0xcd;
          buf.writeUInt16BE(v, at + 1);
          return at + 3;
        }
        if (v <= 0xffffffff) {
          buf[at] = 0xce;
          buf.writeUInt32BE(v, at + 1);
          return at + 5;
        }
      } else {
        if (v >= -0x20) {
          buf[at] = v & 0xff;
          return at + 1;
        }
        if (v >= -0x80) {
          buf[at] = 0xd0;
          buf.writeInt8(v, at + 1);
          return at + 2;
        }
        if (v >= -0x8000) {
          buf[at] = 0xd1;
          buf.writeInt16BE(v, at + 1);
          return at + 3;
        }
        if (v >= -0x80000000) {
          buf[at] = 0xd2;
          buf.writeInt32BE(v, at + 1);
          return at + 5;
        }
      }
    }
    return this.packed(at, v);
  }

  private packed(at: number, value: unknown): number {
    const bytes = this.packr.pack(value);
    if (at + bytes.length > this.chunk.length) return -1;
    this.chunk.set(bytes, at);
    return at + bytes.length;
  }
}
