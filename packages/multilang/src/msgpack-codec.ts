import { Packr, Unpackr } from 'msgpackr';
import { HOT, type BoltOutputSink } from './bolt-output.js';
import { FlatMessageReader, NOT_FLAT } from './flat-message-reader.js';
import { MsgpackWriter } from './msgpack-writer.js';
import { ProtocolViolation } from './protocol-violation.js';
import type { FrameRun, MessageDecoder, Serializer } from './serializer.js';

/** What a length field in a header means once read. */
const LENGTH_IS_PAYLOAD = 0;
const LENGTH_IS_EXT_PAYLOAD = 1;
const LENGTH_IS_ARRAY = 2;
const LENGTH_IS_MAP = 3;

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const packr = new Packr({ useRecords: false, variableMapSize: true });
const writer = new MsgpackWriter(packr);

/**
 * msgpack framing as pystorm writes it: values back to back, nothing between them.
 *
 * Nearly every message (emits, acks, tuples: a flat map of short values) is read in one
 * pass by a FlatMessageReader. For the rest, msgpack has no delimiter, so finding where a
 * message ends means walking its structure. A small resumable scanner does that without
 * decoding: it counts the values still owed (an array of n owes n more, a map 2n), reads
 * lengths and skips payloads, and keeps its state across chunks, so each byte is scanned
 * once however the stream is cut. Each run of such messages is then decoded by msgpackr
 * in one call; a message that spans chunks is kept as slices and concatenated once, when
 * its last byte arrives. Declared lengths are checked against `maxMessageBytes` before
 * anything is buffered.
 */
export class MsgpackDecoder implements MessageDecoder {
  /** Values the message in progress still owes; 0 between messages. */
  private owed = 0;
  /** Payload bytes of the current value still to skip. */
  private skip = 0;
  /** Bytes of a length field still to read, its value so far, and what it measures. */
  private lengthBytes = 0;
  private lengthValue = 0;
  private lengthKind = LENGTH_IS_PAYLOAD;
  /** Bytes of the message in progress scanned before the current chunk. */
  private heldBytes = 0;
  private held: Buffer[] = [];
  private readonly flat: FlatMessageReader;

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly maxMessageBytes: number,
    private readonly boltOutput?: BoltOutputSink,
  ) {
    this.flat = new FlatMessageReader(boltOutput !== undefined);
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    let pos = 0;
    if (this.inProgress()) {
      const end = this.scan(chunk, 0);
      if (end < 0) {
        this.hold(chunk);
        return;
      }
      this.held.push(chunk.subarray(0, end));
      const whole = Buffer.concat(this.held);
      this.held = [];
      this.heldBytes = 0;
      this.onMessage(decode(whole));
      pos = end;
    }
    // Flat messages (nearly all of them) are read at once; others are scanned, and each run of them goes to msgpackr in one call.
    let runStart = pos;
    while (pos < n) {
      const flat = this.flat.read(chunk, pos, Math.min(n, pos + this.maxMessageBytes));
      if (flat !== NOT_FLAT) {
        if (pos > runStart) this.decodeRun(chunk.subarray(runStart, pos));
        if (flat === HOT) this.flat.hot.deliver(this.boltOutput!);
        else this.onMessage(flat);
        pos = runStart = this.flat.end;
        continue;
      }
      this.owed = 1;
      const end = this.scan(chunk, pos);
      if (end < 0) break;
      pos = end;
    }
    if (pos > runStart) this.decodeRun(chunk.subarray(runStart, pos));
    if (pos < n) this.hold(chunk.subarray(pos));
  }

  /** Messages back to back, decoded by msgpackr in one call before the handler sees any: user code it reaches may use msgpackr, whose decoder state is global. */
  private decodeRun(run: Buffer): void {
    let values: unknown[];
    try {
      values = unpackr.unpackMultiple(run)!;
    } catch (error) {
      throw malformed(error);
    }
    for (let i = 0; i < values.length; i++) this.onMessage(values[i]);
  }

  unfinished(): string | undefined {
    return this.heldBytes === 0 ? undefined : `${this.heldBytes} bytes of a msgpack value that does not end`;
  }

  private inProgress(): boolean {
    return this.owed > 0 || this.skip > 0 || this.lengthBytes > 0;
  }

  private hold(piece: Buffer): void {
    this.heldBytes += piece.length;
    this.held.push(piece);
  }

  /** Advances the message in progress through `chunk` from `pos`; the index just past its end, or -1 if the chunk ends first. */
  private scan(chunk: Buffer, pos: number): number {
    const n = chunk.length;
    const base = this.heldBytes - pos;
    for (;;) {
      if (this.lengthBytes > 0) {
        while (this.lengthBytes > 0 && pos < n) {
          this.lengthValue = this.lengthValue * 256 + chunk[pos++];
          this.lengthBytes--;
        }
        if (this.lengthBytes > 0) return -1;
        const length = this.lengthValue;
        if (this.lengthKind === LENGTH_IS_PAYLOAD) this.skip = length;
        else if (this.lengthKind === LENGTH_IS_EXT_PAYLOAD) this.skip = length + 1;
        else this.owed += this.lengthKind === LENGTH_IS_ARRAY ? length : 2 * length;
        // Every owed value takes at least a byte, so both bound the message from below.
        if (base + pos + this.skip + this.owed > this.maxMessageBytes) throw this.oversized();
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, n - pos);
        this.skip -= take;
        pos += take;
        if (this.skip > 0) return -1;
      }
      // The common one-byte headers (fixint, fixmap, fixarray, nil, booleans, a fixstr within
      // this chunk) in a tight loop on locals; anything else falls through to the general path.
      let owed = this.owed;
      while (owed > 0 && pos < n) {
        const b = chunk[pos];
        if (b < 0x80 || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) owed--;
        else if (b < 0x90) owed += 2 * (b & 0x0f) - 1;
        else if (b < 0xa0) owed += (b & 0x0f) - 1;
        else if (b < 0xc0 && pos + 1 + (b & 0x1f) <= n) {
          pos += b & 0x1f;
          owed--;
        } else break;
        pos++;
      }
      this.owed = owed;
      if (this.owed === 0) return pos;
      if (pos >= n) {
        if (base + pos > this.maxMessageBytes) throw this.oversized();
        return -1;
      }
      const b = chunk[pos++];
      this.owed--;
      if (b < 0x80 || b >= 0xe0) continue; // fixint
      if (b < 0x90) this.owed += 2 * (b & 0x0f); // fixmap
      else if (b < 0xa0) this.owed += b & 0x0f; // fixarray
      else if (b < 0xc0) this.skip = b & 0x1f; // fixstr
      else {
        switch (b) {
          case 0xc0: // nil, false, true
          case 0xc2:
          case 0xc3:
            break;
          case 0xc4: // bin 8/16/32, str 8/16/32
          case 0xd9:
            this.length(1, LENGTH_IS_PAYLOAD);
            break;
          case 0xc5:
          case 0xda:
            this.length(2, LENGTH_IS_PAYLOAD);
            break;
          case 0xc6:
          case 0xdb:
            this.length(4, LENGTH_IS_PAYLOAD);
            break;
          case 0xc7: // ext 8/16/32: a type byte after the length
            this.length(1, LENGTH_IS_EXT_PAYLOAD);
            break;
          case 0xc8:
            this.length(2, LENGTH_IS_EXT_PAYLOAD);
            break;
          case 0xc9:
            this.length(4, LENGTH_IS_EXT_PAYLOAD);
            break;
          case 0xcc: // uint8, int8
          case 0xd0:
            this.skip = 1;
            break;
          case 0xcd: // uint16, int16
          case 0xd1:
            this.skip = 2;
            break;
          case 0xca: // float32, uint32, int32
          case 0xce:
          case 0xd2:
            this.skip = 4;
            break;
          case 0xcb: // float64, uint64, int64
          case 0xcf:
          case 0xd3:
            this.skip = 8;
            break;
          case 0xd4: // fixext 1/2/4/8/16: type byte + data
            this.skip = 2;
            break;
          case 0xd5:
            this.skip = 3;
            break;
          case 0xd6:
            this.skip = 5;
            break;
          case 0xd7:
            this.skip = 9;
            break;
          case 0xd8:
            this.skip = 17;
            break;
          case 0xdc:
            this.length(2, LENGTH_IS_ARRAY);
            break;
          case 0xdd:
            this.length(4, LENGTH_IS_ARRAY);
            break;
          case 0xde:
            this.length(2, LENGTH_IS_MAP);
            break;
          case 0xdf:
            this.length(4, LENGTH_IS_MAP);
            break;
          default: // 0xc1 is never used
            throw new ProtocolViolation(`sent malformed msgpack: byte 0x${b.toString(16)} is not a msgpack type`);
        }
      }
    }
  }

  private length(bytes: number, kind: number): void {
    this.lengthBytes = bytes;
    this.lengthValue = 0;
    this.lengthKind = kind;
  }

  private oversized(): ProtocolViolation {
    return new ProtocolViolation(`sent a message larger than the limit of ${this.maxMessageBytes} bytes (topo.shell.max.message.bytes)`);
  }
}

function decode(bytes: Buffer): unknown {
  try {
    return unpackr.unpack(bytes);
  } catch (error) {
    throw malformed(error);
  }
}

function malformed(error: unknown): ProtocolViolation {
  return new ProtocolViolation(`sent malformed msgpack: ${error instanceof Error ? error.message : String(error)}`);
}

/** pystorm's msgpack serializer: one msgpack value per message, maps with string keys. */
export const msgpackSerializer: Serializer = {
  name: 'msgpack',
  createDecoder: (onMessage, maxMessageBytes, boltOutput) => new MsgpackDecoder(onMessage, maxMessageBytes, boltOutput),
  encode: (message) => packr.pack(message),
  encodeTuple: (id, comp, stream, task, values) => writer.tuple(id, comp, stream, task, values),
  createFrameRun: (): FrameRun => new MsgpackWriter(packr),
  encodeEmit: (anchors, stream, values, needTaskIds, task) => writer.emit(anchors, stream, values, needTaskIds, task),
  encodeFinish: (command, id) => writer.finish(command, id),
};
