import { asciiString, commonStringAt } from './ascii-strings.js';
import { flatMessage, MAX_FLAT_ENTRIES, NOT_FLAT } from './flat-message.js';

export { NOT_FLAT };

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
 */
export class FlatMessageReader {
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

  read(buf: Buffer, start: number, limit: number): Record<string, unknown> | typeof NOT_FLAT {
    const header = buf[start];
    if (header < 0x80 || header > 0x8f) return NOT_FLAT;
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    this.pos = start + 1;
    this.limit = limit;
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
