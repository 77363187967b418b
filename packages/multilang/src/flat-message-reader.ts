import { DEFAULT_STREAM } from '@topo/topology-dsl';
import { asciiString, commonStringAt, wordText, type WordText } from './ascii-strings.js';
import { HOT, HotCommand } from './bolt-output.js';
import { decimalId } from './decimal-digits.js';
import { flatMessage, MAX_FLAT_ENTRIES, NOT_FLAT } from './flat-message.js';

export { NOT_FLAT };

/** The fixed bytes of the hot commands as Topo's adapter writes them, after the map header: an ack, a fail, the start of an emit, and its later keys. */
const ACK_BODY = wordText('\xa7command\xa3ack\xa2id');
const FAIL_BODY = wordText('\xa7command\xa4fail\xa2id');
const EMIT_BODY = wordText('\xa7command\xa4emit\xa7anchors');
const STREAM_KEY = wordText('\xa6stream');
/** The default stream's key, value and the next key, the usual run after an emit's anchors. */
const DEFAULT_STREAM_THEN_TUPLE_KEY = wordText('\xa6stream\xa7default\xa5tuple');
const TUPLE_KEY = wordText('\xa5tuple');
const NO_TASK_IDS = wordText('\xadneed_task_ids\xc2');
const TASK_IDS = wordText('\xadneed_task_ids\xc3');

/**
 * Reads, in one pass, the messages that make up nearly all multi-lang traffic: a map of up
 * to 15 entries whose keys are short ASCII strings and whose values are small integers,
 * floats, booleans, nil, ASCII strings up to 255 bytes, or arrays of up to 15 of those.
 * Emits, acks, fails, syncs and log lines from Topo's adapters, pystorm and Storm's own
 * all have that shape. The general path scans a message for its end and then hands it to
 * msgpackr, walking its bytes twice; this reader walks them once and builds the same
 * object msgpackr would.
 *
 * Anything else (a nested map, a longer string or array, any byte above 0x7f in a string,
 * binary, extensions, 64-bit integers, float32, a `__proto__` key, a message running past
 * `limit`) gives NOT_FLAT before anything is kept, and the caller decodes those bytes the
 * general way.
 *
 * With `hotForms`, acks, fails and emits in exactly the form Topo's adapter writes them
 * (ids in the engine's decimal form) are read into `hot` instead, and `read` gives HOT.
 */
export class FlatMessageReader {
  readonly hot = new HotCommand();
  /** Just past the message the last successful `read` returned. */
  end = 0;
  private pos = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** `buf` read a word at a time. */
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, 0);
  private limit = 0;
  /** The entries of the message being read, in order (a fixmap has at most 15). */
  private readonly keys: string[] = new Array<string>(MAX_FLAT_ENTRIES).fill('');
  private readonly values: unknown[] = new Array<unknown>(MAX_FLAT_ENTRIES).fill(null);

  constructor(private readonly hotForms = false) {}

  read(buf: Buffer, start: number, limit: number): Record<string, unknown> | typeof NOT_FLAT | typeof HOT {
    const header = buf[start];
    if (header < 0x80 || header > 0x8f) return NOT_FLAT;
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    this.pos = start + 1;
    this.limit = limit;
    if (this.hotForms && (header === 0x82 ? this.hotFinish() : header === 0x85 && this.hotEmit())) {
      this.end = this.pos;
      return HOT;
    }
    this.pos = start + 1;
    const entries = header & 0x0f;
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i < entries; i++) {
      if (this.pos >= limit) return NOT_FLAT;
      const keyHeader = buf[this.pos++];
      if (keyHeader < 0xa0 || keyHeader > 0xbf) return NOT_FLAT;
      const key = this.ascii(keyHeader & 0x1f);
      if (key === NOT_FLAT || key === '__proto__') return NOT_FLAT;
      const value = this.value();
      if (value === NOT_FLAT) return NOT_FLAT;
      keys[i] = key;
      values[i] = value;
    }
    this.end = this.pos;
    return flatMessage(entries, keys, values);
  }

  private hotFinish(): boolean {
    // Acks outnumber fails: look for one first.
    const failed = !this.literal(ACK_BODY);
    if (failed && !this.literal(FAIL_BODY)) return false;
    const id = this.hotId();
    if (id < 0) return false;
    this.hot.finish(failed, id);
    return true;
  }

  private hotEmit(): boolean {
    const buf = this.buf;
    if (!this.literal(EMIT_BODY) || this.pos >= this.limit) return false;
    const anchorsHeader = buf[this.pos++];
    if (anchorsHeader < 0x90 || anchorsHeader > 0x9f) return false;
    const hot = this.hot;
    const count = anchorsHeader & 0x0f;
    for (let i = 0; i < count; i++) {
      const id = this.hotId();
      if (id < 0) return false;
      hot.anchors[i] = id;
    }
    let stream: string | typeof NOT_FLAT = DEFAULT_STREAM;
    if (!this.literal(DEFAULT_STREAM_THEN_TUPLE_KEY)) {
      if (!this.literal(STREAM_KEY) || this.pos >= this.limit) return false;
      const streamHeader = buf[this.pos++];
      if (streamHeader < 0xa0 || streamHeader > 0xbf) return false;
      stream = this.ascii(streamHeader & 0x1f);
      if (stream === NOT_FLAT || !this.literal(TUPLE_KEY)) return false;
    }
    if (this.pos >= this.limit || buf[this.pos] < 0x90 || buf[this.pos] > 0x9f) return false;
    const tuple = this.value();
    if (tuple === NOT_FLAT) return false;
    const needTaskIds = !this.literal(NO_TASK_IDS);
    if (needTaskIds && !this.literal(TASK_IDS)) return false;
    hot.emitted(count, stream, tuple as unknown[], needTaskIds);
    return true;
  }

  /** A tuple id as a fixstr of the engine's decimal form, or -1. */
  private hotId(): number {
    if (this.pos >= this.limit) return -1;
    const header = this.buf[this.pos];
    const end = this.pos + 1 + (header & 0x1f);
    if (header < 0xa0 || header > 0xbf || end > this.limit) return -1;
    const id = decimalId(this.buf, this.pos + 1, end);
    this.pos = end;
    return id;
  }

  /** Whether `text` is at `pos` (which then moves past it). */
  private literal(text: WordText): boolean {
    const length = text.text.length;
    if (this.pos + length > this.limit || !text.holdsAt(this.buf, this.view, this.pos)) return false;
    this.pos += length;
    return true;
  }

  private value(): unknown {
    if (this.pos >= this.limit) return NOT_FLAT;
    const header = this.buf[this.pos];
    if (header < 0x90 || header > 0x9f) return this.scalar();
    this.pos++;
    const length = header & 0x0f;
    const array = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      if (this.pos >= this.limit) return NOT_FLAT;
      const item = this.scalar();
      if (item === NOT_FLAT) return NOT_FLAT;
      array[i] = item;
    }
    return array;
  }

  /** A value that is not a container; `pos` is within the limit. */
  private scalar(): unknown {
    const buf = this.buf;
    const at = this.pos++;
    const header = buf[at];
    if (header < 0x80) return header;
    if (header >= 0xe0) return header - 0x100;
    if (header >= 0xa0 && header <= 0xbf) return this.ascii(header & 0x1f);
    switch (header) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xd9:
        if (this.pos >= this.limit) return NOT_FLAT;
        return this.ascii(buf[this.pos++]);
    }
    const size = fixedSize(header);
    if (size === 0 || at + 1 + size > this.limit) return NOT_FLAT;
    this.pos = at + 1 + size;
    switch (header) {
      case 0xcc:
        return buf[at + 1];
      case 0xcd:
        return buf.readUInt16BE(at + 1);
      case 0xce:
        return buf.readUInt32BE(at + 1);
      case 0xd0:
        return buf.readInt8(at + 1);
      case 0xd1:
        return buf.readInt16BE(at + 1);
      case 0xd2:
        return buf.readInt32BE(at + 1);
      default:
        return buf.readDoubleBE(at + 1);
    }
  }

  /** The next `length` bytes as a string, if all are ASCII and within the limit. */
  private ascii(length: number): string | typeof NOT_FLAT {
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    if (end > this.limit) return NOT_FLAT;
    this.pos = end;
    const common = commonStringAt(buf, this.view, start, end);
    if (common !== undefined) return common;
    for (let i = start; i < end; i++) if (buf[i] > 0x7f) return NOT_FLAT;
    return asciiString(buf, start, end);
  }
}

/** Payload bytes of the fixed-size numbers the reader takes (not float32 or 64-bit integers: msgpackr reads those its own way); 0 for any other header. */
function fixedSize(header: number): number {
  switch (header) {
    case 0xcc:
    case 0xd0:
      return 1;
    case 0xcd:
    case 0xd1:
      return 2;
    case 0xce:
    case 0xd2:
      return 4;
    case 0xcb:
      return 8;
    default:
      return 0;
  }
}
