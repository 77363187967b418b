import { isJsonPlain } from './ascii-strings.js';
import { ChunkWriter, copy, PIECE_ROOM, START_ROOM } from './chunk-writer.js';
import { writeDigits } from './decimal-digits.js';

const QUOTE = 0x22;
/** Longest string written by the ASCII loop; longer ones go through JSON.stringify and Buffer.write. */
const SHORT_STRING = 64;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const TUPLE_OPEN = ascii('{"id":');
const STREAM_KEY = ascii(',"stream":');
const TASK_KEY = ascii(',"task":');
const TUPLE_KEY = ascii(',"tuple":');
const EMIT_OPEN = ascii('{"command":"emit","anchors":[');
const NEED_TASK_IDS_TRUE = ascii(',"need_task_ids":true');
const NEED_TASK_IDS_FALSE = ascii(',"need_task_ids":false');
const ACK_OPEN = ascii('{"command":"ack","id":');
const FAIL_OPEN = ascii('{"command":"fail","id":');
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
/** The end of every message: the object's brace, then Storm's `end` line. */
const MESSAGE_END = ascii('}\nend\n');

/**
 * Encodes the protocol's hot messages (tuples to a bolt, a bolt's emits, acks and fails)
 * as JSON straight into shared chunks, as MsgpackWriter does for msgpack: no message
 * object, no string per message for the pipe to convert. Strings of printable ASCII,
 * safe integers, booleans and null are written byte by byte; anything else goes through
 * JSON.stringify, so the bytes are those of `JSON.stringify(message)` then `\nend\n`.
 * A tuple whose values are not all of those kinds is stringified whole (a value's
 * `toJSON` sees its index as key, as it would in the array).
 */
export class JsonWriter extends ChunkWriter {
  protected tryTuple(at: number, id: string | number, comp: string | null, stream: string, task: number, values: readonly unknown[]): number {
    const buf = this.chunk;
    if (at + START_ROOM > buf.length) return -1;
    at = copy(buf, at, TUPLE_OPEN);
    if (typeof id === 'number') {
      buf[at] = QUOTE;
      at = writeDigits(buf, at + 1, id);
      buf[at++] = QUOTE;
    } else at = this.string(at, id);
    at = this.putTupleMiddle(at, comp, stream, task);
    if (at >= 0) at = this.values(at, values);
    return at < 0 ? -1 : this.end(at);
  }

  protected encodeTupleMiddle(comp: string | null, stream: string, task: number): Buffer {
    return Buffer.from(`,"comp":${JSON.stringify(comp)},"stream":${JSON.stringify(stream)},"task":${JSON.stringify(task)},"tuple":`, 'utf8');
  }

  protected tryEmit(at: number, anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): number {
    const buf = this.chunk;
    const fixed = buf.length - PIECE_ROOM;
    if (at + START_ROOM > buf.length) return -1;
    at = copy(buf, at, EMIT_OPEN);
    for (let i = 0; i < anchors.length; i++) {
      if (i > 0) buf[at++] = 0x2c;
      at = this.string(at, anchors[i]);
      if (at < 0 || at > fixed) return -1;
    }
    buf[at++] = 0x5d;
    at = this.string(copy(buf, at, STREAM_KEY), stream);
    if (at < 0 || at > fixed) return -1;
    at = this.values(copy(buf, at, TUPLE_KEY), values);
    if (at < 0 || at > fixed) return -1;
    at = copy(buf, at, needTaskIds ? NEED_TASK_IDS_TRUE : NEED_TASK_IDS_FALSE);
    if (at > fixed) return -1;
    if (task !== undefined) {
      at = this.number(copy(buf, at, TASK_KEY), task);
      if (at < 0) return -1;
    }
    return this.end(at);
  }

  protected tryFinish(at: number, command: 'ack' | 'fail', id: string): number {
    const buf = this.chunk;
    if (at + START_ROOM > buf.length) return -1;
    at = this.string(copy(buf, at, command === 'ack' ? ACK_OPEN : FAIL_OPEN), id);
    return at < 0 ? -1 : this.end(at);
  }

  private end(at: number): number {
    return at + MESSAGE_END.length > this.chunk.length ? -1 : copy(this.chunk, at, MESSAGE_END);
  }

  /** A tuple's values as a JSON array, by hand when each is a kind written by hand, else stringified whole. */
  private values(at: number, values: readonly unknown[]): number {
    const buf = this.chunk;
    const fixed = buf.length - PIECE_ROOM;
    const start = at;
    buf[at++] = 0x5b;
    for (let i = 0; i < values.length; i++) {
      if (at > fixed) return -1;
      if (i > 0) buf[at++] = 0x2c;
      const value = values[i];
      switch (typeof value) {
        case 'string':
          at = this.string(at, value);
          break;
        case 'number':
          at = this.number(at, value);
          break;
        case 'boolean':
          at = copy(buf, at, value ? TRUE : FALSE);
          break;
        default:
          if (value !== null) return this.stringified(start, JSON.stringify(values));
          at = copy(buf, at, NULL);
      }
      if (at < 0) return -1;
    }
    if (at > fixed) return -1;
    buf[at++] = 0x5d;
    return at;
  }

  private string(at: number, s: string): number {
    const buf = this.chunk;
    const n = s.length;
    if (n <= SHORT_STRING && at + n + 2 <= buf.length) {
      // Printable ASCII without a quote or backslash, the usual case, needs no escapes: written as is, in one pass.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (!isJsonPlain(c)) break;
        buf[at + 1 + i] = c;
      }
      if (i === n) {
        buf[at] = QUOTE;
        buf[at + 1 + n] = QUOTE;
        return at + n + 2;
      }
    }
    return this.stringified(at, JSON.stringify(s));
  }

  /** Safe integers by hand (as JSON.stringify writes them: -0 as 0), other numbers through it. */
  private number(at: number, v: number): number {
    if (!Number.isSafeInteger(v)) return this.stringified(at, JSON.stringify(v));
    if (v >= 0) return writeDigits(this.chunk, at, v);
    this.chunk[at] = 0x2d;
    return writeDigits(this.chunk, at + 1, -v);
  }

  private stringified(at: number, text: string): number {
    const bytes = Buffer.byteLength(text);
    if (at + bytes > this.chunk.length) return -1;
    this.chunk.write(text, at, bytes, 'utf8');
    return at + bytes;
  }
}

